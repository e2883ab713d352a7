"""Walking a directory tree for the files to clean: patterns, excludes, links that leave the tree."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch.sources import file_kind, read_reason, shown


def walk(root: Path, pattern: str, excludes: tuple[str, ...], skip: tuple[Path, ...] = ()) -> Walked:
    """The files under `root` whose name matches `pattern`, sorted, as paths relative to it.

    Symbolic links are followed only when they point inside the tree: a link to a file or a
    directory outside `root` is reported, not read, and so are broken links and link loops.
    Directories in `skip` (an output directory inside the input tree) are left out. FIFOs,
    devices and sockets are skipped with a note: reading them could block for ever.
    `excludes` are glob patterns matched against the relative path and each name in it.
    """
    real_root = root.resolve()
    skipped = {path.resolve() for path in skip}
    found: list[Path] = []
    problems: list[str] = []
    notes: list[str] = []

    def on_error(error: OSError) -> None:
        problems.append(f"{shown(error.filename)}: {_reason(error)}")

    for directory, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(directory)
        kept_dirs = []
        for name in sorted(dirnames):
            path = here / name
            relative = path.relative_to(root)
            if _excluded(relative, excludes) or _resolve(path) in skipped:
                continue
            if path.is_symlink():
                # A link inside the tree is walked under its real name; one out of it is not.
                if not _inside(path, real_root):
                    problems.append(f"{shown(path)}: {_link_problem(path)}")
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            path = here / name
            relative = path.relative_to(root)
            if not fnmatch.fnmatch(name, pattern) or _excluded(relative, excludes):
                continue
            if path.is_symlink() and not _inside(path, real_root):
                problems.append(f"{shown(path)}: {_link_problem(path)}")
                continue
            try:
                mode = path.stat().st_mode
            except OSError as error:
                problems.append(f"{shown(path)}: {read_reason(str(path), error)}")
                continue
            if stat.S_ISDIR(mode):  # a link to a directory inside the tree: walked under its name
                continue
            if not stat.S_ISREG(mode):
                notes.append(f"{shown(path)}: skipped: not a regular file ({file_kind(mode)})")
                continue
            found.append(relative)
    return Walked(sorted(found, key=lambda p: p.parts), problems, notes)


@dataclass(frozen=True, slots=True)
class Walked:
    """The files a directory walk found, and what it could not read or skipped."""

    files: list[Path]  # relative to the walked root, sorted
    problems: list[str]  # one line each: path and reason
    notes: list[str] = field(default_factory=list)  # files skipped on purpose (special files)


def _resolve(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return None


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return False


def _link_problem(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except FileNotFoundError:
        return f"broken symbolic link (its target {shown(path.readlink())} does not exist)"
    except (OSError, RuntimeError):
        return "symbolic link loop"
    return "symbolic link out of the tree; not followed"


def _excluded(relative: Path, excludes: tuple[str, ...]) -> bool:
    text = relative.as_posix()
    return any(
        fnmatch.fnmatch(text, pattern) or any(fnmatch.fnmatch(part, pattern) for part in relative.parts)
        for pattern in excludes
    )


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    return error.strerror or str(error)
