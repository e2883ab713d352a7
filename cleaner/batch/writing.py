"""Where text goes to: stdout, files replaced atomically, streams; the run's temporary files."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from cleaner.batch.sources import shown
from cleaner.errors import OutputError

# Every temporary file this process (and its workers) makes carries this token in its name,
# so that what a killed worker left behind can be found and removed.
# (Workers are given the main process's token: see pool._init_worker.)
RUN_TOKEN = os.urandom(4).hex()


def temporary_beside(path: Path) -> Path:
    """A fresh name for a temporary file next to `path` (hidden, ending in .tmp).

    The name is known before the file exists, so that a Ctrl-C at any moment can still
    remove it: with mkstemp, an interrupt between creating the file and returning its name
    would leave the file behind. It carries RUN_TOKEN (see remove_temporaries).
    """
    name = path.name
    if len(os.fsencode(name)) > 200:  # leave room for the rest within a name's 255 bytes
        name = os.fsdecode(os.fsencode(name)[:200])
    return path.parent / f".{name}.cleaner-{run_token()}-{os.urandom(4).hex()}.tmp"


def run_token() -> str:
    return RUN_TOKEN


def set_run_token(token: str) -> None:
    global RUN_TOKEN
    RUN_TOKEN = token


def remove_temporaries(directories: Iterator[Path] | list[Path] | set[Path]) -> int:
    """Remove the temporary files of this run (RUN_TOKEN) from `directories`; how many."""
    removed = 0
    for directory in directories:
        with contextlib.suppress(OSError):
            for entry in os.scandir(directory):
                if entry.name.startswith(".") and f".cleaner-{RUN_TOKEN}-" in entry.name:
                    with contextlib.suppress(OSError):
                        Path(entry.path).unlink()
                        removed += 1
    return removed


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether writing to `path` means writing into it as a stream, not replacing it.

    Devices, FIFOs and sockets are streams, and so is anything under /dev or /proc
    (/dev/stdout, /dev/fd/3): replacing those would destroy what they stand for.
    """
    absolute = str(Path(path).absolute())
    if absolute.startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = Path(path).stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def real_target(path: Path) -> Path:
    """What writing `path` replaces: the file at the end of its symbolic links."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_output(path: Path, data: bytes) -> None:
    """Write a whole output: into a stream as it is, else atomically (write_atomic)."""
    if is_stream(path):
        try:
            with open_stream(path) as handle:
                handle.write(data)
        except OSError as error:
            raise OutputError(shown(path), write_reason(error)) from None
        return
    write_atomic(path, data)


def open_stream(path: Path) -> BinaryIO:
    """Open a device, FIFO or /dev/stdout for writing, without creating or truncating it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
    return os.fdopen(descriptor, "wb")


def write_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "cannot write: permission denied"
    if error.errno == errno.ENOSPC:
        return "cannot write: no space left on device"
    if error.errno == errno.EROFS:
        return "cannot write: read-only file system"
    return f"cannot write: {(error.strerror or str(error)).lower()}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and a rename: never half a file.

    A symbolic link is written through: its target is replaced, and the link stays. An
    existing file keeps its permission bits, and its owner and group where this process may
    set them; a new one gets the umask's. An OutputError names `path` and says why not.
    """
    target = real_target(path)
    temporary = temporary_beside(target)
    try:
        previous = _status(target)
        with temporary.open("xb") as handle:
            handle.write(data)
        if previous is not None:
            keep_attributes(temporary, previous)
        temporary.replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise OutputError(shown(path), write_reason(error)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _status(path: Path) -> os.stat_result | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    return status


def keep_attributes(temporary: Path, previous: os.stat_result) -> None:
    """Give the new file the permission bits, owner and group of the one it replaces."""
    if (previous.st_uid, previous.st_gid) != _own_ids():
        try:
            os.chown(temporary, previous.st_uid, previous.st_gid)
        except PermissionError:
            with contextlib.suppress(OSError):
                os.chown(temporary, -1, previous.st_gid)
    temporary.chmod(previous.st_mode & 0o7777)


def _own_ids() -> tuple[int, int]:
    return (os.geteuid(), os.getegid()) if hasattr(os, "geteuid") else (-1, -1)


class OutputStream:
    """Documents in input order on stdout, or into one file written atomically at the end.

    Text documents are separated by one blank line; JSON documents become one array when
    `json_array`, else they are written as they come (one object, or JSON Lines). A device,
    FIFO or /dev/stdout named as the file is written into as a stream; a symbolic link is
    written through to its target.
    """

    def __init__(self, path: str | None, output_format: str = "text", json_array: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.output_format = output_format
        self.json_array = json_array
        self.documents = 0
        self._temporary: Path | None = None
        self._target: Path | None = None
        self._handle: TextIO = sys.stdout
        self._owned = False

    def __enter__(self) -> OutputStream:
        if self.path is None:
            return self
        try:
            if is_stream(self.path):
                self._handle = _text(open_stream(self.path))
                self._owned = True
                return self
            self._target = real_target(self.path)
            self._temporary = temporary_beside(self._target)
            try:
                self._handle = self._temporary.open("x", encoding="utf-8", newline="")
                self._owned = True
            except BaseException:
                self._temporary.unlink(missing_ok=True)
                raise
        except OSError as error:
            raise OutputError(shown(self.path), write_reason(error)) from None
        return self

    def document(self, text: str = "") -> None:
        """One rendered document."""
        if self.documents:
            self._write(",\n" if self.json_array else "\n" if self.output_format == "text" else "")
        elif self.json_array:
            self._write("[\n")
        self.documents += 1
        self._write(text)

    def raw(self, text: str) -> None:
        """Text outside the document stream (a diff, a file name)."""
        self._write(text)

    def _write(self, text: str) -> None:
        if not self._owned:
            write_pieces(self._handle, text)
            return
        try:
            write_pieces(self._handle, text)
        except OSError as error:
            assert self.path is not None
            raise OutputError(shown(self.path), write_reason(error)) from None

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None and self.json_array:
                self._write("\n]\n" if self.documents else "[]\n")
            if not self._owned:
                if kind is None:
                    self._handle.flush()
                return
            try:
                self._handle.close()
            except OSError as problem:
                assert self.path is not None
                if kind is None:
                    raise OutputError(shown(self.path), write_reason(problem)) from None
            if self._temporary is None or kind is not None:
                return
            assert self._target is not None and self.path is not None
            try:
                previous = _status(self._target)
                if previous is not None:
                    keep_attributes(self._temporary, previous)
                self._temporary.replace(self._target)
            except OSError as problem:
                raise OutputError(shown(self.path), write_reason(problem)) from None
        finally:
            if self._temporary is not None:
                self._temporary.unlink(missing_ok=True)


_PIECE = 64 * 1024


def write_pieces(handle: TextIO, text: str) -> None:
    """Write `text` in pieces: one large write into a pipe whose reader has gone can end
    without the error that tells us so (and `cleaner ... | head` must exit 141)."""
    if len(text) <= _PIECE:
        handle.write(text)
        return
    for start in range(0, len(text), _PIECE):
        handle.write(text[start : start + _PIECE])


def _text(handle: BinaryIO) -> TextIO:
    import io

    return io.TextIOWrapper(handle, encoding="utf-8", newline="")  # type: ignore[arg-type]
