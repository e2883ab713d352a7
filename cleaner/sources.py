"""Where text comes from and goes to: files, stdin, stdout; atomic writes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

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


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and a rename: never half a file.

    An existing file keeps its permission bits.
    """
    directory = path.parent
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        if mode is None:
            # mkstemp makes 0600 files; a new output gets the usual umask-based mode.
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
