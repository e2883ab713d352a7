"""Where cleaner keeps its caches (the loaded rules, py3langid's model), and which entries in
it may be trusted: only files this user wrote and nobody else could change."""

from __future__ import annotations

import os
from pathlib import Path


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
