"""Managing argos models: list, install from a local ``.argosmodel``, download from the index.

Archives are checked before anything touches the package folder (one top
folder, no absolute or ``..`` paths, no links, a readable ``metadata.json``,
a cap on the unpacked size) and unpacked beside it, then renamed into place,
so a failed install leaves nothing behind and the other models keep working.
"""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath

from .engines.argos import ModelInfo, installed_models, packages_dir, read_metadata
from .errors import ModelError

MAX_UNPACKED = 4 * 1024**3
MAX_RATIO = 200  # real model files (float weights, SentencePiece) compress a few times at most
INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"


def list_models() -> list[ModelInfo]:
    return installed_models()


def _check_archive(archive: zipfile.ZipFile, path: Path) -> tuple[str, str, str]:
    """The archive's top folder and language pair, once every member is known to be safe."""
    tops: set[str] = set()
    total = 0
    for info in archive.infolist():
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename or not name.parts:
            raise ModelError(f"archive member {info.filename!r} would escape the model folder", path,
                             hint="the archive is unsafe; get the model from a trusted source")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ModelError(f"archive member {info.filename!r} is a symbolic link", path,
                             hint="the archive is unsafe; get the model from a trusted source")
        tops.add(name.parts[0])
        total += info.file_size
        if info.file_size > 1024**2 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise ModelError(f"archive member {info.filename!r} would unpack {ratio}"
                             f" times larger than it is stored (a zip bomb?)", path,
                             hint="the archive is unsafe; get the model from a trusted source")
    if total > MAX_UNPACKED:
        raise ModelError(f"archive unpacks to {total} bytes, more than the {MAX_UNPACKED} allowed", path,
                         hint="the archive is unsafe or not an argos model")
    if len(tops) != 1:
        raise ModelError(f"archive must hold exactly one top folder, found {len(tops)}", path)
    top = tops.pop()
    try:
        meta = json.loads(archive.read(f"{top}/metadata.json"))
    except KeyError:
        raise ModelError("archive has no metadata.json in its top folder", path) from None
    except (ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"metadata.json is unreadable: {exc}", path) from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        raise ModelError("metadata.json lacks from_code/to_code", path)
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"metadata.json describes a {meta.get('type')!r} package, not a translation model", path)
    return top, str(meta["from_code"]), str(meta["to_code"])


def install(path: Path, force: bool = False) -> ModelInfo:
    """Install a local ``.argosmodel`` file atomically; refuse to replace a model unless forced."""
    if not path.is_file():
        raise ModelError("file not found", path)
    if not zipfile.is_zipfile(path):
        raise ModelError("not a zip archive, or a truncated one (an .argosmodel is a zip file)", path,
                         hint="download the model again")
    root = packages_dir()
    root.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(path) as archive:
            top, source, target_code = _check_archive(archive, path)
            target = root / top
            if target.exists() and not force:
                raise ModelError(f"a model is already installed at {target}", path,
                                 hint="pass --force to replace it")
            same_pair = [m for m in installed_models()
                         if (m.from_code, m.to_code) == (source, target_code) and m.path != target]
            if same_pair and not force:
                raise ModelError(f"a model for {source}->{target_code} is already installed "
                                 f"({same_pair[0].name})", path, hint="pass --force to replace it")
            bad = archive.testzip()
            if bad is not None:
                raise ModelError(f"archive member {bad!r} is damaged (CRC mismatch)", path,
                                 hint="download the model again")
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
            try:
                for info in archive.infolist():
                    dest = staging / info.filename
                    if info.is_dir():
                        dest.mkdir(parents=True, exist_ok=True)
                        continue
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(info) as src, dest.open("wb") as out:
                        shutil.copyfileobj(src, out)
                info_model = read_metadata(staging / top)
                if info_model is None:
                    raise ModelError("metadata.json does not describe a translation model", path)
                if target.exists():
                    shutil.rmtree(target)
                (staging / top).rename(target)
                for other in same_pair:
                    shutil.rmtree(other.path, ignore_errors=True)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ModelError(f"archive is damaged: {exc}", path) from None
    result = read_metadata(target)
    assert result is not None
    return result


def download(source: str, target: str, force: bool = False) -> ModelInfo:
    """Fetch the model for a pair through argostranslate's package index, then install it."""
    from argostranslate import package, settings

    try:
        with urllib.request.urlopen(settings.remote_package_index, timeout=30) as response:
            index = response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise ModelError(f"cannot reach the argos package index ({settings.remote_package_index}): "
                         f"{getattr(exc, 'reason', exc)}",
                         hint="check the internet connection, or download the .argosmodel file "
                              "elsewhere and run 'pipeline models install FILE'") from None
    Path(settings.local_package_index).write_bytes(index)
    matches = [p for p in package.get_available_packages()
               if p.from_code == source and p.to_code == target]
    if not matches:
        raise ModelError(f"the argos index has no model for {source}->{target}")
    try:
        archive = matches[0].download()
    except Exception as exc:  # argostranslate raises bare Exception on failed downloads
        raise ModelError(f"download failed: {exc}") from None
    return install(Path(archive), force=force)
