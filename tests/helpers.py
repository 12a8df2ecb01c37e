"""Helpers shared by the test modules, in one place: test files import from here, never
from each other or from ``conftest``.

The EPUBCheck helper keeps one JVM for the whole session: starting the
validator costs about four seconds, a warm one checks a book in a tenth of
that, so validating all 84 books of the seeds takes seconds, not minutes.  It
runs the real validator, the Debian ``epubcheck`` jar, through its Java API
(``tests/java/EpubCheckServer.java``, compiled once per session with
``javac``); without a JDK it falls back to one ``epubcheck`` command per book.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOOD_SEED = SEEDS[0]  # an English article without surprises
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCS = ("000_afd28e63ccbb2c86", "001_848bedc52bb3e968", "002_a52b92a0a50288ae", "003_70e39d520399d067",
        "004_f54c4b78720f0974")
REVIEWED = ("002_a52b92a0a50288ae", "003_70e39d520399d067")
TARGETS = ("es", "pt", "fr")
# The reader's rules stricter than gettext, by the message that names them (docs/catalogs.md).
STRICTER = ("unsupported charset in Content-Type", "header line without 'Name: value'", "appears twice (a value",
            "escape sequences do not form UTF-8 text", "is larger than one byte")
EPUBCHECK_JARS = (Path("/usr/share/java/epubcheck.jar"), Path("/usr/bin/epubcheck"))
_JAVA_SOURCE = Path(__file__).resolve().parent / "java" / "EpubCheckServer.java"
# The client compiler only: a session's few hundred checks are over before the optimising compiler
# would pay for itself (it halves the JVM's CPU time here); the validator's answers do not depend on it.
_JVM = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """GNU msgfmt's own checks (format strings, headers, plural forms) on a catalog."""
    return subprocess.run(["msgfmt", "-c", "--use-fuzzy", "-o", os.devnull, str(path)],
                          capture_output=True, text=True, check=False)


def msgcat(path: Path) -> bytes:
    """The catalog as GNU msgcat writes it: the reference our writer must match byte for byte."""
    return subprocess.run(["msgcat", "--width=79", str(path)], capture_output=True, check=True).stdout


def invoke(*args: str) -> Result:
    """Run the CLI in-process; exceptions propagate, so a traceback fails the test."""
    from pipeline.cli import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every file a run writes, to prove a second run changes nothing."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("i18n", "exports") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def approve(path: Path, msgid_prefix: str, text: str | None = None) -> str:
    """What a reviewer does in Poedit: (optionally edit and) clear fuzzy, then save."""
    from pipeline.po import dumps, load_po

    catalog = load_po(path)
    messages, chosen = [], ""
    for msg in catalog.messages:
        if msg.msgid.startswith(msgid_prefix) and not chosen:
            msg = msg.with_flag("fuzzy", False)
            if text is not None:
                msg = replace(msg, msgstr=text)
            chosen = msg.msgstr
        messages.append(msg)
    path.write_text(dumps(replace(catalog, messages=tuple(messages))), encoding="utf-8")
    return chosen


