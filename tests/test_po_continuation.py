"""A backslash at the end of a line joins the next line to it, in comments too, as gettext reads it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.po import Catalog, Message, dumps, loads_po

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _msgcat(path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True, check=False)


@pytest.mark.parametrize("body, comments", [
    pytest.param('#. x\\\n#. y\nmsgid "1"\nmsgstr ""\n', ("x#. y",), id="extracted-joined"),
    pytest.param('# a \\\\\n#, fuzzy\nmsgid "1"\nmsgstr "b"\n', ("a \\#, fuzzy",), id="escaped-backslash-joins-too"),
    pytest.param('#. plain\nmsgid "1"\nmsgstr ""\n', ("plain",), id="no-continuation"),
])
def test_comments_read_as_msgcat_reads_them(tmp_path: Path, body: str, comments: tuple[str, ...]) -> None:
    path = tmp_path / "c.po"
    path.write_text(HEADER + body, encoding="utf-8")
    ours = loads_po(path.read_bytes(), path)
    theirs = loads_po(_msgcat(path).stdout, "msgcat output")
    found = ours.messages[0].extracted_comments or ours.messages[0].translator_comments
    assert found == comments
    assert [m.extracted_comments + m.translator_comments for m in theirs.messages] == [comments]


def test_a_comment_ending_in_a_backslash_is_written_so_gettext_keeps_the_next_line(tmp_path: Path) -> None:
    catalog = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),), messages=(
        Message(msgid="1", msgstr="", extracted_comments=("C:\\",), translator_comments=("dir\\",)),))
    written = dumps(catalog)
    path = tmp_path / "w.po"
    path.write_text(written, encoding="utf-8")
    result = _msgcat(path)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == written, "msgcat reads and writes it unchanged"
    again = loads_po(written.encode(), path).messages[0]
    assert (again.msgid, again.extracted_comments, again.translator_comments) == ("1", ("C:\\ ",), ("dir\\ ",))
