"""Records on disk: JSON Lines (plain, gzip, zstandard) and Parquet, read and written as streams.

JSON Lines files are read line by line and Parquet files in batches of rows, so memory
stays bounded whatever a file's size. gzip comes from the standard library; zstandard
(`pip install 'cleaner[records]'`) and pyarrow (`pip install 'cleaner[parquet]'`) are imported
only when a file needs them. A path with a scheme (`s3://`, `gs://`, `memory://`) is read and
written through fsspec (`pip install 'cleaner[remote]'`, and the file system's own package,
such as s3fs); a `file://` URL is the local path it names. Every problem with a file is a
RecordFileError naming the file and, where there is one, the line or row.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from cleaner.batch.sources import STDIN
from cleaner.records.locations import (
    RecordFileError,
    _first_line,
    _need,
    _open_binary,
    _open_remote,
    _Sink,
    is_url,
)

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


class RecordFormat(NamedTuple):
    """A record file's format, as its name says: JSON Lines (compressed or not) or Parquet."""

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


# ---- JSON Lines ------------------------------------------------------------------------------


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


@dataclass(slots=True)
class Position:
    """How far reading a file has come, in the file's own (compressed) bytes: for progress."""

    handle: Any = None
    end: int | None = None  # where reading stopped, once the file is closed

    def tell(self) -> int:
        if self.end is not None:
            return self.end
        try:
            return int(self.handle.tell()) if self.handle is not None else 0
        except (OSError, ValueError, AttributeError):  # a pipe
            return 0


def read_lines(
    path: str, compression: str | None, position: Position | None = None
) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each non-blank line, numbered from 1; a bad stream raises.

    The error names the line at which reading stopped: every line before it was yielded.
    `position`, when given, follows the bytes read from the file.
    """
    raw = _open_binary(path)
    if position is not None:
        position.handle = raw
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
        except Exception as problem:  # zstandard.ZstdError; a remote file system's own errors
            if type(problem).__name__ == "ZstdError":
                raise RecordFileError(
                    f"{path}: line {number + 1}: corrupt zstandard stream ({problem})"
                ) from None
            if not is_url(path):
                raise
            raise RecordFileError(f"{path}: line {number + 1}: {_first_line(problem)}") from None
    finally:
        if position is not None:
            position.end = position.tell()
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


class JsonlWriter:
    """JSON Lines to a file (atomically: see _Sink), to a URL, or to stdout."""

    def __init__(self, path: str | None, compression: str | None) -> None:
        self.path = path
        self._sink = _Sink(path)
        self._raw = self._sink.raw
        self._stream: Any = self._raw
        try:
            if compression == "gzip":
                import gzip

                self._stream = gzip.GzipFile(filename="", fileobj=self._raw, mode="wb", mtime=0)
            elif compression == "zstd":
                zstandard = _need("zstandard", "records")
                self._stream = zstandard.ZstdCompressor(level=3).stream_writer(self._raw, closefd=False)
        except BaseException:
            self._sink.abort()
            raise

    def write(self, data: bytes) -> None:
        self._stream.write(data)

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._sink.commit()

    def abort(self) -> None:
        self._sink.abort()


# ---- Parquet ---------------------------------------------------------------------------------


def parquet_file(path: str) -> Any:
    """A pyarrow ParquetFile, or a RecordFileError naming the file."""
    if path == STDIN:
        raise RecordFileError("<stdin>: Parquet cannot be read from stdin; name the file")
    pq = _need("pyarrow.parquet", "parquet")
    source: Any = path
    if is_url(path):
        source = _open_remote(path)
    elif not Path(path).exists():
        raise RecordFileError(f"{path}: no such file")
    try:
        return pq.ParquetFile(source)
    except Exception as problem:  # pyarrow.ArrowInvalid, OSError
        raise RecordFileError(f"{path}: not a readable Parquet file ({_first_line(problem)})") from None


def read_batches(handle: Any, path: str, rows: int) -> Iterator[tuple[int, int, Any]]:
    """(row group, first row number, Arrow record batch) for batches of at most `rows` rows.

    Rows are numbered from 1. A row group is read a batch at a time, so memory holds one
    batch of rows, not a group.
    A group that cannot be read (on) is one error naming its unread rows; the rows before it
    in that group, and the other groups, are still yielded.
    """
    first = 1
    for index in range(handle.num_row_groups):
        size = handle.metadata.row_group(index).num_rows
        done = 0
        try:
            for batch in handle.iter_batches(batch_size=rows, row_groups=[index], use_threads=False):
                yield index, first + done, batch
                done += batch.num_rows
        except Exception as problem:
            unread = f"{path}: rows {first + done}-{first + size - 1} (row group {index})"
            yield index, first + done, RecordFileError(f"{unread}: unreadable ({_first_line(problem)})")
        first += size


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
    """Row groups to a Parquet file or a URL, written atomically (see _Sink)."""

    def __init__(self, path: str, schema: Any) -> None:
        pq = _need("pyarrow.parquet", "parquet")
        self.path = path
        self.schema = schema
        self._sink = _Sink(path)
        where: Any = self._sink.raw
        if self._sink.temporary is not None:
            self._sink.raw.close()  # pyarrow writes the temporary file itself
            where = str(self._sink.temporary)
        try:
            self._writer = pq.ParquetWriter(where, schema)
        except BaseException:
            self._sink.abort()
            raise

    def write(self, table: Any) -> None:
        """One row group: a pyarrow Table, or a list of rows (dicts) in the schema."""
        pa = _need("pyarrow", "parquet")
        if isinstance(table, list):
            if not table:
                return
            table = pa.Table.from_pylist(table, schema=self.schema)
        if table.num_rows:
            self._writer.write_table(table, row_group_size=table.num_rows)

    def close(self) -> None:
        self._writer.close()
        if self._sink.temporary is not None:
            self._sink.temporary.replace(self.path)
            self._sink.temporary = None
        else:
            self._sink.commit()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._writer.close()
        self._sink.abort()
