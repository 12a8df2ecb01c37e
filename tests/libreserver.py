"""Real LibreTranslate servers for the tests and the benchmark, and a counting proxy.

The servers run from ``.venv-libretranslate`` (see scripts/setup-libretranslate.sh)
with the tiny argos models installed into their own temporary folders, so they
never look at the network or at the product's environment.  The proxy sits in
front of a real server to count requests in flight and to answer 503 a given
number of times: instrumentation, not a stand-in.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("PIPELINE_LIBRETRANSLATE_VENV", ROOT / ".venv-libretranslate"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_", "LT_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"), ARGOS_PACKAGES_DIR=str(home / "packages"),
               PYTHONWARNINGS="ignore")
    return env


def install_models(home: Path, models: Sequence[Path]) -> None:
    """Install with LibreTranslate's own argostranslate, as its users would."""
    home.mkdir(parents=True, exist_ok=True)
    code = ("import sys, argostranslate.package as p\n"
            "for f in sys.argv[1:]: p.install_from_path(f)\n")
    subprocess.run([str(VENV / "bin" / "python"), "-c", code, *map(str, models)],
                   env=server_env(home), check=True, capture_output=True, timeout=120)


@contextmanager
def servers(home: Path, count: int, languages: str = "en,es", threads: int = 4) -> Iterator[list[str]]:
    """Start ``count`` LibreTranslate processes on free ports; yield their URLs once all answer."""
    if not (VENV / "bin" / "libretranslate").exists():
        raise RuntimeError(f"{VENV} has no LibreTranslate: run scripts/setup-libretranslate.sh")
    procs, urls = [], []
    try:
        for _ in range(count):
            port = free_port()
            log = open(home / f"server-{port}.log", "wb")
            procs.append(subprocess.Popen(
                [str(VENV / "bin" / "libretranslate"), "--host", "127.0.0.1", "--port", str(port),
                 "--load-only", languages, "--disable-web-ui", "--threads", str(threads)],
                env=server_env(home), stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(urls, procs):
            wait_ready(url, proc)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"LibreTranslate at {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/languages", timeout=2) as response:
                if json.loads(response.read()):
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"LibreTranslate at {url} did not answer within {timeout} s")


class Gauge:
    """Requests in flight across several proxies, and the most at once: one lock for all of them,
    so the figure is a true count at an instant (two proxies' own maxima may come at different
    times and add up to more than the client ever had)."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()

    def change(self, step: int) -> None:
        with self.lock:
            self.now += step
            self.most = max(self.most, self.now)


class Proxy:
    """Forwards to a real server; counts requests and the most in flight; can fail the first N.

    A request counts as in flight from when its body has been read to just before its answer is
    sent: the client holds it in flight all that time, so the count never exceeds the client's."""

    def __init__(self, target: str, fail_first: int = 0, delay: float = 0.0,
                 gauge: Gauge | None = None) -> None:
        self.target, self.fail_first, self.delay = target, fail_first, delay
        self.gauge = gauge or Gauge()
        self.requests = self.failed = self.in_flight = self.max_in_flight = 0
        self.texts = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
                with proxy._lock:
                    proxy.requests += 1
                    proxy.in_flight += 1
                    proxy.max_in_flight = max(proxy.max_in_flight, proxy.in_flight)
                    fail = proxy.failed < proxy.fail_first and self.path == "/translate"
                    proxy.failed += fail
                    if body and not fail:
                        proxy.texts += len(json.loads(body).get("q", []))
                proxy.gauge.change(+1)
                answered = False
                try:
                    time.sleep(proxy.delay)
                    if fail:
                        status, data = 503, b'{"error": "busy"}'
                    else:
                        request = urllib.request.Request(proxy.target + self.path, data=body,
                                                         method=self.command,
                                                         headers={"Content-Type": "application/json"})
                        try:
                            with urllib.request.urlopen(request, timeout=120) as response:
                                status, data = response.status, response.read()
                        except urllib.error.HTTPError as exc:
                            status, data = exc.code, exc.read()
                    with proxy._lock:
                        proxy.in_flight -= 1
                    proxy.gauge.change(-1)
                    answered = True
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    if not answered:
                        with proxy._lock:
                            proxy.in_flight -= 1
                        proxy.gauge.change(-1)

            do_GET = do_POST = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Proxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
