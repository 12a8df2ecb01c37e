"""Build a tiny but genuine argostranslate package for the test suite.

Argos models cannot be downloaded here, so the tests make one: a
SentencePiece model trained on the given text, a CTranslate2 Transformer
with small random weights declared through ``ctranslate2.specs``, and a
MiniSBD sentence splitter (``minisbd/en.onnx``) inside the package so that
argostranslate never fetches anything at translation time.  The output is
nonsense, but every line of argostranslate and CTranslate2 code runs for real.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

D_MODEL = 16
FFN = 32
HEADS = 2
SENTENCE_END = ".!?"


def train_sentencepiece(texts: Iterable[str], out: Path, vocab_size: int = 400) -> list[str]:
    """Train a small SentencePiece model and return its pieces in id order."""
    import sentencepiece as spm

    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        character_coverage=1.0,
        byte_fallback=False,
        model_type="unigram",
        minloglevel=2,
    )
    out.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _fill(spec: Any, vocab_size: int, rng: np.random.Generator, d_model: int = D_MODEL, ffn: int = FFN,
          std: float = 0.5) -> None:
    """Give every required weight of the spec a random value (normal, ``std``) of the right shape.

    ``d_model`` and ``ffn`` default to the tiny model's; the benchmark's production-shaped
    model (benchmarks/argosmodel.py) passes its own.
    """
    from ctranslate2.specs import model_spec

    def shape_for(scope: str, name: str) -> tuple[int, ...]:
        parts = scope.split("/")
        if name in ("gamma", "beta"):
            return (d_model,)
        if any(p.startswith("embeddings") for p in parts):
            return (vocab_size, d_model)
        if "projection" in parts:
            return (vocab_size, d_model) if name == "weight" else (vocab_size,)
        if "ffn" in parts:
            if "linear_0" in parts:
                return (ffn, d_model) if name == "weight" else (ffn,)
            return (d_model, ffn) if name == "weight" else (d_model,)
        linear = next(p for p in parts if p.startswith("linear_"))
        index = int(linear.rsplit("_", 1)[1])
        self_attention = "self_attention" in parts
        rows = {
            (True, 0): 3 * d_model,
            (True, 1): d_model,
            (False, 0): d_model,
            (False, 1): 2 * d_model,
            (False, 2): d_model,
        }[(self_attention, index)]
        return (rows, d_model) if name == "weight" else (rows,)

    def visit(layer: Any, scope: str) -> None:
        for name, value in list(layer.__dict__.items()):
            if name.startswith("_"):
                continue
            child_scope = f"{scope}/{name}" if scope else name
            if isinstance(value, list):
                for i, item in enumerate(value):
                    visit(item, f"{child_scope}_{i}")
            elif isinstance(value, model_spec.LayerSpec):
                visit(value, child_scope)
            elif value is None or (value == model_spec.OPTIONAL and name == "bias" and "linear" in scope):
                shape = shape_for(scope, name)
                if name == "gamma":
                    array = np.ones(shape, dtype=np.float32)
                elif name in ("beta", "bias"):
                    array = np.zeros(shape, dtype=np.float32)
                else:
                    array = rng.normal(0, std, shape).astype(np.float32)
                setattr(layer, name, array)

    visit(spec, "")


def build_ctranslate2_model(pieces: list[str], out_dir: Path, seed: int = 7, eos_bias: float = 4.0) -> None:
    """Declare a one-layer Transformer and save it as a CTranslate2 model.

    ``eos_bias`` favours the end-of-sentence token: the default keeps drafts to a
    word or two; a lower one gives sentence-length output (the alignment tests).
    """
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config((1, 1), HEADS)
    rng = np.random.default_rng(seed)
    _fill(spec, len(pieces), rng)
    # Favour the end-of-sentence token a little so drafts stay short.
    eos = pieces.index("</s>")
    spec.decoder.projection.weight *= 0.1
    bias = np.zeros(len(pieces), dtype=np.float32)
    bias[eos] = eos_bias
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.save(str(out_dir))


def build_minisbd_model(texts: Iterable[str], out: Path) -> None:
    """An ONNX sentence splitter in MiniSBD's format: ends sentences at . ! ?"""
    import onnx
    from onnx import TensorProto, helper

    chars = sorted({c for text in texts for c in text if not c.isspace()} | {" "})
    id2unit = ["<PAD>", "<UNK>", *chars]
    table = np.zeros((len(id2unit), 5), dtype=np.float32)
    table[:, 0] = 1.0
    for i, unit in enumerate(id2unit):
        if unit in SENTENCE_END:
            table[i] = [0, 0, 1, 0, 0]
    graph = helper.make_graph(
        nodes=[
            helper.make_node("Gather", ["table", "units"], ["gathered"], axis=0),
            helper.make_node("ReduceSum", ["features", "axes"], ["featsum"], keepdims=1),
            helper.make_node("Mul", ["featsum", "zero"], ["nothing"]),
            helper.make_node("Add", ["gathered", "nothing"], ["logits"]),
        ],
        name="tiny_sbd",
        inputs=[
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "length", 1]),
        ],
        outputs=[helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", 5])],
        initializer=[
            helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten().tolist()),
            helper.make_tensor("axes", TensorProto.INT64, [1], [2]),
            helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    vocab = {
        "lang": "en",
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_id2unit": id2unit,
        "_unit2id": {u: i for i, u in enumerate(id2unit)},
    }
    config = {"feat_funcs": ["capitalized"], "max_seqlen": 1000, "batch_size": 32}
    for key, value in (("lang_code", "en"), ("config", json.dumps(config)), ("vocab", json.dumps(vocab)), ("lexicon", "null")):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(model.SerializeToString())


def build_package(texts: list[str], out_file: Path, from_code: str = "en", to_code: str = "es",
                  version: str = "1.0", eos_bias: float = 4.0) -> Path:
    """Write ``translate-<from>_<to>-<version>.argosmodel`` (a zip with one top folder)."""
    work = out_file.parent / f".build-{from_code}_{to_code}"
    root = work / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    (root / "model").mkdir(parents=True, exist_ok=True)
    pieces = train_sentencepiece(texts, root / "sentencepiece.model")
    build_ctranslate2_model(pieces, root / "model", eos_bias=eos_bias)
    build_minisbd_model(texts, root / "minisbd" / f"{from_code}.onnx")
    return write_package(work, root, out_file, from_code, to_code, version)


def write_package(work: Path, root: Path, out_file: Path, from_code: str, to_code: str, version: str) -> Path:
    """Add ``metadata.json`` to the package folder ``root`` (inside ``work``) and zip it as
    ``out_file``, one top folder as argostranslate expects."""
    metadata = {
        "package_version": version,
        "argos_version": "1.11",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
        "links": [],
    }
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    with zipfile.ZipFile(out_file, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            archive.write(path, path.relative_to(work).as_posix())
    return out_file
