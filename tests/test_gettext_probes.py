"""Small PO snippets on the edges of the syntax and of msgfmt -c's checks, each read by us and by msgfmt.

tests/gettext_probes.json holds them (format strings of each flagged language,
plural headers, escapes, #~ consistency, previous strings, header variants).
For each, the reader accepts exactly when ``msgfmt -c --use-fuzzy`` accepts,
except the cases listed in STRICTER, which are the documented stricter rules
(docs/catalogs.md); a refusal names file and line.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pipeline.errors import CatalogError
from pipeline.po import loads_po

PROBES = json.loads((Path(__file__).parent / "gettext_probes.json").read_text(encoding="utf-8"))
HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
STRICTER = {"octal-bad": "escape sequences do not form UTF-8", "name-novalue": "header line without 'Name: value'",
            "dup-standard": "appears twice", "lang-latin1": "unsupported charset"}


@pytest.mark.parametrize("probe", PROBES, ids=[p["name"] for p in PROBES])
def test_probe_agrees_with_msgfmt(probe: dict[str, object], tmp_path: Path) -> None:
    data = ((HEADER if probe["header"] else "") + str(probe["body"])).encode("utf-8")
    path = tmp_path / "probe.po"
    path.write_bytes(data)
    gettext_ok = subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)], capture_output=True,
                                check=False, env={**os.environ, "LC_ALL": "C"}).returncode == 0
    try:
        loads_po(data, path)
        error = None
    except CatalogError as exc:
        error = exc
        assert exc.lineno and str(exc).startswith(f"{path}:{exc.lineno}: ")
    rule = STRICTER.get(str(probe["name"]))
    if rule is not None:
        assert gettext_ok and error is not None and rule in str(error)
    else:
        assert (error is None) == gettext_ok, str(error) if error else "msgfmt refuses it"
