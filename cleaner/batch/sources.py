"""Where text comes from: files, stdin, FIFOs; names as shown to people; bounded reads."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO, NamedTuple

from cleaner.errors import InputError

STDIN = "-"

MIB = 1024 * 1024
MAX_BYTES = 64 * MIB  # an input larger than this is refused (--max-bytes)
MAX_LINE_BYTES = 4 * MIB  # an input with a longer line is refused (--max-line-bytes)
_READ_CHUNK = MIB


class Limits(NamedTuple):
    """How much one input may hold: refusing more keeps memory bounded by these."""

    max_bytes: int = MAX_BYTES
    max_line_bytes: int = MAX_LINE_BYTES


DEFAULT_LIMITS = Limits()


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
    path: str, limits: Limits = DEFAULT_LIMITS, name: str | None = None, regular_only: bool = False
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
