"""A cache of loaded rule sets, so that each run does not parse and check every rule file.

Loading checks every key, compiles every pattern and runs every example, which costs more
than cleaning a small file. The checked RuleSet is pickled into the cache directory under a
key made of the rule files' paths, sizes, modification times and inodes, the cleaner and
Python versions and cleaner's own source files, so any change to a rule file (or to
cleaner) makes a new entry.

The cache is an optimisation only: an entry that is missing, corrupt, foreign or
unwritable is ignored and the rules are loaded from their files, as without a cache.
Set CLEANER_CACHE_DIR to move it, or CLEANER_NO_CACHE=1 to turn it off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from cleaner.caching import cache_dir, read_entry, write_entry
from cleaner.engine.ruleset import RuleSet
from cleaner.text import patterns
from cleaner.text.document import ProseTest

_KEEP = 16  # entries kept; older ones are removed when a new one is written


def cached_ruleset(
    files: Iterable[Path], check_examples: bool, build: Callable[[list[Path], bool], RuleSet]
) -> RuleSet:
    """build(files, check_examples), or the same RuleSet from the cache."""
    files = list(files)
    directory = cache_dir()
    try:
        key = _key(files, check_examples) if directory is not None else None
    except OSError:
        key = None  # a file that cannot be stat'ed: let build() report it
    if directory is None or key is None:
        return build(files, check_examples)
    entry = directory / f"rules-{zlib.crc32(key.encode()):08x}.pickle"
    ruleset = _read(entry, key)
    if ruleset is None:
        ruleset = build(files, check_examples)
        _write(entry, key, ruleset)
    return ruleset


def _stored(ruleset: RuleSet) -> tuple[RuleSet, ProseTest]:
    # The compiled prose test goes with the rules: compiling its patterns costs more than
    # unpickling them (about 8 ms a process).
    return ruleset, ruleset.settings.prose_test()


def _key(files: list[Path], check_examples: bool) -> str:
    """Everything the loaded rules depend on; stored in the entry and compared in full."""
    from cleaner import __version__

    parts = [f"{__version__} {sys.version} {check_examples}"]
    # Cleaner's own modules too: an entry pickled by other code may not fit this code.
    for path in [*_sources(), *map(str, files)]:
        status = Path(path).stat()
        parts.append(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\0{status.st_ino}")
    return "\n".join(parts)


def _sources() -> list[str]:
    """Cleaner's module files, sorted (as strings: sorting Path objects costs a few ms)."""
    found: list[str] = []
    for folder, _, names in os.walk(Path(__file__).parents[1]):
        found.extend(f"{folder}{os.sep}{name}" for name in names if name.endswith(".py"))
    return sorted(found)


def _read(entry: Path, key: str) -> RuleSet | None:
    stored = read_entry(entry)
    try:
        stored_key, (ruleset, prose_test) = stored
    except (TypeError, ValueError):  # none, or from another version: rebuild
        return None
    # The file name is a short checksum of the key; the stored key settles it.
    if stored_key != key or not isinstance(ruleset, RuleSet) or not isinstance(prose_test, ProseTest):
        return None
    ruleset.settings.remember_prose_test(prose_test)
    return ruleset


def _write(entry: Path, key: str, ruleset: RuleSet) -> None:
    stored = (key, _stored(ruleset))
    with contextlib.suppress(Exception):  # a cache that cannot be written is no cache
        write_entry(entry, lambda handle: pickle.dump(stored, handle, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(entry.parent)
    # The first run after a change is also the one to keep the modules' compiled patterns.
    patterns.save()


def _prune(directory: Path) -> None:
    entries = sorted(directory.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)
