"""The patterns cleaner's modules compile when they are imported, kept compiled between runs.

`regex` compiles a pattern in Python, 0.1 to 1.5 ms each (about 12 ms for the module-level
patterns on the path of one file), but it pickles a pattern's compiled code, which loads a
hundred times faster. When the rule cache writes an entry (the first run after an install or a
change to cleaner or its rules), the patterns this process made are stored next to it, and
later processes take them from there. A pattern is looked up by its source and flags, so what
comes from the store is always the pattern asked for; a store that is missing, damaged, written
by another user or by another `regex` or Python is ignored, and the patterns compile as before.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from pathlib import Path

import regex

from cleaner.caching import cache_dir, owned_by_user

_Key = tuple[str, int]
_made: dict[_Key, regex.Pattern[str]] = {}  # every pattern compiled() gave in this process
_stored: dict[_Key, regex.Pattern[str]] | None = None  # the store, once read


def compiled(source: str, flags: int = 0) -> regex.Pattern[str]:
    """regex.compile(source, flags), from the store when an earlier run put it there."""
    key = (source, int(flags))
    found = _made.get(key)
    if found is None:
        found = _read_store().get(key)
        if found is None:
            found = regex.compile(source, flags)
        _made[key] = found
    return found


def save() -> None:
    """Store the patterns this process made, for the processes after it."""
    entry = _entry()
    if entry is None or not _made:
        return
    with contextlib.suppress(Exception):  # a store that cannot be written is no store
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb", opener=lambda path, flags: os.open(path, flags, 0o600)) as handle:
                pickle.dump(dict(_made), handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(entry)
        finally:
            temporary.unlink(missing_ok=True)


def _entry() -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    # Compiled code is only good for the regex and the Python that made it.
    version = zlib.crc32(f"{sys.version}\0{regex.__version__}".encode())
    return directory / f"patterns-{version:08x}.pickle"


def _read_store() -> dict[_Key, regex.Pattern[str]]:
    global _stored
    if _stored is None:
        _stored = {}
        entry = _entry()
        if entry is not None:
            with contextlib.suppress(Exception), entry.open("rb") as handle:
                # Only unpickle what this user wrote and nobody else could change.
                if owned_by_user(os.fstat(handle.fileno())):
                    stored = pickle.load(handle)
                    if isinstance(stored, dict):
                        _stored = stored
    return _stored
