"""py3langid's model, kept uncompressed in cleaner's cache directory.

py3langid reads its model from an xz file inside its wheel on first use: about half a second of
decompression in every process that meets text the cheap tests cannot place (most pages in a
Latin-script language other than English). The same arrays, written once uncompressed next to
the rule cache (one .npy file each, in a folder), are mapped into memory rather than read: a
document touches only the rows of the features it has, so a process that classifies one file
does not copy the 68 MB model (about 180 ms). The identifier is built from them the way
py3langid builds its own (the same arrays into the same constructor), so the languages found do
not change. Without a cache directory (CLEANER_NO_CACHE=1), or when anything about the cache
fails, py3langid loads its own file as before.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleaner.caching import cache_dir, owned_by_user, private_opener

_PREFIX = "langid-"


def classifier() -> Callable[[str], tuple[str, float]] | None:
    """py3langid's classify(), its model loaded from the cache when it can be; None when
    py3langid is not installed."""
    try:
        import py3langid
        from py3langid import langid
    except ImportError:
        return None
    if getattr(langid, "IDENTIFIER", True) is None:
        with contextlib.suppress(Exception):  # any surprise: py3langid loads its own file
            langid.IDENTIFIER = _cached_identifier(langid)
    return py3langid.classify  # type: ignore[no-any-return]


_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _cached_identifier(langid: Any) -> Any:
    """An identifier from the uncompressed copy of py3langid's model, written first if missing;
    None (py3langid then loads its file) without a cache directory."""
    import numpy as np

    directory = cache_dir()
    if directory is None:
        return None
    source = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    entry = directory / f"{_PREFIX}{_key(source, _version()):08x}"
    if not _usable(entry):
        _write(entry, source)
    try:
        data = {name: _mapped(entry / f"{name}.npy") for name in _ARRAYS}
        return langid.LanguageIdentifier(
            data["ptc"],
            np.array(data["pc"]),
            data["classes"].tolist(),
            # The walk over the text reads one state at a time: a view of the mapped file
            # serves it as py3langid's own array would, without the copy.
            memoryview(data["nextmove"]),
            data["out_feat"].tolist(),
            tk_row=memoryview(data["nextmove_row"]),
        )
    except Exception:
        shutil.rmtree(entry, ignore_errors=True)  # a damaged copy: the next process writes it again
        raise


def _mapped(path: Path) -> Any:
    """The array in `path`, mapped into memory; read whole where the file system cannot map
    files (a damaged file raises ValueError either way)."""
    import numpy as np

    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except OSError:
        return np.load(path, allow_pickle=False)


def _key(source: Path, version: str) -> int:
    """The model file and the py3langid that reads it: a new version or file makes a new entry."""
    status = source.stat()
    return zlib.crc32(f"{version}\0{source}\0{status.st_size}\0{status.st_mtime_ns}".encode())


def _version() -> str:
    """py3langid's version; from its module (importlib.metadata costs ~30 ms to import)."""
    import py3langid

    found = getattr(py3langid, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version("py3langid")


def _usable(entry: Path) -> bool:
    try:
        return owned_by_user(entry.stat()) and all(
            owned_by_user((entry / f"{name}.npy").stat()) for name in _ARRAYS
        )
    except OSError:
        return False


def _write(entry: Path, source: Path) -> None:
    """Decompress the model into the folder `entry`, one array a file, atomically (a whole
    folder renamed into place); remove the copies of other versions."""
    import lzma

    import numpy as np

    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)

    try:
        temporary.mkdir(mode=0o700)
        with (
            lzma.open(source) as compressed,
            np.load(io.BytesIO(compressed.read()), allow_pickle=False) as model,
        ):
            for name in _ARRAYS:
                with open(temporary / f"{name}.npy", "wb", opener=private_opener) as out:
                    np.save(out, model[name], allow_pickle=False)
        shutil.rmtree(entry, ignore_errors=True)  # a damaged or foreign copy
        temporary.rename(entry)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    for old in entry.parent.glob(f"{_PREFIX}*"):
        if old != entry:
            if old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
            else:
                old.unlink(missing_ok=True)  # an older single-file copy