def use_libretranslate(project: Path, *urls: str, **settings: object) -> None:
    """Point the project's pipeline.toml at LibreTranslate servers."""
    lines = ["", "[libretranslate]", "urls = [" + ", ".join(f'"{u}"' for u in urls) + "]"]
    lines += [f"{key} = {value!r}" for key, value in settings.items()]
    with open(project / "pipeline.toml", "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def review(root: Path) -> None:
    """Approve every other entry of the reviewed articles and sign the catalogs."""
    from pipeline.po import dumps, load_po

    for lang in TARGETS:
        for doc in REVIEWED:
            path = root / "i18n" / lang / f"{doc}.po"
            if not path.exists():
                continue  # a project without that article
            catalog = load_po(path)
            messages = tuple(m.with_flag("fuzzy", n % 2 == 1) for n, m in enumerate(catalog.messages))
            signed = replace(catalog, messages=messages).with_header(
                Last_Translator=f"Revisor {lang.upper()} <{lang}@example.org>")
            path.write_text(dumps(signed), encoding="utf-8")


def export_all(root: Path, engine: str = "pseudo") -> None:
    """Draft (the pseudo engine: instant, deterministic), review part of the drafts, export every edition."""
    from pipeline.cli import cli

    runner = CliRunner()
    config = ["--config", str(root / "pipeline.toml")]
    result = runner.invoke(cli, [*config, "run", "--engine", engine])
    assert result.exit_code == 0, result.output
    review(root)
    result = runner.invoke(cli, [*config, "export", "--epub", "--web"])
    assert result.exit_code == 0, result.output


def exported_project(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A copy of the seeds, drafted, partly reviewed and exported in every edition."""
    root = tmp_path_factory.mktemp(name)
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copy(ROOT / "pipeline.toml", root / "pipeline.toml")
    export_all(root)
    return root


def epubcheck_jar() -> Path | None:
    """The Debian EPUBCheck jar, or None where it is not installed."""
    return next((jar for jar in EPUBCHECK_JARS if jar.is_file()), None)


class EpubChecker:
    """The real EPUBCheck, kept running: ``check(books)`` maps each book to its messages.

    A book is a ``.epub`` file or an expanded container folder (checked the way
    ``epubcheck --mode exp`` checks it, zipped into a private temporary file).
    Messages are ``SEVERITY(ID): path(line,column): text`` at the command's
    default level (infos and up), or with ``usage=True`` what ``epubcheck -u``
    reports (usage messages too); a valid book has none at the default level.
    """

    def __init__(self, jar: Path, workdir: Path) -> None:
        self._jar = jar
        self._workdir = workdir
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._classes: Path | None = None
        self._compiled = False

    def check(self, books: Iterable[Path], *, usage: bool = False) -> dict[Path, list[str]]:
        """Messages per book, in one JVM; the books are checked one after the other."""
        with self._lock:
            return {book: self._check_one(book, usage) for book in books}

    def close(self) -> None:
        """Stop the JVM (it also stops on its own when its input closes)."""
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=30)
            self._process = None

    def _server(self) -> subprocess.Popen[str] | None:
        if self._process is not None and self._process.poll() is None:
            return self._process
        if not self._compiled:
            self._compiled = True
            self._classes = self._compile()
        if self._classes is None:
            return None
        self._process = subprocess.Popen(
            ["java", *_JVM, "-Djava.io.tmpdir=" + str(self._workdir),
             "-cp", f"{self._jar}{os.pathsep}{self._classes}", "EpubCheckServer"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8", bufsize=1)
        return self._process

    def _compile(self) -> Path | None:
        javac = shutil.which("javac")
        if javac is None:
            return None
        classes = self._workdir / "classes"
        subprocess.run([javac, *(f"-J{flag}" for flag in _JVM), "-nowarn", "-d", str(classes), "-cp", str(self._jar),
                        str(_JAVA_SOURCE)],
                       check=True, capture_output=True, text=True)
        return classes

    def _check_one(self, book: Path, usage: bool) -> list[str]:
        server = self._server()
        if server is None:
            return self._check_with_command(book, usage)
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(f"{'exp' if book.is_dir() else 'epub'}{'-usage' if usage else ''}\t{book}\n")
        server.stdin.flush()
        messages: list[str] = []
        while True:
            line = server.stdout.readline()
            if not line:
                raise RuntimeError(f"EPUBCheck stopped while checking {book} (exit {server.wait()})")
            kind, *fields = line.rstrip("\n").split("\t")
            if kind == "M":
                severity, ident, where, text = fields
                messages.append(f"{severity}({ident}): {where}: {text}")
            elif kind == "E":
                counts = dict(zip(("fatals", "errors", "warnings", "infos", "usages"), map(int, fields)))
                if sum(counts.values()) and not messages:
                    messages.append(f"counts without messages: {counts}")
                return messages

    def _check_with_command(self, book: Path, usage: bool) -> list[str]:
        """Without a JDK: the ``epubcheck`` command, one JVM per book (slow, same validator)."""
        with tempfile.TemporaryDirectory(dir=self._workdir) as scratch:
            target, mode = book, ["-u"] if usage else []
            if book.is_dir():  # --mode exp writes <folder>.epub beside the folder: use a copy
                target = Path(scratch) / book.name
                shutil.copytree(book, target)
                mode += ["--mode", "exp"]
            result = subprocess.run(["java", *_JVM, "-jar", str(self._jar), *mode, str(target)],
                                    capture_output=True, text=True, check=False)
        output = result.stdout + result.stderr
        messages = [line for line in output.splitlines()
                    if line.startswith(("FATAL(", "ERROR(", "WARNING(", "INFO(", "USAGE("))]
        if result.returncode != 0 and not messages:
            messages.append(f"epubcheck exit {result.returncode}: {output}")
        return messages


# ------------------------------------------------------------- the inline reader beside the renderer's parse

_COUNTED = {"strong_open": "b", "em_open": "i", "code_inline": "`", "image": "!"}


def renderer_marks(text: str) -> Counter[str]:
    """What the renderer's parse (``blocks.parser``) finds in a unit: bold, emphasis, code, images, links."""
    from pipeline.blocks import parser

    parsed = parser().parseInline(text, {})
    children = parsed[0].children if parsed else []
    found = Counter(_COUNTED[c.type] for c in children if c.type in _COUNTED)
    found["a"] = sum(1 for c in children if c.type == "link_open" and c.markup != "autolink")
    return found


def token_marks(text: str) -> Counter[str]:
    from pipeline.markup import tokenize

    tokens = tokenize(text)
    found = Counter(t.mark for t in tokens if t.kind == "open")
    for token in tokens:
        if token.kind == "keep" and token.value.startswith(("`", "![")):
            found[token.value[0]] += 1
    return found


# ------------------------------------------------------------- a project with articles in four languages

LANGUAGE_CASES = Path(__file__).parent / "languages"
MIXED = {"solidaridad.md": "es", "greve.txt": "fr", "reforma.html": "pt"}  # declared, identified, <html lang>


def mixed_project(root: Path, seeds: Sequence[Path] = (), targets: str = '["es", "pt", "fr"]',
                  extra: str = "") -> Path:
    """English seeds, a Spanish, a French and a Brazilian article, publishing in en (the source language)
    and ``targets``."""
    (root / "seeds").mkdir(parents=True)
    for seed in seeds or SEEDS[:1]:
        shutil.copy(seed, root / "seeds")
    for name in MIXED:
        shutil.copy(LANGUAGE_CASES / name, root / "seeds")
    (root / "pipeline.toml").write_text(f'[project]\nname = "Mixed"\nsource_language = "en"\n'
                                        f'target_languages = {targets}\n{extra}', encoding="utf-8")
    return root

