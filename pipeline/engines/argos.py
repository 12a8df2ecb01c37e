"""Argos Translate (offline neural MT) with every sentence of a run in one CTranslate2 batch.

``import argostranslate`` costs seconds, so nothing here imports it until a
translation or a model operation actually needs it; finding installed models
reads their ``metadata.json`` directly, the way argostranslate resolves its
package folder (``ARGOS_PACKAGES_DIR``, its settings.json, the XDG data folder).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ArgosSettings
from ..errors import EngineError
from ..language import Language
from . import Progress, alignment, clean_output, tagged

MAX_BATCH_TOKENS = 2048  # per translate_batch on the CPU
GPU_BATCH_TOKENS = 8192  # a GPU is fed larger batches: its throughput grows with them
BEAM_SIZE = 4  # argostranslate's default, so drafts equal what translate() returns
SPLIT_SLICE = 64  # paragraphs split per asynchronous translate_batch call
# A sentence end followed by more text; without one a text is a single sentence.
_INNER_END = re.compile(r"[.!?…。！？;:][\"'”’»)\]]*\s+\S")
_LETTER = re.compile(r"[^\W\d_]")
_CHUNK = re.compile(r'(<img alt="p\d+"/>|<a href="#p\d+">|</a>|</?[bi]>)')  # tagged.to_tagged's tags


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    from_code: str
    to_code: str
    version: str

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}-{self.version}"


def packages_dir() -> Path:
    """The folder argostranslate installs packages into (same precedence as its settings)."""
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share")) / "argos-translate"
    config = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "argos-translate"
    if "ARGOS_PACKAGES_DIR" in os.environ:
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    try:
        settings = json.loads((config / "settings.json").read_text(encoding="utf-8"))
        if isinstance(settings, dict) and settings.get("ARGOS_PACKAGES_DIR"):
            return Path(settings["ARGOS_PACKAGES_DIR"])
    except (OSError, ValueError):
        pass
    return data / "packages"


def read_metadata(folder: Path) -> ModelInfo | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None
    if not meta.get("from_code") or not meta.get("to_code"):
        return None
    return ModelInfo(folder, str(meta["from_code"]), str(meta["to_code"]), str(meta.get("package_version", "")))


def installed_models() -> list[ModelInfo]:
    root = packages_dir()
    if not root.is_dir():
        return []
    found = (read_metadata(p) for p in sorted(root.iterdir()) if p.is_dir())
    return [m for m in found if m is not None]


def find_package(source: str, target: str) -> ModelInfo | None:
    source, target = Language(source).base, Language(target).base
    for model in installed_models():
        if model.from_code == source and model.to_code == target:
            return model
    return None


def find_pivot(source: str, target: str) -> tuple[ModelInfo, ModelInfo] | None:
    """Two installed models that chain ``source`` to ``target`` through a third language."""
    source, target = Language(source).base, Language(target).base
    models = installed_models()
    for first in models:
        if first.from_code != source or first.to_code == target:
            continue
        for second in models:
            if second.from_code == first.to_code and second.to_code == target:
                return first, second
    return None


def choose_device(setting: str, argos_env: str, cuda_devices: Callable[[], int]) -> str:
    """``cpu`` or ``cuda``: the [argos] device, else argostranslate's ARGOS_DEVICE_TYPE, else a GPU if
    CTranslate2 sees one."""
    if setting in ("cpu", "cuda"):
        return setting
    if argos_env in ("cpu", "cuda"):
        return argos_env
    return "cuda" if cuda_devices() > 0 else "cpu"


class ArgosEngine:
    """Sentence-split every paragraph, then translate all sentences through one Translator.

    Paragraphs come in tagged (``tagged.to_tagged``).  One with markup is
    translated whole and its markup put back by the model's attention
    (``alignment``); only where that fails the check is it translated piece by
    piece between the tags.  ``whole`` and ``split`` count both, for the report.
    """

    name = "argos"
    tagged = True
    batch = 512  # paragraphs per translate_batch call: large batches, still a moving progress bar

    def __init__(self, info: ModelInfo, settings: ArgosSettings | None = None) -> None:
        self.info = info
        self.model = info.name
        self.settings = settings or ArgosSettings()
        self.device = ""  # where CTranslate2 runs it, once loaded
        self._batch_tokens = MAX_BATCH_TOKENS
        self._pkg: Any = None
        self._sentencizer: Any = None
        self._translator: Any = None
        self.whole = 0
        self.split = 0

    def _load(self) -> None:
        if self._translator is not None:
            return
        try:
            import ctranslate2
            from argostranslate import package, settings
            from argostranslate.translate import PackageTranslation
        except ImportError as exc:
            raise EngineError(f"argostranslate is not installed: {exc}") from None
        try:
            self._pkg = package.Package(self.info.path)
            # PackageTranslation picks the sentence splitter argostranslate would use.
            self._sentencizer = PackageTranslation(None, None, self._pkg).sentencizer
            self.device = choose_device(self.settings.device, os.environ.get("ARGOS_DEVICE_TYPE", ""),
                                        ctranslate2.get_cuda_device_count)
            compute = self.settings.compute_type if self.settings.compute_type != "auto" else settings.compute_type
            on_gpu = self.device == "cuda"
            self._batch_tokens = self.settings.batch_tokens or (GPU_BATCH_TOKENS if on_gpu else MAX_BATCH_TOKENS)
            # On the CPU one single-threaded translator per core; on a GPU one translator feeds the device.
            self._translator = ctranslate2.Translator(
                str(self.info.path / "model"), device=self.device,
                inter_threads=1 if on_gpu else max(1, os.cpu_count() or 1), intra_threads=0 if on_gpu else 1,
                compute_type=compute)
        except Exception as exc:  # argostranslate raises bare Exceptions for broken packages
            where = f" on {self.device}" if self.device else ""
            raise EngineError(f"cannot load argos model {self.model}{where}: {exc}", self.info.path,
                              hint="set device = \"cpu\" in [argos] of pipeline.toml" if self.device == "cuda"
                              else "") from None

    def _split(self, text: str) -> list[str]:
        """Sentences as argostranslate splits them; a text with no inner sentence end is one."""
        if not _INNER_END.search(text.strip()):
            return [text]
        return [s for s in self._sentencizer.split_sentences(text) if s.strip()] or [text]

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        if not texts:
            return []
        self._load()
        out: dict[int, str] = {}
        parsed = []
        for i, marked in enumerate(alignment.parse(text) for text in texts):
            if marked is not None and not _LETTER.search(marked.plain):
                out[i] = texts[i]  # a number, a date or a link target alone stays as it is
            elif marked is not None:
                parsed.append((i, marked))
        plain = [(i, m) for i, m in parsed if not m.has_markup]
        rich = [(i, m) for i, m in parsed if m.has_markup]
        for (i, _), value in zip(plain, self._plain([m.plain for _, m in plain])):
            out[i] = html.escape(value, quote=False)
        for (i, _), placed in zip(rich, self._aligned([m for _, m in rich])):
            if placed is not None:
                out[i] = placed
        failed = [i for i in range(len(texts)) if i not in out]
        self.whole += len(rich) - sum(1 for i, _ in rich if i in failed)
        self.split += len(failed)
        for i, value in zip(failed, self._piecewise([texts[i] for i in failed])):
            out[i] = value
        if progress:
            progress(len(texts))
        return [out[i] for i in range(len(texts))]

    def redo(self, texts: Sequence[str]) -> list[str]:
        """Texts whose whole-sentence draft read differently as Markdown, piece by piece instead."""
        self.whole = max(0, self.whole - len(texts))
        self.split += len(texts)
        return self._piecewise(texts)

    @property
    def cache_label(self) -> str:
        """Drafts of the tagged inputs are cached apart from those of the untagged pieces before them."""
        return f"argos-tagged {self.model}"

    def _plain(self, texts: Sequence[str]) -> list[str]:
        """Plain texts translated sentence by sentence in one asynchronous batch."""
        if not texts:
            return []
        groups, results = self._run([self._split(text) for text in texts], attention=False)
        return [tagged.literal(self._decode([tok for r in results[start:end] for tok in r.hypotheses[0]]))
                for start, end in groups]

    def _decode(self, pieces: Sequence[str]) -> str:
        """The model's text, as argostranslate decodes it."""
        pkg = self._pkg
        value = pkg.tokenizer.decode(list(pieces))
        if pkg.target_prefix and value.startswith(pkg.target_prefix):
            value = value[len(pkg.target_prefix):]
        return clean_output(value)

    def _run(self, sentences: Sequence[Sequence[str]], attention: bool) -> tuple[list[tuple[int, int]], list[Any]]:
        """Every text's sentences through the model; each text's slice of the results, and the results."""
        pkg, translator = self._pkg, self._translator
        try:
            spans: list[tuple[int, int]] = []
            pending: list[Any] = []  # ctranslate2's asynchronous results (no type information)
            # Encode a slice while CTranslate2 translates the previous ones in its own threads:
            # the Python sentence splitter and the model overlap.
            for first in range(0, len(sentences), SPLIT_SLICE):
                tokens: list[list[str]] = []
                for group in sentences[first:first + SPLIT_SLICE]:
                    offset = len(pending) + len(tokens)
                    spans.append((offset, offset + len(group)))
                    tokens.extend(pkg.tokenizer.encode(s) for s in group)
                prefix = [[pkg.target_prefix]] * len(tokens) if pkg.target_prefix else None
                pending.extend(translator.translate_batch(
                    tokens, target_prefix=prefix, replace_unknowns=True,
                    max_batch_size=self._batch_tokens, batch_type="tokens", asynchronous=True,
                    beam_size=BEAM_SIZE, num_hypotheses=1, length_penalty=0.2, return_attention=attention))
            return spans, [item.result() for item in pending]
        except Exception as exc:
            raise EngineError(f"argos model {self.model} failed: {exc}", self.info.path) from None

    def _aligned(self, texts: Sequence[alignment.Marked]) -> list[str | None]:
        """Texts with markup translated whole, the markup put back by attention; None where that fails."""
        if not texts:
            return []
        pkg = self._pkg
        sentences = [self._located(m.plain) for m in texts]
        groups, results = self._run([[s for _, s in found] for found in sentences], attention=True)
        out: list[str | None] = []
        for marked, found, (start, end) in zip(texts, sentences, groups):
            source: list[str] = []
            ranges: list[tuple[int, int]] = []
            target: list[str] = []
            rows: list[list[float]] = []
            for (offset, sentence), result in zip(found, results[start:end]):
                pieces = pkg.tokenizer.encode(sentence)
                where = alignment.char_ranges(sentence, pieces, offset)
                hypothesis, attention = list(result.hypotheses[0]), list(result.attention[0])
                if pkg.target_prefix and hypothesis[:1] == [pkg.target_prefix]:
                    hypothesis, attention = hypothesis[1:], attention[1:]
                if where is None or len(attention) != len(hypothesis):
                    break
                width = len(source)
                rows.extend([0.0] * width + list(row[:len(pieces)]) for row in attention)
                source.extend(pieces)
                ranges.extend(where)
                target.extend(hypothesis)
            else:
                rows = [row + [0.0] * (len(source) - len(row)) for row in rows]
                out.append(alignment.project(marked, alignment.Alignment(
                    ranges=ranges, source=source, target=target, attention=rows), self._decode))
                continue
            out.append(None)
        return out

    def _located(self, text: str) -> list[tuple[int, str]]:
        """The sentences of ``text`` with their offsets in it (one sentence if they cannot be found)."""
        found, cursor = [], 0
        for sentence in self._split(text):
            at = text.find(sentence, cursor)
            if at < 0:
                return [(0, text)]
            found.append((at, sentence))
            cursor = at + len(sentence)
        return found

    def _piecewise(self, texts: Sequence[str]) -> list[str]:
        """Tagged texts translated piece by piece between the tags (the path with no context)."""
        chunks = [_CHUNK.split(text) for text in texts]
        wanted = list(dict.fromkeys(tagged.core(html.unescape(part)) for parts in chunks
                                    for part in parts[::2] if _LETTER.search(part)))
        translated = dict(zip(wanted, self._plain(wanted)))
        out = []
        for parts in chunks:
            for index in range(0, len(parts), 2):
                text = html.unescape(parts[index])
                if _LETTER.search(text):
                    parts[index] = html.escape(tagged.with_spacing(text, translated[tagged.core(text)]), quote=False)
            out.append("".join(parts))
        return out


class ArgosPivotEngine:
    """Two argos models in a row, when no model translates the pair directly."""

    name = "argos"
    tagged = True
    batch = ArgosEngine.batch

    def __init__(self, first: ModelInfo, second: ModelInfo, settings: ArgosSettings | None = None) -> None:
        self.legs = (ArgosEngine(first, settings), ArgosEngine(second, settings))
        self.model = f"{first.name}+{second.name}"

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        middle = self.legs[0].translate(texts)
        return self.legs[1].translate(middle, progress)

    def redo(self, texts: Sequence[str]) -> list[str]:
        return self.legs[1].redo(self.legs[0].redo(texts))

    @property
    def cache_label(self) -> str:
        return f"argos-tagged {self.model}"

    @property
    def whole(self) -> int:
        """Texts with markup translated whole, over both legs."""
        return self.legs[0].whole + self.legs[1].whole

    @property
    def split(self) -> int:
        """Texts with markup translated piece by piece, over both legs."""
        return self.legs[0].split + self.legs[1].split
