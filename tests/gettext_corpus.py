"""Real catalogs from pinned wheels on PyPI, and GNU gettext's verdict on each (cached).

The wheels are fetched with ``pip download`` into ``~/.cache/pipeline-tests/corpus`` (``PIPELINE_TEST_CACHE``)
the first time, then reused.  gettext's answers (``msgfmt -c --use-fuzzy`` and
``msgcat --force-po --width=79``) are cached by the file's SHA-256, since they
depend only on the bytes, and so are ``msgfmt -c``'s on the mutants of
test_po_mutations.py and polib's reading of each file (keyed by the tool's
version too).  Run as a script to print the corpus figures.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Outside the checkout, so a fresh clone on the same machine (CI) reuses what an earlier run downloaded:
# the wheels are pinned, and each verdict is keyed by the file's SHA-256, so nothing stale can be read.
CACHE = Path(os.environ.get("PIPELINE_TEST_CACHE") or Path.home() / ".cache" / "pipeline-tests") / "corpus"

# Pinned: the corpus must not move under the test.  Tools that made them, as their headers say:
# Transifex (Django, Sphinx, wagtail, allauth), Weblate, Poedit, Lokalize, Launchpad, i18ndude (Plone),
# Babel/pybabel (Sphinx, wtforms, colander, deform).
PACKAGES = (
    "Django==5.1.4", "sphinx==8.1.3", "wagtail==8.0.1", "plone.app.locales==7.0.4", "wtforms==3.3.2",
    "django-allauth==65.22.1", "django-debug-toolbar==8.0.0", "django-import-export==4.4.3",
    "sphinx-rtd-theme==3.1.0", "colander==2.0", "deform==3.0.1",
    "django-cms==5.1.3", "django-oscar==4.2.1", "django-countries==9.1.0", "django-filer==3.6.0",
    "mailman==3.3.10", "django-two-factor-auth==1.18.1", "pretalx==2025.2.2", "django-tables2==3.0.1",
    "Flask-AppBuilder==5.3.0", "django-simple-history==3.13.0", "django-axes==8.3.1", "django-guardian==3.5.2",
)


@dataclass(frozen=True)
class Verdict:
    """What GNU gettext says about one file."""

    msgfmt_ok: bool
    msgfmt_error: str
    msgcat: bytes | None  # None when msgcat refuses the file


def wheel_name(spec: str) -> str:
    return spec.split("==")[0].lower().replace("-", "_").replace(".", "_")


@contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """One process at a time fills the cache (two test workers may ask at once on a clean machine)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fetch(cache: Path = CACHE) -> list[tuple[str, Path]]:
    """(project, path) for every .po/.pot in the pinned wheels; raises OSError when offline."""
    wheels = cache / "wheels"
    found: list[tuple[str, Path]] = []
    with _locked(cache):
        wheels.mkdir(parents=True, exist_ok=True)
        for spec in PACKAGES:
            name, version = spec.split("==")
            target = cache / "files" / f"{wheel_name(spec)}-{version}"
            if not (target / ".complete").exists():
                _unpack(spec, wheels, target)
            found.extend((name, p) for p in sorted(target.rglob("*.po*")) if p.suffix in (".po", ".pot"))
    return found


def _unpack(spec: str, wheels: Path, target: Path) -> None:
    name, version = spec.split("==")
    wheel = [w for w in wheels.glob("*.whl")
             if w.name.lower().startswith(f"{wheel_name(spec)}-{version}-")]
    if not wheel:
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                                 "--disable-pip-version-check", "-q", spec, "-d", str(wheels)],
                                capture_output=True, text=True, check=False, timeout=600)
        wheel = [w for w in wheels.glob("*.whl") if w.name.lower().startswith(f"{wheel_name(spec)}-{version}-")]
        if result.returncode != 0 or not wheel:
            raise OSError(f"pip download {spec} failed: {result.stderr.strip()[-300:]}")
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel[0]) as archive:
        for member in archive.namelist():
            if member.endswith((".po", ".pot")) and ".." not in member.split("/"):
                out = target / member
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.read(member))
    (target / ".complete").write_text("ok\n")


def _ask_gettext(path: Path) -> Verdict:
    env = {**os.environ, "LC_ALL": "C"}
    check = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)],
                           capture_output=True, env=env, check=False)
    cat = subprocess.run(["msgcat", "--force-po", "--width=79", str(path)], capture_output=True, env=env,
                         check=False)
    return Verdict(msgfmt_ok=check.returncode == 0, msgfmt_error=check.stderr.decode("utf-8", "replace"),
                   msgcat=cat.stdout if cat.returncode == 0 else None)


