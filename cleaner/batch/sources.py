"""Where text comes from and goes to: files, stdin, stdout; bounded reads; atomic writes."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import fnmatch
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from cleaner.errors import InputError, OutputError

STDIN = "-"

MIB = 1024 * 1024
MAX_BYTES = 64 * MIB  # an input larger than this is refused (--max-bytes)
MAX_LINE_BYTES = 4 * MIB  # an input with a longer line is refused (--max-line-bytes)
_READ_CHUNK = MIB

# Every temporary file this process (and its workers) makes carries this token in its name,
# so that what a killed worker left behind can be found and removed.
# (Workers are given the main process's token: see pool._init_worker.)
RUN_TOKEN = secrets.token_hex(4)


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one input may hold: refusing more keeps memory bounded by these."""

    max_bytes: int = MAX_BYTES
    max_line_bytes: int = MAX_LINE_BYTES


def shown(path: str | os.PathLike[str]) -> str:
    r"""A path as messages and JSON show it: bytes that are not UTF-8 as \xNN escapes.

    >>> shown("caf\udce9.txt")
    'caf\\xe9.txt'
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else shown(path)


def size_text(count: int) -> str:
    """A byte count for messages.

    >>> size_text(64 * 1024 * 1024), size_text(1000)
    ('64 MiB', '1000 bytes')
    """
    if count >= MIB and count % MIB == 0:
        return f"{count // MIB} MiB"
    return f"{count} bytes"


def read_source(
    path: str, limits: Limits = Limits(), name: str | None = None, regular_only: bool = False
) -> bytes:
    """The bytes of a file, or of stdin for "-"; an InputError says why not.

    Reads in pieces and stops at the limits, so that an endless input (/dev/zero) costs no
    more memory than `limits` allow. With `regular_only` (a file found by a walk), a FIFO,
    device or socket is refused instead of read: it could block for ever.
    """
    name = name or display_name(path)
    if path == STDIN:
        return read_bounded(sys.stdin.buffer, name, limits)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InputError(name, read_reason(path, error)) from None
    with os.fdopen(descriptor, "rb", buffering=0) as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(name, "is a directory")
        if not stat.S_ISREG(mode):
            if regular_only:
                raise InputError(name, f"not a regular file ({file_kind(mode)}); not read")
            # Named on the command line: read it as a stream. A FIFO is opened again, so that
            # the open waits for a writer as it does for any program reading a named pipe.
            if stat.S_ISFIFO(mode):
                return _read_fifo(path, name, limits)
            flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
            fcntl.fcntl(descriptor, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        try:
            return read_bounded(handle, name, limits)
        except OSError as error:
            raise InputError(name, read_reason(path, error)) from None


def _read_fifo(path: str, name: str, limits: Limits) -> bytes:
    try:
        with Path(path).open("rb", buffering=0) as handle:
            return read_bounded(handle, name, limits)  # type: ignore[arg-type]
    except OSError as error:
        raise InputError(name, read_reason(path, error)) from None


def read_reason(path: str, error: OSError) -> str:
    """Why a file could not be read, in a few words."""
    if isinstance(error, FileNotFoundError):
        if Path(path).is_symlink():
            return f"broken symbolic link (its target {shown(Path(path).readlink())} does not exist)"
        return "no such file"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower() if error.strerror else str(error)


def file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_LINE_BREAK = re.compile(rb"[\r\n]")
_LONG_LINES: dict[int, re.Pattern[bytes]] = {}


def read_bounded(handle: BinaryIO, name: str, limits: Limits) -> bytes:
    """Read `handle` to its end, refusing more than limits.max_bytes or a line longer than
    limits.max_line_bytes (counted in bytes between line breaks)."""
    chunks: list[bytes] = []
    total = 0
    carry = 0  # bytes of the line still open at the end of the previous piece
    while True:
        chunk = handle.read(min(_READ_CHUNK, limits.max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        carry = _check_lines(chunk, carry, total, limits, name, chunks)
        total += len(chunk)
        if total > limits.max_bytes:
            _refuse(
                name, chunks, f"larger than {size_text(limits.max_bytes)} (raise --max-bytes to clean it)"
            )
    return b"".join(chunks)


def _check_lines(
    chunk: bytes, carry: int, offset: int, limits: Limits, name: str, chunks: list[bytes]
) -> int:
    limit = limits.max_line_bytes
    first = _LINE_BREAK.search(chunk)
    if first is None:
        carry += len(chunk)
        if carry > limit:
            _refuse(name, chunks, _long_line(limits, offset + len(chunk) - carry))
        return carry
    if carry + first.start() > limit:
        _refuse(name, chunks, _long_line(limits, offset - carry))
    last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
    if last - first.start() - 1 > limit:
        pattern = _LONG_LINES.get(limit)
        if pattern is None:
            pattern = _LONG_LINES[limit] = re.compile(rb"[^\r\n]{%d}" % (limit + 1))
        found = pattern.search(chunk, first.start() + 1, last)
        if found is not None:
            _refuse(name, chunks, _long_line(limits, offset + found.start()))
    return len(chunk) - last - 1


def _long_line(limits: Limits, offset: int) -> str:
    return (
        f"a line longer than {size_text(limits.max_line_bytes)} at byte offset {offset} "
        "(raise --max-line-bytes to clean it)"
    )


def _refuse(name: str, chunks: list[bytes], reason: str) -> None:
    """Past a limit: a binary input (NUL bytes, and not UTF-16 or UTF-32) is named as such."""
    from cleaner.text.decoding import sniff_wide_unicode

    head = chunks[0] if chunks else b""
    nul = head.find(b"\x00")
    if nul >= 0 and sniff_wide_unicode(head) is None:
        raise InputError(name, f"binary file (NUL byte at offset {nul}); not cleaned")
    raise InputError(name, reason)


def temporary_beside(path: Path) -> Path:
    """A fresh name for a temporary file next to `path` (hidden, ending in .tmp).

    The name is known before the file exists, so that a Ctrl-C at any moment can still
    remove it: with mkstemp, an interrupt between creating the file and returning its name
    would leave the file behind. It carries RUN_TOKEN (see remove_temporaries).
    """
    name = path.name
    if len(os.fsencode(name)) > 200:  # leave room for the rest within a name's 255 bytes
        name = os.fsdecode(os.fsencode(name)[:200])
    return path.parent / f".{name}.cleaner-{run_token()}-{secrets.token_hex(4)}.tmp"


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
