"""LibreTranslate: the self-hosted HTTP API, spread over a pool of servers.

Paragraphs travel as HTML (``format=html``, see ``tagged.to_tagged``) in
requests of a few dozen; at most ``concurrency`` requests are in flight, each
aimed at the next server of the pool in turn.  A request that fails for a
reason worth retrying (connection refused, timeout, 429, 5xx) goes to the next
server after an exponential back-off; a request the server rejects (bad key,
unknown language) fails at once with the server's own words.

LibreTranslate unescapes its HTML output, so ``&lt;``/``&gt;``/``&amp;`` in
the text would come back as bare characters that look like tags.  They travel
as empty placeholder elements instead and are put back afterwards.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from ..config import LibreSettings
from ..errors import EngineError
from ..language import Language
from . import Progress

_ENTITIES = {"&lt;": '<img alt="lt"/>', "&gt;": '<img alt="gt"/>', "&amp;": '<img alt="amp"/>'}
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


class _Retry(Exception):
    """A failure another attempt (or another server) may not have."""


def _code(lang: str) -> str:
    return Language(lang).base


class LibreTranslateEngine:
    """Tagged paragraphs to a pool of LibreTranslate servers, in bounded parallel requests."""

    name = "libretranslate"
    tagged = True
    batch = 4096  # texts per call from the pipeline (progress granularity); requests are smaller

    def __init__(self, settings: LibreSettings | None, source: str, target: str) -> None:
        if settings is None or not settings.urls:
            raise EngineError("no LibreTranslate server configured",
                              hint="list them in pipeline.toml: [libretranslate] urls = [\"http://host:5000\"]")
        self.settings = settings
        self.source, self.target = _code(source), _code(target)
        self.model = settings.model
        self._turn = 0
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ HTTP

    def _next_url(self) -> str:
        with self._lock:
            url = self.settings.urls[self._turn % len(self.settings.urls)]
            self._turn += 1
        return url.rstrip("/")

    def _call(self, url: str, path: str, payload: dict[str, object] | None) -> object:
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url + path, data=data, method="GET" if data is None else "POST",
                                         headers={"Content-Type": "application/json",
                                                  "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = _error_text(exc)
            if exc.code in _RETRY_STATUS:
                raise _Retry(f"{url} answered {exc.code}: {detail}") from None
            raise EngineError(f"LibreTranslate at {url} refused the request ({exc.code}): {detail}",
                              hint=_hint_for(exc.code)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise _Retry(f"{url} not reachable: {reason}") from None
        except ValueError:
            raise _Retry(f"{url} answered with something that is not JSON") from None

    def _with_retries(self, path: str, payload: dict[str, object] | None) -> object:
        delay = self.settings.backoff
        failures: list[str] = []
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(delay)
                delay *= 2
            try:
                return self._call(self._next_url(), path, payload)
            except _Retry as exc:
                failures.append(str(exc))
        raise EngineError(f"LibreTranslate failed {len(failures)} times: {failures[-1]}",
                          hint="start the servers or fix [libretranslate] urls in pipeline.toml")

    # ------------------------------------------------------------ translating

    def check_pair(self) -> None:
        """Fail early, with the server's list, when the pool does not offer the pair."""
        languages = self._with_retries("/languages", None)
        if not isinstance(languages, list):
            raise EngineError("LibreTranslate /languages answered something unexpected")
        for entry in languages:
            if isinstance(entry, dict) and entry.get("code") == self.source:
                if self.target in (entry.get("targets") or []):
                    return
        offered = sorted(str(e.get("code")) for e in languages if isinstance(e, dict))
        raise EngineError(f"the LibreTranslate servers cannot translate {self.source}->{self.target} "
                          f"(they offer {', '.join(offered) or 'nothing'})",
                          hint="install the model on the servers, or choose another engine for this language")

    def _request(self, texts: Sequence[str]) -> list[str]:
        payload: dict[str, object] = {"q": [_protect(t) for t in texts], "source": self.source,
                                      "target": self.target, "format": "html"}
        if self.settings.api_key:
            payload["api_key"] = self.settings.api_key
        answer = self._with_retries("/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise EngineError(f"LibreTranslate returned {len(translated) if isinstance(translated, list) else 'no'} "
                              f"translations for {len(texts)} texts")
        return [_restore(str(t)) for t in translated]

    def translate(self, texts: Sequence[str], progress: Progress | None = None) -> list[str]:
        size = max(1, self.settings.batch)
        chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
        results: list[list[str]] = [[] for _ in chunks]
        workers = max(1, min(self.settings.concurrency, len(chunks)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(self._request, chunk): i for i, chunk in enumerate(chunks)}
            try:
                for future, index in futures.items():
                    results[index] = future.result()
                    if progress:
                        progress(len(chunks[index]))
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        return [text for chunk in results for text in chunk]


def _protect(text: str) -> str:
    for entity, element in _ENTITIES.items():
        text = text.replace(entity, element)
    return text


def _restore(text: str) -> str:
    for entity, element in _ENTITIES.items():
        text = text.replace(element, entity).replace(element.replace("/>", ">"), entity)
    return text


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read().decode("utf-8"))
        if isinstance(body, dict) and body.get("error"):
            return str(body["error"])[:300]
    except (OSError, ValueError):
        pass
    return str(exc.reason)


def _hint_for(code: int) -> str:
    if code in (401, 403):
        return "set [libretranslate] api_key in pipeline.toml or LIBRETRANSLATE_API_KEY"
    return "check the language codes and the servers' models"
