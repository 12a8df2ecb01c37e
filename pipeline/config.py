"""Project configuration: ``pipeline.toml`` read once and passed down as a frozen value."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .language import Language

ENGINE_CHOICES = ("auto", "argos", "apertium", "libretranslate", "pseudo", "none")
_KNOWN = {
    "project": {"name", "publisher", "source_language", "target_languages"},
    "paths": {"sources", "i18n", "exports", "glossary", "cache"},
    "engines": None,  # language codes and "default"
    "export": {"epub", "web", "site_url"},
    "credits": {"anonymous"},
    "source_languages": None,  # file name patterns and the language of the files they match
    "libretranslate": {"urls", "api_key", "concurrency", "batch", "timeout", "retries", "backoff", "model"},
    "argos": {"device", "compute_type", "batch_tokens"},
}
ARGOS_DEVICES = ("auto", "cpu", "cuda")
ARGOS_COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                       "float16", "bfloat16", "float32")  # CTranslate2's compute types


@dataclass(frozen=True)
class LibreSettings:
    """The ``[libretranslate]`` table of pipeline.toml."""

    urls: tuple[str, ...] = ()
    api_key: str = ""
    concurrency: int = 4  # requests in flight over the whole pool
    batch: int = 32  # paragraphs per request
    timeout: float = 120.0  # seconds per request
    retries: int = 4  # further attempts per request, each on the next server
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    model: str = "default"  # a label for the servers' models: change it to retire cached drafts


@dataclass(frozen=True)
class ArgosSettings:
    """The ``[argos]`` table: where CTranslate2 runs the argos models, and how much it batches.

    ``auto`` is argostranslate's own setting (``ARGOS_DEVICE_TYPE``) when set, else
    the GPU when CTranslate2 sees one, else the CPU.  ``batch_tokens`` 0 picks a
    size for the device (more tokens per batch on a GPU).
    """

    device: str = "auto"
    compute_type: str = "auto"  # argostranslate's ARGOS_COMPUTE_TYPE when set
    batch_tokens: int = 0


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know about the project, resolved to absolute paths."""

    root: Path
    name: str = "pipeline"
    publisher: str = ""  # who publishes the books (dc:publisher); the project's name when not set
    source_language: Language = Language("en")
    target_languages: tuple[Language, ...] = (Language("es"), Language("pt"), Language("fr"))
    sources_dir: Path = Path("seeds")
    i18n_dir: Path = Path("i18n")
    exports_dir: Path = Path("exports")
    glossary_dir: Path = Path("glossary")
    cache_dir: Path = Path(".cache/pipeline")
    engines: dict[str, str] = field(default_factory=dict)
    libretranslate: LibreSettings = LibreSettings()
    argos: ArgosSettings = ArgosSettings()
    epub: bool = True  # [export] epub: every export also zips each book into <name>.epub
    web: bool = True  # [export] web: every export also writes the web edition, exports/index.html
    site_url: str = ""  # [export] site_url: where exports/ is published; book pages link back to it
    anonymous: tuple[str, ...] = ()  # [credits] anonymous: translators (name or e-mail) not to credit
    source_rules: tuple[tuple[str, Language], ...] = ()  # [source_languages]: "*.es.md" = "es"

    @property
    def languages(self) -> tuple[Language, ...]:
        """Every language the publication appears in: ``source_language`` first, then the targets.

        Each article is published in its own language and drafted into all the others.
        """
        return tuple(dict.fromkeys((self.source_language, *self.target_languages)))

    def engine_for(self, lang: str) -> str:
        """The configured engine for ``lang``: its own entry, else ``default``, else auto."""
        return self.engines.get(lang, self.engines.get("default", "auto"))

    def relative(self, path: Path) -> str:
        """A path as shown to users and written into references: relative to the project root."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


CONFIG_NAME = "pipeline.toml"


def find_config(start: Path) -> Path:
    """``pipeline.toml`` in ``start`` or the nearest folder above it, the way git finds ``.git``."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError(f"no {CONFIG_NAME} in {here} or any folder above it",
                      hint="run 'pipeline init' to start a project here, or pass --config FILE")


def _locator(text: str) -> Callable[[str, str | None], int | None]:
    """Line of ``[section]`` (key None) or of ``key = `` inside it, for error messages."""
    lines = text.splitlines()

    def find(section: str, key: str | None = None) -> int | None:
        current = ""
        for number, line in enumerate(lines, start=1):
            stripped = line.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1).strip().strip('"')
                if key is None and current == section:
                    return number
            elif key is not None and current == section and re.match(
                    rf'^(?:"{re.escape(key)}"|{re.escape(key)})\s*=', stripped):
                return number
        return None

    return find


