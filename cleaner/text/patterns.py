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
import pickle
import sys
import zlib
from pathlib import Path

import regex

from cleaner.caching import cache_dir, read_entry, write_entry

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
    made = dict(_made)
    with contextlib.suppress(Exception):  # a store that cannot be written is no store
        write_entry(entry, lambda handle: pickle.dump(made, handle, protocol=pickle.HIGHEST_PROTOCOL))


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
        entry = _entry()
        stored = read_entry(entry) if entry is not None else None
        _stored = stored if isinstance(stored, dict) else {}
    return _stored
