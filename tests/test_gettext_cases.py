"""One small catalog per case in tests/gettext_cases/, each saying what gettext does with it.

Every case is checked against the real tools: ``msgfmt -c --use-fuzzy`` must
accept or refuse it as the case says (so the file documents gettext, not a
belief about it), the reader must answer as the case says (refusals name the
file and line), and an accepted catalog is written with ``msgcat``'s bytes.
Cases named ``stricter-*`` are the documented rules stricter than gettext.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pipeline.errors import CatalogError
from pipeline.po import Catalog, dumps, load_po

CASES = sorted((Path(__file__).parent / "gettext_cases").glob("*.po*"))


def _meta(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        if line.startswith("# ") and ": " in line:
            key, _, value = line[2:].partition(": ")
            found.setdefault(key, []).append(value)
    return found


def _gettext(path: Path, *command: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*command, str(path)], capture_output=True, check=False, env={**os.environ, "LC_ALL": "C"})


def test_there_are_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    meta = _meta(path)
    gettext, reader = meta["gettext"][0], meta["reader"][0]
    verdict = _gettext(path, "msgfmt", "-c", "--use-fuzzy", "-o", os.devnull)
    assert (verdict.returncode == 0) == (gettext == "accepts"), verdict.stderr.decode()
    if path.stem.startswith("stricter-"):
        assert gettext == "accepts" and reader.startswith("refuses")
    else:
        assert gettext.split()[0] == reader.split()[0], "only stricter-* cases may differ from gettext"
    before = path.read_bytes()
    if reader.startswith("refuses"):
        with pytest.raises(CatalogError) as info:
            load_po(path)
        assert reader.removeprefix("refuses ") in str(info.value)
        assert str(info.value).startswith(f"{path}:{info.value.lineno}: ") and info.value.lineno
        assert path.read_bytes() == before
        return
    catalog = load_po(path)
    for wanted in meta.get("entry", []):
        _expect_entry(catalog, json.loads(wanted))
    written = dumps(catalog).encode("utf-8")
    assert b"\x00" not in written
    canonical = _gettext(path, "msgcat", "--force-po", "--width=79")
    if canonical.returncode == 0:
        assert written == canonical.stdout
    else:  # msgcat refuses charset=CHARSET, which msgfmt accepts: the file stays as it is
        assert written == before


def _expect_entry(catalog: Catalog, wanted: dict[str, object]) -> None:
    found = [m for m in catalog.messages if m.msgid == wanted["msgid"]]
    assert len(found) == 1, wanted
    for key, value in wanted.items():
        got = getattr(found[0], key)
        assert (list(got) if isinstance(got, tuple) else got) == value, (key, got)


def test_a_catalog_in_msgcat_form_is_never_rewritten() -> None:
    """Every accepted case, once through msgcat, comes out of read+write byte for byte."""
    for path in CASES:
        canonical = _gettext(path, "msgcat", "--force-po", "--width=79")
        if canonical.returncode != 0 or _meta(path)["reader"][0] != "accepts":
            continue
        from pipeline.po import loads_po

        assert dumps(loads_po(canonical.stdout, path)).encode("utf-8") == canonical.stdout, path.name
