"""A production-shaped argos model, built by the benchmark because none can be downloaded here.

The tiny test model (tests/tinyargos.py) makes translation almost free, so a
benchmark on it measures sentence splitting and Python overhead, not what a
publisher waits for.  This module builds a genuine argostranslate package with
the shape of a real Argos model: a Transformer of 6 encoder and 6 decoder
layers, d_model 512, 8 heads, feed-forward 2048, a ~31,000-piece
SentencePiece vocabulary, int8 weights, the MiniSBD splitter and
metadata.json, as tests/tinyargos.py lays them out.

The weights are random, so the output is nonsense, but the compute per
decoding step is a real model's.  What a real model also has is realistic
output length: a random model either stops at once or runs to the decoding
limit.  So two dimensions of the residual stream (``_UP``/``_DOWN``, as a
+/- pair so that layer normalisation's mean does not move them) carry a count:
the encoder's position table writes ``+c*s`` into them, one decoder
cross-attention head attends uniformly over the source (its query weights are
zero) and reads that count back as the source length, the decoder's position
table adds ``a*t`` for the decoding step, and the end-of-sentence logit reads
the difference.  Decoding therefore ends near the source length; the
benchmark measures and prints the output/input length ratio.  The position
tables are otherwise the sinusoids every Argos model uses; a learned table
costs the same as a computed one.

Built once and cached in ``~/.cache/pipeline-bench`` (``XDG_CACHE_HOME``),
keyed by the recipe version, the seed texts and the CTranslate2 version.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

LAYERS = 6
D_MODEL = 512
HEADS = 8
FFN = 2048
VOCAB = 31_000
POSITIONS = 4096  # rows of the position tables: longer than any sentence argostranslate sends
RECIPE = "3"  # bump when anything below changes what is built
SYNTHETIC_LINES = 40_000  # enough distinct word pieces for SentencePiece to reach VOCAB
_UP, _DOWN = D_MODEL - 2, D_MODEL - 1  # the length-count pair of residual dimensions
STEP = 0.1  # a: the count added per decoding step
SOURCE = 0.05  # c: the count per source position in the encoder
STOP_SLOPE = 1.5  # end-of-sentence logit gained per decoding step past the source length
# g: cross-attention gain that turns the mean source count into "source length" steps; measured
# (the encoder's final layer norm divides by its residual stream's spread, which is not known
# in closed form), so that decoding ends near the source length on the seeds.
GAIN = 8.0
STOP_BIAS = 3.0  # end-of-sentence logit where the counts cancel: about the best random token's


def cache_dir() -> Path:
    """Where built models are kept between benchmark runs."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "pipeline-bench"


