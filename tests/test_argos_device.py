"""Where argos models run: the [argos] table, argostranslate's setting, and the GPU when there is one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import invoke

from pipeline.config import ArgosSettings, load_config
from pipeline.engines.argos import GPU_BATCH_TOKENS, MAX_BATCH_TOKENS, ArgosEngine, choose_device, find_package
from pipeline.errors import EngineError


@pytest.mark.parametrize(("setting", "env", "gpus", "device"), [
    ("auto", "", 0, "cpu"),
    ("auto", "", 1, "cuda"),
    ("auto", "cpu", 2, "cpu"),  # argostranslate's ARGOS_DEVICE_TYPE is respected
    ("auto", "cuda", 0, "cuda"),
    ("cpu", "cuda", 4, "cpu"),  # pipeline.toml wins
    ("cuda", "", 0, "cuda"),
], ids=["no-gpu", "gpu-seen", "argos-says-cpu", "argos-says-cuda", "toml-cpu", "toml-cuda"])
def test_the_device_follows_settings_then_argostranslate_then_the_hardware(setting: str, env: str, gpus: int,
                                                                            device: str) -> None:
    assert choose_device(setting, env, lambda: gpus) == device


def test_the_argos_table_is_read(project: Path) -> None:
    with open(project / "pipeline.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[argos]\ndevice = "cuda"\ncompute_type = "int8_float16"\nbatch_tokens = 16384\n')
    assert load_config(project / "pipeline.toml").argos == ArgosSettings(
        device="cuda", compute_type="int8_float16", batch_tokens=16384)


@pytest.mark.parametrize(("table", "message"), [
    ('device = "tpu"', "[argos] device 'tpu' is not one of auto, cpu, cuda"),
    ('compute_type = "int4"', "[argos] compute_type 'int4' is not one of auto"),
    ("batch_tokens = -1", "[argos] batch_tokens must be a whole number"),
    ("threads = 2", "unknown key 'threads' in [argos]"),
], ids=["device", "compute-type", "batch", "unknown-key"])
def test_bad_argos_settings_are_named(project: Path, table: str, message: str) -> None:
    with open(project / "pipeline.toml", "a", encoding="utf-8") as handle:
        handle.write(f"\n[argos]\n{table}\n")
    result = invoke("status")
    assert result.exit_code == 1 and message in result.output, result.output
    assert "pipeline.toml" in result.output, result.output


@pytest.mark.slow
def test_the_engine_runs_where_it_is_told(argos_installed: Path) -> None:
    """On the CPU with the CPU's batches; on a GPU when asked, or a clear error where there is none."""
    import ctranslate2

    info = find_package("en", "es")
    assert info is not None
    engine = ArgosEngine(info, ArgosSettings(device="cpu"))
    assert engine.translate(["The workers met."])[0] and engine.device == "cpu"
    assert engine._batch_tokens == MAX_BATCH_TOKENS
    gpu = ArgosEngine(info, ArgosSettings(device="cuda"))
    if ctranslate2.get_cuda_device_count() == 0:
        with pytest.raises(EngineError, match="on cuda") as failure:
            gpu.translate(["The workers met."])
        assert 'device = "cpu"' in (failure.value.hint or ""), failure.value
    else:
        assert gpu.translate(["The workers met."])[0] and gpu.device == "cuda"
        assert gpu._batch_tokens == GPU_BATCH_TOKENS