def load_config(path: Path) -> Config:
    """Read and validate ``pipeline.toml``; every problem names the file, the line and the key."""
    data, text = _parse(path)
    line = _locator(text)
    _check_shape(data, path, line)
    project = data.get("project", {})
    root = path.parent.resolve()
    source, targets = _languages(project, path, line)
    paths = data.get("paths", {})

    def folder(key: str, default: str) -> Path:
        return _folder(paths, key, default, root, path, line)

    return Config(
        root=root,
        name=str(project.get("name", root.name)),
        publisher=str(project.get("publisher", "") or project.get("name", root.name)).strip(),
        source_language=source,
        target_languages=targets,
        sources_dir=folder("sources", "seeds"),
        i18n_dir=folder("i18n", "i18n"),
        exports_dir=folder("exports", "exports"),
        glossary_dir=folder("glossary", "glossary"),
        cache_dir=folder("cache", ".cache/pipeline"),
        engines=_engines(data.get("engines", {}), path, line),
        libretranslate=_libre(data.get("libretranslate", {}), path),
        argos=_argos(data.get("argos", {}), path, line),
        **_export(data.get("export", {}), path, line),
        anonymous=_anonymous(data.get("credits", {}), path, line),
        source_rules=tuple((str(pattern), _language(code, pattern, path, line, "source_languages"))
                           for pattern, code in data.get("source_languages", {}).items()),
    )


Locator = Callable[[str, str | None], int | None]


def _parse(path: Path) -> tuple[dict[str, Any], str]:
    """The TOML tables and the text they came from (a UTF-8 byte order mark is harmless, so accepted)."""
    try:
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except FileNotFoundError:
        raise ConfigError("configuration file not found", path,
                          hint="run the command from the project folder or pass --config") from None
    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(f"not valid TOML: {exc}", path, int(match.group(1)) if match else None) from None


def _check_shape(data: dict[str, Any], path: Path, line: Locator) -> None:
    """Known sections and keys only, and no value that could forge a line in a catalog header."""
    for section, value in data.items():
        if section not in _KNOWN:
            raise ConfigError(f"unknown section [{section}]", path, line(section, None),
                              hint=f"known sections: {', '.join(sorted(_KNOWN))}")
        if not isinstance(value, dict):
            raise ConfigError(f"[{section}] must be a table", path, line(section, None))
        allowed = _KNOWN[section]
        for key in value:
            if allowed is not None and key not in allowed:
                raise ConfigError(f"unknown key {key!r} in [{section}]", path, line(section, key),
                                  hint=f"known keys: {', '.join(sorted(allowed))}")
        for key, item in value.items():
            for text in (item if isinstance(item, list) else [item]):
                if isinstance(text, str) and re.search(r"[\x00-\x1f\x7f]", text):
                    raise ConfigError(f"[{section}] {key} contains a line break or control character",
                                      path, line(section, key), hint="write it on one line")


def _language(code: object, key: str, path: Path, line: Locator, section: str = "project") -> Language:
    try:
        return Language.parse(str(code), f"[{section}] {key}")
    except ConfigError as exc:
        raise exc.but(path=path, lineno=line(section, key)) from None


def _languages(project: dict[str, Any], path: Path, line: Locator) -> tuple[Language, tuple[Language, ...]]:
    """The default source language and the languages the publication appears in, in gettext form.

    ``target_languages`` may list the source language: an article written in
    another language is then drafted into it too."""
    source = _language(project.get("source_language", "en"), "source_language", path, line)
    targets_raw = project.get("target_languages", ["es", "pt", "fr"])
    if not isinstance(targets_raw, list) or not targets_raw:
        raise ConfigError("target_languages must be a non-empty list", path, line("project", "target_languages"))
    targets = tuple(dict.fromkeys(_language(t, "target_languages", path, line) for t in targets_raw))
    return source, targets


def _engines(table: dict[str, Any], path: Path, line: Locator) -> dict[str, str]:
    engines: dict[str, str] = {}
    for key, value in table.items():
        name = str(value)
        if name not in ENGINE_CHOICES:
            raise ConfigError(f"unknown engine {name!r} for {key!r} in [engines]", path, line("engines", key),
                              hint=f"choose one of {', '.join(ENGINE_CHOICES)}")
        engines["default" if key == "default" else _language(key, key, path, line, "engines")] = name
    return engines