def training_lines(texts: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """The seeds' own lines, weighted, plus ``count`` synthetic lines of seed words and pseudo-words.

    The seeds hold about 1,500 distinct words, far too few for a 31,000-piece
    vocabulary; pseudo-words glued from fragments of seed words give SentencePiece
    enough distinct pieces, while the seeds' real words stay frequent enough to
    be whole pieces, as in a real model's vocabulary (about 1.2 pieces a word).
    """
    words = sorted({w for text in texts for w in re.findall(r"[^\W\d_]+", text)})
    fragments = sorted({w[i:i + n].lower() for w in words for n in (2, 3, 4) for i in range(len(w) - n + 1)})
    lines = [line for text in texts for line in text.splitlines() if line.strip()] * 3
    for _ in range(count):
        picked = [rng.choice(words) if rng.random() < 0.5 else
                  "".join(rng.choice(fragments) for _ in range(rng.randint(2, 3)))
                  for _ in range(rng.randint(8, 20))]
        lines.append(" ".join(picked) + ".")
    return lines


def train_vocabulary(texts: Sequence[str], out: Path) -> list[str]:
    """A unigram SentencePiece model as close to ``VOCAB`` pieces as the training text allows."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines(texts, SYNTHETIC_LINES, random.Random(5))),
        model_writer=model, vocab_size=VOCAB, character_coverage=1.0, model_type="unigram",
        hard_vocab_limit=False, byte_fallback=False, minloglevel=2, num_threads=os.cpu_count() or 1)
    out.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _sinusoids(rows: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The sinusoidal position table (sines, then cosines), as OpenNMT-trained Argos models use."""
    half = D_MODEL // 2
    rates = np.exp(-np.arange(half) * np.log(10000.0) / (half - 1))
    angles = np.arange(rows)[:, None] * rates[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def build_model(pieces: list[str], out_dir: Path, seed: int = 11) -> None:
    """Declare, fill, quantize to int8 and save the Transformer (see the module docstring)."""
    from ctranslate2.specs import transformer_spec  # type: ignore[import-untyped]
    from tinyargos import _fill  # type: ignore[import-not-found]

    spec = transformer_spec.TransformerSpec.from_config((LAYERS, LAYERS), HEADS)
    _fill(spec, len(pieces), np.random.default_rng(seed), d_model=D_MODEL, ffn=FFN, std=D_MODEL ** -0.5)
    encoder, decoder = spec.encoder, spec.decoder
    pair = [_UP, _DOWN]
    # Nothing but the position tables and the one head below writes into the count pair.
    for embeddings in (*encoder.embeddings, decoder.embeddings):
        embeddings.weight[:, pair] = 0.0
    for layer in encoder.layer:
        layer.self_attention.linear[1].weight[pair] = 0.0
        layer.ffn.linear_1.weight[pair] = 0.0
    for layer in decoder.layer:
        layer.self_attention.linear[1].weight[pair] = 0.0
        layer.attention.linear[2].weight[pair] = 0.0
        layer.ffn.linear_1.weight[pair] = 0.0
    ramp = np.arange(POSITIONS, dtype=np.float32)
    table = _sinusoids(POSITIONS)
    table[:, _UP], table[:, _DOWN] = SOURCE * ramp, -SOURCE * ramp
    encoder.position_encodings.encodings = table
    table = _sinusoids(POSITIONS)
    table[:, _UP], table[:, _DOWN] = STEP * ramp, -STEP * ramp
    decoder.position_encodings.encodings = table
    # Decoder layer 0, head 0: uniform attention over the source (zero queries); its first value
    # dimension reads the encoder's count, and the output projection subtracts it from the pair.
    head = D_MODEL // HEADS
    cross = decoder.layer[0].attention
    cross.linear[0].weight[:head] = 0.0
    value = cross.linear[1].weight[D_MODEL]  # fused keys then values: row D_MODEL is head 0's first value
    value[:] = 0.0
    value[_UP], value[_DOWN] = 1.0, -1.0
    cross.linear[2].weight[:, 0] = 0.0
    cross.linear[2].weight[_UP, 0], cross.linear[2].weight[_DOWN, 0] = -GAIN, GAIN
    # The end-of-sentence logit: the pair's difference, scaled to STOP_SLOPE per step past the source.
    projection = decoder.projection
    eos = pieces.index("</s>")
    projection.weight[eos] = 0.0
    weight = STOP_SLOPE / (2 * STEP)  # before the final layer norm's division; measured in the ratio
    projection.weight[eos, _UP], projection.weight[eos, _DOWN] = weight, -weight
    bias = np.zeros(len(pieces), dtype=np.float32)
    bias[eos] = STOP_BIAS
    for never in ("<unk>", "<s>"):  # a trained model almost never emits these
        bias[pieces.index(never)] = -20.0
    projection.bias = bias
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


def build_package(texts: list[str], out_file: Path, from_code: str = "en", to_code: str = "es",
                  version: str = "1.0") -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` with the production-shaped model."""
    from tinyargos import build_minisbd_model, write_package

    work = out_file.parent / f".build-{from_code}_{to_code}"
    shutil.rmtree(work, ignore_errors=True)
    root = work / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    (root / "model").mkdir(parents=True)
    pieces = train_vocabulary(texts, root / "sentencepiece.model")
    build_model(pieces, root / "model")
    build_minisbd_model(texts, root / "minisbd" / f"{from_code}.onnx")
    write_package(work, root, out_file, from_code, to_code, version)
    shutil.rmtree(work, ignore_errors=True)
    return out_file


def cached_package(texts: list[str]) -> Path:
    """The production-shaped package for ``texts``, built on first use and kept in ``cache_dir()``."""
    import ctranslate2

    key = hashlib.sha256("\0".join([RECIPE, ctranslate2.__version__, *texts]).encode()).hexdigest()[:16]
    out = cache_dir() / f"production-{key}" / "translate-en_es-1_0.argosmodel"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        build_package(texts, partial)
        partial.rename(out)  # build_package zipped it under the final name's folder layout
    return out
