"""What to install for a language pair, computed from what this machine can really install.

Debian's apertium pairs are read from ``apt-cache`` (real packages only: virtual
names and transitional dummies are left out) and from ``dpkg-query`` (what is
installed), so the advice never names a package that does not exist or that is
already installed.  A pair Debian lacks may go through a pivot language, as
``engines.apertium.find_chain`` does.  A package's name does not say which
directions it carries (``apertium-es-ro`` holds only ro->es), so the few
candidates are fetched with ``apt-get download`` and their ``.mode`` files read;
offline, the advice says the direction is unverified.  What a package version
holds is kept in the project's cache (``apertium-modes.json``), so the download
happens once per package version, not once per run.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .engines.apertium import PIVOTS, available_modes
from .errors import PipelineError

# ISO 639-2/3 codes used in Debian's apertium package names, to the gettext codes of pipeline.toml.
_ISO3 = {"afr": "af", "arg": "an", "ast": "ast", "bel": "be", "bul": "bg", "cat": "ca", "dan": "da",
         "deu": "de", "eng": "en", "epo": "eo", "eus": "eu", "fra": "fr", "glg": "gl", "hin": "hi",
         "ind": "id", "isl": "is", "ita": "it", "mkd": "mk", "nld": "nl", "nno": "nn", "nob": "nb",
         "nor": "no", "oci": "oc", "pol": "pl", "por": "pt", "ron": "ro", "rus": "ru", "slv": "sl",
         "spa": "es", "srd": "sc", "swe": "sv", "ukr": "uk", "urd": "ur", "zlm": "ms"}
_PAIR = re.compile(r"^apertium-([a-z]{2,3})-([a-z]{2,3})$")
_LANGUAGE = {"en": "English", "es": "Spanish", "ca": "Catalan"}


@dataclass(frozen=True, kw_only=True)
class Package:
    """A real, installable Debian package with the two languages it translates between."""

    name: str
    languages: frozenset[str]
    installed: bool
    version: str = ""


def _code(part: str) -> str:
    return _ISO3.get(part, part)


def _run(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


@functools.lru_cache(maxsize=1)
def debian_pairs() -> tuple[Package, ...]:
    """Every real apertium pair package apt knows, with whether it is installed."""
    if shutil.which("apt-cache") is None:
        return ()
    names = [n for n in _run(["apt-cache", "pkgnames", "apertium-"]).split() if _PAIR.match(n)]
    if not names:
        return ()
    real: dict[str, frozenset[str]] = {}
    versions: dict[str, str] = {}
    for stanza in _run(["apt-cache", "show", "--no-all-versions", *names]).split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", stanza, re.MULTILINE))
        name, description = fields.get("Package", ""), fields.get("Description", "")
        match = _PAIR.match(name)
        if match and "transitional" not in description.lower():
            real[name] = frozenset(_code(part) for part in match.groups())
            versions[name] = fields.get("Version", "")
    installed = set()
    if real and shutil.which("dpkg-query"):
        status = _run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", *real])
        installed = {line.split()[0] for line in status.splitlines() if line.endswith(" installed")}
    return tuple(Package(name=n, languages=langs, installed=n in installed, version=versions.get(n, ""))
                 for n, langs in sorted(real.items()))


def _modes(package: Package, cache: Path | None) -> frozenset[tuple[str, str]] | None:
    """``package_modes``, remembered in ``cache``/apertium-modes.json by package and version."""
    from .fsutil import write_if_changed
    from .workspace import read_json

    if cache is None or not package.version:
        return package_modes(package.name)
    path = cache / "apertium-modes.json"
    known = read_json(path)
    table = known if isinstance(known, dict) else {}
    key = f"{package.name}={package.version}"
    if isinstance(table.get(key), list):
        return frozenset((str(a), str(b)) for a, b in table[key])
    found = package_modes(package.name)
    if found is not None:
        table[key] = sorted(found)
        try:
            write_if_changed(path, json.dumps(table, sort_keys=True).encode("utf-8"))
        except PipelineError:
            pass  # the cache only saves a download
    return found


@functools.lru_cache(maxsize=64)
def package_modes(name: str) -> frozenset[tuple[str, str]] | None:
    """The (source, target) pairs a Debian package's modes translate, or None when it cannot be fetched."""
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="pipeline-apt-") as folder:
        try:
            subprocess.run(["apt-get", "download", "-q", name], cwd=folder, capture_output=True, timeout=120,
                           check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        debs = sorted(Path(folder).glob("*.deb"))
        if not debs:
            return None
        listing = _run(["dpkg-deb", "-c", str(debs[0])])
    found = set()
    mode = r"/modes/([a-z]{2,3})-([a-z]{2,3})(?:_[A-Za-z]+)?\.mode$"
    for source, target in re.findall(mode, listing, re.MULTILINE):
        found.add((_code(source), _code(target)))
    return frozenset(found)


def _base(code: str) -> str:
    return code.partition("_")[0]


def _possible(source: str, target: str) -> bool:
    """Cheap: whether ``source->target`` runs here, or some uninstalled package names both languages."""
    modes = available_modes()
    if (source, target) in modes or (_base(source), _base(target)) in modes:
        return True
    pair = frozenset((_base(source), _base(target)))
    return any(p.languages == pair and not p.installed for p in debian_pairs())


def _leg(source: str, target: str, cache: Path | None = None) -> tuple[bool, list[Package], bool]:
    """Whether ``source->target`` runs here already; else the packages that would provide it,
    and whether their direction was verified (False when they could not be fetched)."""
    modes = available_modes()
    if (source, target) in modes or (_base(source), _base(target)) in modes:
        return True, [], True
    pair = (_base(source), _base(target))
    candidates = [p for p in debian_pairs() if p.languages == frozenset(pair) and not p.installed]
    verified, unknown = [], []
    for package in candidates:
        modes_of = _modes(package, cache)
        if modes_of is None:
            unknown.append(package)
        elif pair in modes_of:
            verified.append(package)
    return False, verified or unknown, not unknown or bool(verified)


def apertium_advice(source: str, target: str, cache: Path | None = None) -> str:
    """A sentence saying which Debian package(s) to install for ``source->target``, or ``""``."""
    ready, direct, sure = _leg(source, target, cache)
    if ready:
        return ""
    unsure = " (its direction could not be checked offline)"
    if direct:
        return f"install the Debian package {direct[0].name} ('apt-get install {direct[0].name}')" + \
            ("" if sure else unsure)
    options = []
    for pivot in PIVOTS:
        if pivot in (_base(source), _base(target)) or not (_possible(source, pivot) and _possible(pivot, target)):
            continue  # no package is fetched for a route that cannot be completed
        first_ready, first, first_sure = _leg(source, pivot, cache)
        second_ready, second, second_sure = _leg(pivot, target, cache)
        if (first_ready or first) and (second_ready or second):
            needed = [legs[0].name for legs in (first, second) if legs]
            if not needed:
                return ""  # the pivot route runs already
            via = _LANGUAGE.get(pivot, pivot)
            options.append(f"install {' and '.join(needed)} ('apt-get install {' '.join(needed)}'): "
                           f"{source}->{target} then goes through {via}"
                           + ("" if first_sure and second_sure else unsure))
    return "; or ".join(options)


def argos_index(timeout: float = 5.0) -> list[tuple[str, str]] | None:
    """The (from, to) pairs of argos's package index: fetched when online, else the copy argostranslate
    keeps from its last download; None when neither can be read."""
    import json
    import urllib.request

    from argostranslate import settings

    try:
        with urllib.request.urlopen(settings.remote_package_index, timeout=timeout) as response:
            raw = response.read()
    except (OSError, ValueError):
        try:
            raw = Path(settings.local_package_index).read_bytes()
        except OSError:
            return None
    try:
        index = json.loads(raw)
        return [(str(p["from_code"]), str(p["to_code"])) for p in index if isinstance(p, dict)
                and p.get("type", "translate") == "translate"]
    except (ValueError, KeyError, TypeError):
        return None


def _argos_advice(source: str, target: str) -> str:
    """'pipeline models download' only for models argos's index really has (direct, or one pivot)."""
    local = f"'pipeline models install FILE.argosmodel' for an argos model {source}->{target}"
    pairs = argos_index()
    if pairs is None:
        return f"{local}, or 'pipeline models download {source} {target}' when online"
    if (source, target) in pairs:
        return f"{local}, or 'pipeline models download {source} {target}' (argos's index has it)"
    for pivot in sorted({to for fr, to in pairs if fr == source}):
        if (pivot, target) in pairs:
            return (f"{local}, or 'pipeline models download {source} {pivot}' and "
                    f"'pipeline models download {pivot} {target}' (argos's index has them; drafts go "
                    f"through {pivot})")
    return f"{local} (argos's index has no model for {source}->{target}, directly or through one language)"


def install_hint(source: str, target: str, cache: Path | None = None) -> str:
    """The hint of 'no engine for source->target': the apertium packages that really exist, and argos."""
    argos = _argos_advice(source, target)
    from .engines.apertium import find_chain

    if find_chain(source, target):
        return f"apertium can translate {source}->{target} here: choose it in [engines] of pipeline.toml, " \
               f"or use {argos}"
    found = apertium_advice(source, target, cache)
    if found:
        return f"{found}; or {argos}"
    if not debian_pairs():
        return f"{argos} (apt-cache lists no apertium pair here: run 'apt-get update' to see Debian's)"
    return f"Debian has no apertium pair for {source}->{target}, directly or through " \
           f"{' or '.join(_LANGUAGE.get(p, p) for p in PIVOTS)}; use {argos}"
