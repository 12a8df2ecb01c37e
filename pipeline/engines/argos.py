"""Argos Translate (offline neural MT) with every sentence of a run in one CTranslate2 batch.

``import argostranslate`` costs seconds, so nothing here imports it until a
translation or a model operation actually needs it; finding installed models
reads their ``metadata.json`` directly, the way argostranslate resolves its
package folder (``ARGOS_PACKAGES_DIR``, its settings.json, the XDG data folder).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineError
from ..language import Language
from . import Progress, clean_output

MAX_BATCH_TOKENS = 2048
BEAM_SIZE = 4  # argostranslate's default, so drafts equal what translate() returns
SPLIT_SLICE = 64  # paragraphs split per asynchronous translate_batch call
# A sentence end followed by more text; without one a text is a single sentence.
_INNER_END = re.compile(r"[.!?…。！？;:][\"'”’»)\]]*\s+\S")


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


class ArgosEngine:
    """Sentence-split every paragraph, then translate all sentences through one Translator."""

    name = "argos"
    tagged = False
    batch = 512  # paragraphs per translate_batch call: large batches, still a moving progress bar

    def __init__(self, info: ModelInfo) -> None:
        self.info = info
        self.model = info.name
        self._pkg = None
        self._sentencizer = None
        self._translator = None

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
            self._translator = ctranslate2.Translator(
                str(self.info.path / "model"), device=settings.device,
                inter_threads=max(1, os.cpu_count() or 1), intra_threads=1,
                compute_type=settings.compute_type)
        except Exception as exc:  # argostranslate raises bare Exceptions for broken packages
            raise EngineError(f"cannot load argos model {self.model}: {exc}", self.info.path) from None

    def _split(self, text: str) -> list[str]:
        """Sentences as argostranslate splits them; a text with no inner sentence end is one."""
        if not _INNER_END.search(text.strip()):
            return [text]
        assert self._sentencizer is not None
        return [s for s in self._sentencizer.split_sentences(text) if s.strip()] or [text]

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        if not texts:
            return []
        self._load()
        pkg, translator = self._pkg, self._translator
        assert pkg is not None and translator is not None and self._sentencizer is not None
        try:
            spans: list[tuple[int, int]] = []
            pending: list[Any] = []  # ctranslate2's asynchronous results (no type information)
            # Split and encode a slice while CTranslate2 translates the previous ones in its
            # own threads: the Python sentence splitter and the model overlap.
            for first in range(0, len(texts), SPLIT_SLICE):
                tokens: list[list[str]] = []
                for text in texts[first:first + SPLIT_SLICE]:
                    sentences = self._split(text)
                    offset = len(pending) + len(tokens)
                    spans.append((offset, offset + len(sentences)))
                    tokens.extend(pkg.tokenizer.encode(s) for s in sentences)
                prefix = [[pkg.target_prefix]] * len(tokens) if pkg.target_prefix else None
                pending.extend(translator.translate_batch(
                    tokens, target_prefix=prefix, replace_unknowns=True,
                    max_batch_size=MAX_BATCH_TOKENS, batch_type="tokens", asynchronous=True,
                    beam_size=BEAM_SIZE, num_hypotheses=1, length_penalty=0.2))
            results = [item.result() for item in pending]
        except Exception as exc:
            raise EngineError(f"argos model {self.model} failed: {exc}", self.info.path) from None
        out: list[str] = []
        for start, end in spans:
            pieces = [tok for r in results[start:end] for tok in r.hypotheses[0]]
            value = pkg.tokenizer.decode(pieces)
            if pkg.target_prefix and value.startswith(pkg.target_prefix):
                value = value[len(pkg.target_prefix):]
            out.append(clean_output(value))
        if progress:
            progress(len(texts))
        return out


class ArgosPivotEngine:
    """Two argos models in a row, when no model translates the pair directly."""

    name = "argos"
    tagged = False
    batch = ArgosEngine.batch

    def __init__(self, first: ModelInfo, second: ModelInfo) -> None:
        self.legs = (ArgosEngine(first), ArgosEngine(second))
        self.model = f"{first.name}+{second.name}"

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        middle = self.legs[0].translate(texts)
        return self.legs[1].translate(middle, progress)
