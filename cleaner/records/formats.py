"""Records on disk: JSON Lines (plain, gzip, zstandard) and Parquet, read and written as streams.

JSON Lines files are read line by line and Parquet files row group by row group, so memory
stays bounded whatever a file's size. gzip comes from the standard library; zstandard
(`pip install 'cleaner[records]'`) and pyarrow (`pip install 'cleaner[parquet]'`) are imported
only when a file needs them. Every problem with a file is a RecordFileError naming the file
and, where there is one, the line or row.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cleaner.batch.sources import STDIN
from cleaner.batch.writing import temporary_beside
from cleaner.errors import CleanerError

FORMATS = ("auto", "text", "jsonl", "parquet")
COMPRESSIONS = ("gzip", "zstd")
_JSONL_SUFFIXES = {
    ".jsonl": None,
    ".ndjson": None,
    ".jsonl.gz": "gzip",
    ".ndjson.gz": "gzip",
    ".json.gz": "gzip",
    ".jsonl.zst": "zstd",
    ".ndjson.zst": "zstd",
}


class RecordFileError(CleanerError):
    """A file of records that cannot be read (on), or written; the message names it."""


@dataclass(frozen=True, slots=True)
class RecordFormat:
    kind: str  # "jsonl" or "parquet"
    compression: str | None = None  # jsonl only: None, "gzip" or "zstd"


def format_of(path: str) -> RecordFormat | None:
    """The record format a file's name says, or None for text.

    >>> format_of("shard-0001.jsonl.zst")
    RecordFormat(kind='jsonl', compression='zstd')
    >>> format_of("part.parquet").kind, format_of("page.txt")
    ('parquet', None)
    """
    name = Path(path).name.lower()
    if name.endswith(".parquet"):
        return RecordFormat("parquet")
    for suffix, compression in _JSONL_SUFFIXES.items():
        if name.endswith(suffix):
            return RecordFormat("jsonl", compression)
    return None


def compression_of(path: str) -> str | None:
    """gzip or zstd by the name's last suffix, whatever comes before it."""
    name = path.lower()
    return "gzip" if name.endswith(".gz") else "zstd" if name.endswith(".zst") else None