def verdicts(paths: list[Path], cache: Path = CACHE) -> dict[Path, Verdict]:
    """gettext's verdict on each file, from the cache where the same bytes were asked before."""
    store = cache / "verdicts"
    store.mkdir(parents=True, exist_ok=True)
    digests = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    missing = [p for p in paths if not (store / f"{digests[p]}.json").exists()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for path, verdict in zip(missing, pool.map(_ask_gettext, missing)):
            record = {"ok": verdict.msgfmt_ok, "error": verdict.msgfmt_error,
                      "msgcat": None if verdict.msgcat is None else verdict.msgcat.decode("latin-1")}
            _keep(store, digests[path], record)
    out = {}
    for path in paths:
        record = json.loads((store / f"{digests[path]}.json").read_text())
        out[path] = Verdict(record["ok"], record["error"],
                            None if record["msgcat"] is None else record["msgcat"].encode("latin-1"))
    return out


def _store(cache: Path, name: str, tool: str) -> Path:
    """A folder of answers from one version of one tool: a new version asks again."""
    store = cache / f"{name}-{hashlib.sha256(tool.encode()).hexdigest()[:12]}"
    store.mkdir(parents=True, exist_ok=True)
    return store


def _keep(store: Path, digest: str, record: object) -> None:
    scratch = store / f".{digest}.{os.getpid()}.tmp"  # whole or absent, even beside another worker
    scratch.write_text(json.dumps(record))
    scratch.replace(store / f"{digest}.json")


def _msgfmt_accepts(path: Path) -> bool:
    return subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)], capture_output=True,
                          check=False, env={**os.environ, "LC_ALL": "C"}).returncode == 0


def msgfmt_accepts(paths: list[Path], cache: Path = CACHE) -> list[bool]:
    """Whether ``msgfmt -c --use-fuzzy`` accepts each file; cached, like ``verdicts``, by the file's SHA-256
    (and msgfmt's version), so identical bytes are asked once per machine."""
    version = subprocess.run(["msgfmt", "--version"], capture_output=True, text=True, check=True).stdout
    store = _store(cache, "msgfmt-c", version.splitlines()[0])
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
    missing = [(p, d) for p, d in zip(paths, digests) if not (store / f"{d}.json").exists()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for (_, digest), ok in zip(missing, pool.map(_msgfmt_accepts, [p for p, _ in missing])):
            _keep(store, digest, ok)
    return [bool(json.loads((store / f"{d}.json").read_text())) for d in digests]


Entry = tuple[object, ...]  # (msgctxt, msgid, msgid_plural, msgstr forms, obsolete, fuzzy)


def polib_entries(path: Path) -> list[Entry] | None:
    """The entries polib, an independent parser, reads in a file, as ``Entry`` tuples; None where it refuses."""
    import polib

    try:
        parsed = polib.pofile(str(path))
    except (OSError, ValueError):
        return None  # polib cannot read some files gettext reads (#.Default: without a space)
    entries = []
    for entry in parsed:
        if not (entry.msgid or entry.msgctxt is not None or entry.obsolete):
            continue
        plural = getattr(entry, "msgid_plural", "") or None
        forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)) if plural else (entry.msgstr,)
        fuzzy = "fuzzy" in entry.flags and bool(forms[0])
        if entry.obsolete and not forms[0]:
            continue  # msgcat drops untranslated obsolete ones
        entries.append((entry.msgctxt, entry.msgid, plural, forms, bool(entry.obsolete), fuzzy))
    return entries


def entries_digest(entries: list[Entry]) -> str:
    """The same for the same entries in any order."""
    return hashlib.sha256(repr(sorted(entries, key=repr)).encode("utf-8", "surrogatepass")).hexdigest()


def polib_digests(paths: list[Path], cache: Path = CACHE) -> dict[Path, str | None]:
    """``entries_digest(polib_entries(path))`` for each file (None where polib refuses it), cached by the
    file's SHA-256 and polib's version: polib reads 137 MB of catalogs in about half a minute."""
    import polib

    store = _store(cache, "polib", str(polib.__version__))
    out: dict[Path, str | None] = {}
    for path in paths:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if not (store / f"{digest}.json").exists():
            entries = polib_entries(path)
            _keep(store, digest, None if entries is None else entries_digest(entries))
        out[path] = json.loads((store / f"{digest}.json").read_text())
    return out


@dataclass(frozen=True)
class Outcome:
    """The pipeline's answer on one file beside gettext's."""

    project: str
    path: Path
    gettext_ok: bool
    reader_error: str | None
    identical: bool | None  # writer bytes == msgcat bytes, when both read the file


def compare(project: str, path: Path, verdict: Verdict) -> Outcome:
    from pipeline.errors import CatalogError
    from pipeline.po import dumps, loads_po

    data = path.read_bytes()
    try:
        catalog = loads_po(data, path)
    except CatalogError as exc:
        return Outcome(project, path, verdict.msgfmt_ok, str(exc), None)
    same = None if verdict.msgcat is None else dumps(catalog).encode("utf-8", "surrogatepass") == verdict.msgcat
    return Outcome(project, path, verdict.msgfmt_ok, None, same)


def main() -> None:
    files = fetch()
    answers = verdicts([p for _, p in files])
    outcomes = [compare(project, path, answers[path]) for project, path in files]
    agree = sum((o.reader_error is None) == o.gettext_ok for o in outcomes)
    read = [o for o in outcomes if o.identical is not None]
    print(f"files {len(outcomes)} projects {len({o.project for o in outcomes})} "
          f"gettext-refused {sum(not o.gettext_ok for o in outcomes)} "
          f"reader-refused {sum(o.reader_error is not None for o in outcomes)} refusal-agreement {agree}")
    print(f"byte-identical {sum(bool(o.identical) for o in read)} of {len(read)} read")
    if "-v" in sys.argv:
        for o in outcomes:
            if (o.reader_error is None) != o.gettext_ok:
                print("DISAGREE", o.path.relative_to(CACHE), o.reader_error or answers[o.path].msgfmt_error[:200])
            elif o.identical is False:
                print("DIFFERS", o.path.relative_to(CACHE))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
