"""Where text comes from and goes to: files, stdin, stdout; atomic writes."""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import os
import secrets
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cleaner.errors import InputError

STDIN = "-"


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def read_source(path: str) -> bytes:
    """The bytes of a file, or of stdin for "-"; an InputError says why not."""
    if path == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as error:
        raise InputError(path, error.strerror or str(error)) from None


def temporary_beside(path: Path) -> Path:
    """A fresh name for a temporary file next to `path` (hidden, ending in .tmp).

    The name is known before the file exists, so that a Ctrl-C at any moment can still
    remove it: with mkstemp, an interrupt between creating the file and returning its name
    would leave the file behind.
    """
    return path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and a rename: never half a file.

    An existing file keeps its permission bits; a new one gets the umask's.
    """
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    temporary = temporary_beside(path)
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def walk(root: Path, pattern: str, excludes: tuple[str, ...], skip: tuple[Path, ...] = ()) -> Walked:
    """The files under `root` whose name matches `pattern`, sorted, as paths relative to it.

    Symbolic links are followed only when they point inside the tree: a link to a file or a
    directory outside `root` is reported, not read. Directories in `skip` (an output
    directory inside the input tree) are left out. `excludes` are glob patterns matched
    against the relative path and against each name in it.
    """
    real_root = root.resolve()
    skipped = {path.resolve() for path in skip}
    found: list[Path] = []
    problems: list[str] = []

    def on_error(error: OSError) -> None:
        problems.append(f"{error.filename}: {_reason(error)}")

    for directory, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(directory)
        kept_dirs = []
        for name in sorted(dirnames):
            path = here / name
            relative = path.relative_to(root)
            if _excluded(relative, excludes) or path.resolve() in skipped:
                continue
            if path.is_symlink():
                # A link inside the tree is walked under its real name; one out of it is not.
                if not _inside(path, real_root):
                    problems.append(f"{path}: symbolic link out of the tree; not followed")
                continue
            kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in filenames:
            path = here / name
            relative = path.relative_to(root)
            if not fnmatch.fnmatch(name, pattern) or _excluded(relative, excludes):
                continue
            if path.is_symlink() and not _inside(path, real_root):
                problems.append(f"{path}: symbolic link out of the tree; not followed")
                continue
            found.append(relative)
    return Walked(sorted(found, key=lambda p: p.parts), problems)


@dataclass(frozen=True, slots=True)
class Walked:
    files: list[Path]  # relative to the walked root, sorted
    problems: list[str]  # one line each: path and reason


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except OSError:
        return False


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


class OutputStream:
    """Documents in input order on stdout, or into one file written atomically at the end.

    Text documents are separated by one blank line; JSON documents become one array when
    `json_array`, else they are written as they come (one object, or JSON Lines).
    """

    def __init__(self, path: str | None, output_format: str = "text", json_array: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.output_format = output_format
        self.json_array = json_array
        self.documents = 0
        self._temporary: Path | None = None
        self._handle: TextIO = sys.stdout

    def __enter__(self) -> OutputStream:
        if self.path is not None:
            self._temporary = temporary_beside(self.path)
            try:
                self._handle = self._temporary.open("x", encoding="utf-8", newline="")
            except BaseException:
                self._temporary.unlink(missing_ok=True)
                raise
        return self

    def document(self, text: str = "", spool: str | None = None) -> None:
        """One rendered document, given as text or as a spool file (which is then removed)."""
        if self.documents:
            self._handle.write(",\n" if self.json_array else "\n" if self.output_format == "text" else "")
        elif self.json_array:
            self._handle.write("[\n")
        self.documents += 1
        if spool is None:
            self._handle.write(text)
            return
        _copy_spool(Path(spool), self._handle)
        Path(spool).unlink()

    def raw(self, text: str) -> None:
        """Text outside the document stream (a diff, a file name)."""
        self._handle.write(text)

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None and self.json_array:
            self._handle.write("\n]\n" if self.documents else "[]\n")
        if self._temporary is None:
            if kind is None:
                self._handle.flush()
            return
        self._handle.close()
        if kind is not None:
            self._temporary.unlink(missing_ok=True)
            return
        assert self.path is not None
        try:
            if self.path.exists():
                self._temporary.chmod(self.path.stat().st_mode & 0o7777)
            self._temporary.replace(self.path)
        except BaseException:
            self._temporary.unlink(missing_ok=True)
            raise


_COPY_CHUNK = 64 * 1024


def _copy_spool(spool: Path, handle: TextIO) -> None:
    """Append a spool file (UTF-8) to `handle` in small pieces.

    As bytes when the handle writes UTF-8: decoding large pieces of text left the allocator
    holding memory in proportion to the file (a 144 MB output took 96 MB more at its peak).
    """
    buffer = getattr(handle, "buffer", None)
    if buffer is not None and os.linesep == "\n" and _is_utf8(getattr(handle, "encoding", None)):
        handle.flush()
        with spool.open("rb") as source:
            shutil.copyfileobj(source, buffer, _COPY_CHUNK)
        return
    with spool.open(encoding="utf-8", newline="") as source:
        while chunk := source.read(_COPY_CHUNK):
            handle.write(chunk)


def _is_utf8(encoding: str | None) -> bool:
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False