def _need(module: str, extra: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise CleanerError(f"{module} is not installed: pip install 'cleaner[{extra}]'") from None


# ---- JSON Lines ------------------------------------------------------------------------------


def _open_binary(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise RecordFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RecordFileError(f"{path}: is a directory") from None
    except OSError as error:
        raise RecordFileError(f"{path}: {error.strerror or error}") from None


def _zstd_lines(raw: IO[bytes]) -> Iterator[bytes]:
    """The lines of a zstandard stream (one frame or several); a stream cut short raises EOFError.

    zstandard's stream_reader reads a truncated stream as a short one, so the frames are
    followed here with decompressobj, which says whether its frame came to an end.
    """
    zstandard = _need("zstandard", "records")
    decompressor = zstandard.ZstdDecompressor().decompressobj()
    pending = b""
    started = False
    # Small pieces of input: zstandard cannot cap what one piece decompresses to, and corpus
    # text often compresses 100 to 300 times, so 16 KiB in is a few MB out at most.
    for block in iter(lambda: raw.read(1 << 14), b""):
        started = True
        data = decompressor.decompress(block)
        while decompressor.eof and decompressor.unused_data:
            rest = decompressor.unused_data
            decompressor = zstandard.ZstdDecompressor().decompressobj()
            data += decompressor.decompress(rest)
        pending += data
        if b"\n" in pending:
            *lines, pending = pending.split(b"\n")
            for line in lines:
                yield line + b"\n"
    if started and not decompressor.eof:
        raise EOFError  # the partial line in `pending` is not a record
    if pending:
        yield pending


def _lines(raw: IO[bytes], compression: str | None) -> Iterator[bytes]:
    if compression == "gzip":
        import gzip

        return iter(gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "zstd":
        return _zstd_lines(raw)
    return iter(raw)


def read_lines(path: str, compression: str | None) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each non-blank line, numbered from 1; a bad stream raises.

    The error names the line at which reading stopped: every line before it was yielded.
    """
    raw = _open_binary(path)
    number = 0
    try:
        try:
            for number, line in enumerate(_lines(raw, compression), 1):
                if line.strip():
                    yield number, line
        except (EOFError, OSError, ValueError) as problem:
            raise RecordFileError(
                f"{path}: line {number + 1}: {_stream_problem(problem, compression)}"
            ) from None
        except Exception as problem:  # zstandard.ZstdError
            if type(problem).__name__ != "ZstdError":
                raise
            raise RecordFileError(
                f"{path}: line {number + 1}: corrupt zstandard stream ({problem})"
            ) from None
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _stream_problem(problem: Exception, compression: str | None) -> str:
    if isinstance(problem, EOFError):
        return f"truncated {compression or 'input'} stream (the file ends too early)"
    if compression:
        return f"corrupt {compression} stream ({problem})"
    return str(problem)


def parse_line(line: bytes) -> Any:
    """The JSON value of one line; ValueError when it is not JSON."""
    return json.loads(line)


def dump_record(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def _special(path: str) -> bool:
    """An existing path that is not a regular file (a device, a FIFO): never renamed over."""
    target = Path(path)
    return target.exists() and not target.is_file()


class JsonlWriter:
    """JSON Lines to a file (atomically: a temporary file renamed at the end) or to stdout."""

    def __init__(self, path: str | None, compression: str | None) -> None:
        self.path = path
        self._temporary: Path | None = None
        self._raw: IO[bytes]
        if path is None:
            self._raw = sys.stdout.buffer
        elif _special(path):
            self._raw = Path(path).open("wb")  # noqa: SIM115 (/dev/null, a FIFO: written, never replaced)
        else:
            self._temporary = temporary_beside(Path(path))
            self._raw = self._temporary.open("xb")
        self._stream: Any = self._raw
        if compression == "gzip":
            import gzip

            self._stream = gzip.GzipFile(filename="", fileobj=self._raw, mode="wb", mtime=0)
        elif compression == "zstd":
            zstandard = _need("zstandard", "records")
            self._stream = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)

    def write(self, data: bytes) -> None:
        self._stream.write(data)

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        if self._temporary is not None and self.path is not None:
            self._raw.close()
            self._temporary.replace(self.path)
            self._temporary = None
        elif self.path is not None:
            self._raw.close()
        else:
            self._raw.flush()

    def abort(self) -> None:
        if self._temporary is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._temporary.unlink(missing_ok=True)
            self._temporary = None


# ---- Parquet ---------------------------------------------------------------------------------


def parquet_file(path: str) -> Any:
    """A pyarrow ParquetFile, or a RecordFileError naming the file."""
    if path == STDIN:
        raise RecordFileError("<stdin>: Parquet cannot be read from stdin; name the file")
    pq = _need("pyarrow.parquet", "parquet")
    if not Path(path).exists():
        raise RecordFileError(f"{path}: no such file")
    try:
        return pq.ParquetFile(path)
    except Exception as problem:  # pyarrow.ArrowInvalid, OSError
        raise RecordFileError(f"{path}: not a readable Parquet file ({_first_line(problem)})") from None


def read_row_groups(handle: Any, path: str) -> Iterator[tuple[int, list[dict[str, Any]] | RecordFileError]]:
    """(first row number, rows) per row group, rows numbered from 1; a bad group is an error."""
    first = 1
    for index in range(handle.num_row_groups):
        rows = handle.metadata.row_group(index).num_rows
        try:
            yield first, handle.read_row_group(index).to_pylist()
        except Exception as problem:
            last = first + rows - 1
            yield (
                first,
                RecordFileError(
                    f"{path}: rows {first}-{last} (row group {index}): unreadable ({_first_line(problem)})"
                ),
            )
        first += rows


def _first_line(problem: Exception) -> str:
    return (str(problem).strip().splitlines() or [type(problem).__name__])[0]


def output_schema(schema: Any, text_field: str, output_field: str | None, meta_field: str | None) -> Any:
    """The input's schema with the cleaned text (and the facts, as JSON) as strings."""
    pa = _need("pyarrow", "parquet")
    fields = list(schema)
    target = output_field or text_field
    names = [f.name for f in fields]
    for name in (target, meta_field):
        if name is None:
            continue
        if name in names:
            index = names.index(name)
            fields[index] = pa.field(name, pa.string())
        else:
            fields.append(pa.field(name, pa.string()))
            names.append(name)
    return pa.schema(fields, metadata=schema.metadata)


class ParquetWriter:
    """Row groups to a Parquet file, written atomically; one output group per input group."""

    def __init__(self, path: str, schema: Any) -> None:
        pq = _need("pyarrow.parquet", "parquet")
        self.path = path
        self.schema = schema
        self._temporary: Path | None = None if _special(path) else temporary_beside(Path(path))
        self._writer = pq.ParquetWriter(str(self._temporary or path), schema)

    def write(self, rows: list[dict[str, Any]]) -> None:
        pa = _need("pyarrow", "parquet")
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        self._writer.close()
        if self._temporary is not None:
            self._temporary.replace(self.path)
            self._temporary = None

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()
        if self._temporary is not None:
            self._temporary.unlink(missing_ok=True)
            self._temporary = None
