"""Where cleaner keeps its caches (the loaded rules, the modules' compiled patterns, py3langid's
model), how an entry is written (privately, in one step) and which entries may be trusted:
only files this user wrote and nobody else could change."""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")


def cache_dir() -> Path | None:
    """$CLEANER_CACHE_DIR, else $XDG_CACHE_HOME/cleaner, else ~/.cache/cleaner; None when
    CLEANER_NO_CACHE is set."""
    if os.environ.get("CLEANER_NO_CACHE"):
        return None
    if os.environ.get("CLEANER_CACHE_DIR"):
        return Path(os.environ["CLEANER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "cleaner"


def owned_by_user(status: os.stat_result) -> bool:
    """Whether a cache entry is this user's and writable by no one else."""
    foreign = hasattr(os, "getuid") and status.st_uid != os.getuid()
    return not foreign and not status.st_mode & 0o022


def private_opener(path: str, flags: int) -> int:
    """open()'s opener for a new cache file only this user may read (O_EXCL: never an existing one)."""
    return os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)


def write_entry(entry: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write a cache entry with `write`, atomically: into a temporary file of this process,
    renamed over `entry` when complete, removed if anything fails (the error is raised)."""
    entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)  # left by a killed process of the same id
        with open(temporary, "wb", opener=private_opener) as handle:
            write(handle)
        temporary.replace(entry)
    finally:
        temporary.unlink(missing_ok=True)


def read_entry(entry: Path) -> Any:
    """What a pickled cache entry holds, or None when it is missing, unreadable, damaged, or
    could have been written by someone else (it is then not unpickled at all)."""
    try:
        with entry.open("rb") as handle:
            if not owned_by_user(os.fstat(handle.fileno())):
                return None
            return pickle.load(handle)
    except Exception:
        return None


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass a quicker pickle state: its field values as a tuple.

    The state dataclasses give such a class calls fields() for every object it restores,
    which was most of the time the rule cache took to load (about 20 ms for its rules, patterns
    and their requirements). Apply it above @dataclass."""
    names = tuple(field.name for field in dataclasses.fields(cls))  # type: ignore[arg-type]
    setter = object.__setattr__

    def __getstate__(self: T) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in names])

    def __setstate__(self: T, state: tuple[object, ...]) -> None:
        for name, value in zip(names, state, strict=True):
            setter(self, name, value)

    cls.__getstate__ = __getstate__  # type: ignore[assignment]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls
