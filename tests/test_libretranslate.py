"""The libretranslate engine against a real LibreTranslate server on 127.0.0.1.

The server runs from its own virtual environment with the tiny argos models;
a counting proxy in front of it measures requests in flight and injects 503s.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import invoke, snapshot, use_libretranslate
from libreserver import Gauge, Proxy, free_port

from pipeline.po import load_po


def _filled(project: Path, lang: str) -> list[str]:
    return [m.msgstr for po in sorted((project / "i18n" / lang).glob("*.po")) for m in load_po(po).active()]


@pytest.mark.slow
def test_bounded_concurrency_over_a_pool(project: Path, libretranslate_url: str) -> None:
    both = Gauge()
    with (Proxy(libretranslate_url, delay=0.05, gauge=both) as first,
          Proxy(libretranslate_url, delay=0.05, gauge=both) as second):
        use_libretranslate(project, first.url, second.url, concurrency=3, batch=4)
        assert invoke("segment", "-l", "es").exit_code == 0
        result = invoke("translate", "-l", "es", "--engine", "libretranslate")
        assert result.exit_code == 0, result.output
    assert "81 texts sent" in result.output
    # 81 texts in requests of 4: 21 requests, shared by the two servers, at most 3 at a time.
    assert first.texts + second.texts == 81
    assert first.requests + second.requests == 21 + 1  # and one /languages check
    assert abs(first.requests - second.requests) <= 1
    assert 2 <= both.most <= 3, (both.most, first.max_in_flight, second.max_in_flight)
    texts = _filled(project, "es")
    assert len(texts) == 83 and all(texts)
    po = load_po(project / "i18n" / "es" / "000_afd28e63ccbb2c86.po")
    assert all(m.translator_comments[-1].startswith("machine translation: libretranslate default [")
               for m in po.active())


@pytest.mark.slow
def test_retries_busy_and_dead_servers(project: Path, libretranslate_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with Proxy(libretranslate_url, fail_first=3) as busy:
        use_libretranslate(project, dead, busy.url, backoff=0.01, retries=6, batch=20)
        assert invoke("segment", "-l", "es").exit_code == 0
        result = invoke("translate", "-l", "es", "--engine", "libretranslate")
    assert result.exit_code == 0, result.output
    assert busy.failed == 3 and busy.texts == 81
    assert all(_filled(project, "es"))


def test_servers_down_is_one_clear_error_and_other_languages_go_on(project: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    (project / "pipeline.toml").write_text('[engines]\nes = "libretranslate"\npt = "apertium"\n', encoding="utf-8")
    use_libretranslate(project, dead, backoff=0.01, retries=2)
    assert invoke("segment", "-l", "es", "-l", "pt").exit_code == 0
    before = snapshot(project)
    result = invoke("translate", "-l", "es", "-l", "pt")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: es: LibreTranslate failed 3 times: {dead} not reachable: [Errno 111] "
                      "Connection refused; language skipped (start the servers or fix [libretranslate] "
                      "urls in pipeline.toml)"], result.output
    after = snapshot(project)
    assert {k for k in after if k.startswith("i18n/es/") and after[k] != before[k]} == set()
    assert all(_filled(project, "pt"))  # apertium went on


@pytest.mark.slow
def test_a_pair_the_servers_lack_is_named(project: Path, libretranslate_url: str) -> None:
    use_libretranslate(project, libretranslate_url)
    assert invoke("segment", "-l", "pt").exit_code == 0
    result = invoke("translate", "-l", "pt", "--engine", "libretranslate")
    assert result.exit_code == 1
    assert "the LibreTranslate servers cannot translate en->pt (they offer en, es)" in result.output


def test_no_server_configured(project: Path) -> None:
    assert invoke("segment", "-l", "es").exit_code == 0
    result = invoke("translate", "-l", "es", "--engine", "libretranslate")
    assert result.exit_code == 1 and "no LibreTranslate server configured" in result.output


@pytest.mark.slow
def test_cached_drafts_never_reach_the_server_again(project: Path, libretranslate_url: str) -> None:
    with Proxy(libretranslate_url) as proxy:
        use_libretranslate(project, proxy.url)
        assert invoke("segment", "-l", "es").exit_code == 0
        assert invoke("translate", "-l", "es", "--engine", "libretranslate").exit_code == 0
        sent = proxy.texts
        for po in (project / "i18n" / "es").glob("*.po"):
            po.unlink()
        assert invoke("segment", "-l", "es").exit_code == 0
        again = invoke("translate", "-l", "es", "--engine", "libretranslate")
    assert sent == 81 and proxy.texts == 81
    assert "(0 texts sent, 81 from the cache)" in again.output


@pytest.mark.parametrize(("table", "message"), [
    ('urls = "ftp://x"', "[libretranslate] url 'ftp://x' is not an http(s) URL"),
    ("urls = [1]", "[libretranslate] urls must be a list of strings"),
    ("concurrency = 0", "[libretranslate] concurrency must be a whole number of at least 1"),
    ("timeout = 'soon'", "[libretranslate] timeout must be a number of at least 0.001"),
    ("servers = []", "unknown key 'servers' in [libretranslate]"),
], ids=["scheme", "not-strings", "concurrency", "timeout", "unknown-key"])
def test_bad_settings_are_named(project: Path, table: str, message: str) -> None:
    with open(project / "pipeline.toml", "a", encoding="utf-8") as handle:
        handle.write(f"\n[libretranslate]\n{table}\n")
    result = invoke("status")
    assert result.exit_code == 1 and message in result.output, result.output
