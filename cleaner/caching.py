"""Where cleaner keeps its caches (the loaded rules, py3langid's model), and which entries in
it may be trusted: only files this user wrote and nobody else could change."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TypeVar

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


def pickled_by_fields(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass a quicker pickle state: its field values as a tuple.

    The state dataclasses give such a class calls fields() for every object it restores,
    which was most of the time the rule cache took to load (about 20 ms for its 1,200 rules,
    patterns and examples). Apply it above @dataclass."""
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