def _folder(paths: dict[str, Any], key: str, default: str, root: Path, path: Path, line: Locator) -> Path:
    value = paths.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"[paths] {key} must be a non-empty string", path, line("paths", key))
    resolved = (root / value).resolve()
    if key != "sources" and (resolved == root or resolved in root.parents):
        # The pipeline writes, and sweeps its temporary files, in these folders: never / or the project.
        raise ConfigError(f"[paths] {key} = {value!r} is the project folder itself or one above it",
                          path, line("paths", key), hint=f"use a folder of its own, such as {default!r}")
    return resolved


def _export(table: dict[str, Any], path: Path, line: Callable[[str, str | None], int | None]) -> dict[str, Any]:
    """The [export] table: what every export writes besides the book folders (both on by default), and
    where the web edition is published (``site_url``: each book page then links back to it)."""
    found: dict[str, Any] = {}
    for key in ("epub", "web"):
        value = table.get(key, True)
        if not isinstance(value, bool):
            raise ConfigError(f"[export] {key} must be true or false", path, line("export", key),
                              hint=f"write {key} = true or {key} = false")
        found[key] = value
    site = str(table.get("site_url", "")).strip()
    if site and not re.fullmatch(r"https?://[^\s/$.?#][^\s\"<>]*", site):
        raise ConfigError(f"[export] site_url must be an http(s) address: {site!r}", path, line("export", "site_url"),
                          hint='write site_url = "https://example.org/articles/"')
    found["site_url"] = site.rstrip("/") + "/" if site else ""
    return found


def _anonymous(table: dict[str, Any], path: Path, line: Callable[[str, str | None], int | None]) -> tuple[str, ...]:
    """[credits] anonymous: the names or e-mail addresses of translators who asked not to be credited."""
    value = table.get("anonymous", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError("[credits] anonymous must be a list of names or e-mail addresses", path,
                          line("credits", "anonymous"), hint='write anonymous = ["Name", "name@example.org"]')
    return tuple(v.strip() for v in value if v.strip())


def _libre(table: dict[str, Any], path: Path) -> LibreSettings:
    """The [libretranslate] table; the API key may come from LIBRETRANSLATE_API_KEY instead."""
    urls = table.get("urls", [])
    if isinstance(urls, str):
        urls = [urls]
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ConfigError("[libretranslate] urls must be a list of strings", path)
    for url in urls:
        if not re.match(r"^https?://[^\s/]+", url):
            raise ConfigError(f"[libretranslate] url {url!r} is not an http(s) URL", path,
                              hint="write it as http://host:port")
    numbers: dict[str, float] = {}
    for key, kind, low in (("concurrency", int, 1), ("batch", int, 1), ("retries", int, 0),
                           ("timeout", float, 0.001), ("backoff", float, 0.0)):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or (kind is int and not isinstance(value, int)) or value < low:
                raise ConfigError(f"[libretranslate] {key} must be a {'whole ' if kind is int else ''}number "
                                  f"of at least {low:g}", path)
            numbers[key] = value
    defaults = LibreSettings()
    return LibreSettings(
        urls=tuple(u.rstrip("/") for u in urls),
        api_key=str(table.get("api_key", "") or os.environ.get("LIBRETRANSLATE_API_KEY", "")),
        concurrency=int(numbers.get("concurrency", defaults.concurrency)),
        batch=int(numbers.get("batch", defaults.batch)),
        timeout=float(numbers.get("timeout", defaults.timeout)),
        retries=int(numbers.get("retries", defaults.retries)),
        backoff=float(numbers.get("backoff", defaults.backoff)),
        model=str(table.get("model", defaults.model)),
    )


def _argos(table: dict[str, Any], path: Path, line: Locator) -> ArgosSettings:
    """The [argos] table, each value checked against what CTranslate2 accepts."""
    for key, allowed in (("device", ARGOS_DEVICES), ("compute_type", ARGOS_COMPUTE_TYPES)):
        if key in table and table[key] not in allowed:
            raise ConfigError(f"[argos] {key} {table[key]!r} is not one of {', '.join(allowed)}", path,
                              line("argos", key), hint=f'write {key} = "{allowed[0]}"')
    batch = table.get("batch_tokens", 0)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 0:
        raise ConfigError("[argos] batch_tokens must be a whole number (0: chosen for the device)", path,
                          line("argos", "batch_tokens"))
    return ArgosSettings(device=str(table.get("device", "auto")), compute_type=str(table.get("compute_type", "auto")),
                         batch_tokens=batch)
