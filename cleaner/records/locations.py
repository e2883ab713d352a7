"""Where record files are: local paths, file:// URLs and fsspec URLs (s3://, gs://, memory://),
opened for reading and written whole or not at all (the _Sink).

Every problem with a file is a RecordFileError naming it.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from typing import IO, Any

from cleaner.batch.sources import STDIN
from cleaner.batch.writing import temporary_beside
from cleaner.errors import CleanerError, RecordFileError


def _need(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise CleanerError(f"{module} is not installed: pip install 'cleaner[{extra}]'") from None


# ---- where files are: local paths and URLs -----------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(path: str) -> bool:
    """A path with a scheme (s3://, gs://, memory://): read and written through fsspec.

    >>> is_url("s3://bucket/shard.jsonl.zst"), is_url("shard.jsonl"), is_url("C:/data/a.jsonl")
    (True, False, False)
    """
    return bool(_SCHEME.match(path))


def local_path(path: str) -> str:
    """A file:// URL as the local path it names; any other path as it is.

    >>> local_path("file:///data/shard%201.jsonl"), local_path("s3://bucket/a.jsonl")
    ('/data/shard 1.jsonl', 's3://bucket/a.jsonl')
    """
    if path.lower().startswith("file://"):
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(path)
        if parts.netloc not in ("", "localhost"):
            raise RecordFileError(f"{path}: a file:// URL names a local path (file:///path)")
        return unquote(parts.path)
    return path


def remote(path: str) -> tuple[Any, str]:
    """The fsspec file system of a URL and the path within it; a RecordFileError naming it."""
    fsspec = _need("fsspec", "remote")
    try:
        return fsspec.core.url_to_fs(path)
    except ImportError as problem:  # the protocol's package (s3fs, gcsfs) is not installed
        raise RecordFileError(f"{path}: {problem}") from None
    except Exception as problem:  # an unknown protocol, a malformed URL
        raise RecordFileError(f"{path}: {_first_line(problem)}") from None


def is_file(path: str) -> bool:
    if not is_url(path):
        return Path(path).is_file()
    fs, where = remote(path)
    return bool(_remote_call(path, lambda: fs.isfile(where)))


def is_dir(path: str) -> bool:
    if not is_url(path):
        return Path(path).is_dir()
    fs, where = remote(path)
    return bool(_remote_call(path, lambda: fs.isdir(where)))


def joined(directory: str, name: str) -> str:
    """`name` inside `directory`, a local path or a URL."""
    if is_url(directory):
        return directory.rstrip("/") + "/" + name
    return str(Path(directory) / name)


def same_file(one: str, other: str) -> bool:
    """Whether two paths (or two URLs) name the same file."""
    if is_url(one) or is_url(other):
        return is_url(one) and is_url(other) and one.rstrip("/") == other.rstrip("/")
    return Path(one).resolve() == Path(other).resolve()


def _remote_call(path: str, call: Any) -> Any:
    try:
        return call()
    except RecordFileError:
        raise
    except FileNotFoundError:
        raise RecordFileError(f"{path}: no such file") from None
    except Exception as problem:  # the file system's own errors: permissions, the network
        raise RecordFileError(f"{path}: {_first_line(problem)}") from None


def _open_remote(path: str) -> IO[bytes]:
    fs, where = remote(path)
    if _remote_call(path, lambda: fs.isdir(where)):
        raise RecordFileError(f"{path}: is a directory")
    return _remote_call(path, lambda: fs.open(where, "rb"))  # type: ignore[no-any-return]


class _Sink:
    """Where an output file is written so that it appears whole or not at all.

    A local file: a temporary file beside it, renamed over it at the end. A device or a FIFO:
    written in place. A URL: a temporary object beside it, moved over it at the end (on an
    object store, a copy on the server). None: stdout.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.temporary: Path | None = None
        self._commit: Any = None
        self._discard: Any = None
        self.raw: IO[bytes]
        if path is None:
            self.raw = sys.stdout.buffer
        elif is_url(path):
            self.raw = _remote_call(path, lambda: self._open_remote(path))
        elif _special(path):
            self.raw = Path(path).open("wb")  # noqa: SIM115 (/dev/null, a FIFO: written, never replaced)
        else:
            self.temporary = temporary_beside(Path(path))
            self.raw = self.temporary.open("xb")

    def _open_remote(self, path: str) -> IO[bytes]:
        # A temporary object beside the target, moved over it at the end: fsspec's
        # uncommitted files are not honoured by every file system (memory:// shows the file
        # as soon as it is opened), a move is.
        fs, where = remote(path)
        parent, _, name = where.rpartition("/")
        temporary = f"{parent}/.{name}.cleaner-{os.urandom(4).hex()}.tmp" if parent else f".{name}.tmp"
        handle = fs.open(temporary, "wb")
        self._commit = lambda: fs.mv(temporary, where)
        self._discard = lambda: fs.rm(temporary)
        return handle  # type: ignore[no-any-return]

    def commit(self) -> None:
        """Close the file and put it in place."""
        if self.path is None:
            self.raw.flush()
            return
        if self._commit is not None:
            commit, self._commit, self._discard = self._commit, None, None
            _remote_call(self.path, lambda: (self.raw.close(), commit()))
            return
        self.raw.close()
        if self.temporary is not None:
            self.temporary.replace(self.path)
            self.temporary = None

    def abort(self) -> None:
        """Close the file and leave no part of it behind (a special file is left as it is)."""
        if self.path is None:
            return
        with contextlib.suppress(Exception):
            self.raw.close()
        if self._discard is not None:
            discard, self._commit, self._discard = self._discard, None, None
            with contextlib.suppress(Exception):
                discard()
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def _special(path: str) -> bool:
    """An existing path that is not a regular file (a device, a FIFO): never renamed over."""
    target = Path(path)
    return target.exists() and not target.is_file()


def _open_binary(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    if is_url(path):
        return _open_remote(path)
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise RecordFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RecordFileError(f"{path}: is a directory") from None
    except OSError as error:
        raise RecordFileError(f"{path}: {error.strerror or error}") from None


def _first_line(problem: Exception) -> str:
    return (str(problem).strip().splitlines() or [type(problem).__name__])[0]
