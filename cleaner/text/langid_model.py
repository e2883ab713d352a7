"""py3langid's model, kept uncompressed in cleaner's cache directory.

py3langid reads its model from an xz file inside its wheel on first use: about half a second of
decompression in every process that meets text the cheap tests cannot place (most pages in a
Latin-script language other than English). The same arrays, written once uncompressed next to
the rule cache, load in a small part of that time. The identifier is built from them the way
py3langid builds its own (the same arrays into the same constructor), so the languages found do
not change. Without a cache directory (CLEANER_NO_CACHE=1), or when anything about the cache
fails, py3langid loads its own file as before.
"""

from __future__ import annotations

import contextlib
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleaner.caching import cache_dir, owned_by_user

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


def _cached_identifier(langid: Any) -> Any:
    """An identifier from the uncompressed copy of py3langid's model, written first if missing;
    None (py3langid then loads its file) without a cache directory."""
    import numpy as np
    from py3langid import modelio

    directory = cache_dir()
    if directory is None:
        return None
    source = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    entry = directory / f"{_PREFIX}{_key(source):08x}.npz"
    if not _usable(entry):
        _write(entry, source)
    try:
        with np.load(entry, allow_pickle=False) as data:
            return langid.LanguageIdentifier(
                data["ptc"],
                data["pc"],
                data["classes"].tolist(),
                modelio._to_array(data["nextmove"]),
                data["out_feat"].tolist(),
                tk_row=modelio._to_array(data["nextmove_row"]),
            )
    except Exception:
        entry.unlink(missing_ok=True)  # a damaged copy: the next process writes it again
        raise


def _key(source: Path) -> int:
    """The model file and the py3langid that reads it: a new version or file makes a new entry."""
    from importlib.metadata import version

    status = source.stat()
    return zlib.crc32(f"{version('py3langid')}\0{source}\0{status.st_size}\0{status.st_mtime_ns}".encode())


def _usable(entry: Path) -> bool:
    try:
        return owned_by_user(entry.stat())
    except OSError:
        return False


def _write(entry: Path, source: Path) -> None:
    """Decompress the model into `entry`, atomically; remove the copies of other versions."""
    import lzma
    import shutil

    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with (
            lzma.open(source) as compressed,
            open(temporary, "wb", opener=lambda p, _: os.open(p, flags, 0o600)) as out,
        ):
            shutil.copyfileobj(compressed, out, length=1 << 20)
        temporary.replace(entry)
    finally:
        temporary.unlink(missing_ok=True)
    for old in entry.parent.glob(f"{_PREFIX}*.npz"):
        if old != entry:
            old.unlink(missing_ok=True)
