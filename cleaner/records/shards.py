"""Cleaning files of records, in chunks on a pool of workers, written in input order.

The main process reads (and decompresses) each file as a stream and hands out chunks of
records; workers parse, clean (corpus.clean_record) and serialize them, and send back one
piece of output and one tally of counts and messages per chunk; the main process writes the
pieces in input order, so the output is the same for any number of workers. A bounded
number of chunks is in flight, and Parquet is read a batch of rows at a time, so memory stays
flat whatever a file's size.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cleaner.engine.tally import Tally
from cleaner.records.corpus import RecordOutcome, RecordSettings, clean_record, exclusion, meta_as_json
from cleaner.records.formats import (
    JsonlWriter,
    ParquetWriter,
    Position,
    RecordFormat,
    dump_record,
    output_schema,
    parquet_file,
    parse_line,
    read_batches,
    read_lines,
)
from cleaner.records.locations import RecordFileError, is_file
from cleaner.records.parquet_output import excluded_lines, output_batch, table_of

CHUNK_RECORDS = 64
CHUNK_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RecordJob:
    path: str  # a file, a URL, or "-" for stdin (JSON Lines only)
    name: str  # how messages name it
    input: RecordFormat
    output: str | None  # a file or a URL; None: stdout (JSON Lines)
    output_format: RecordFormat  # kind and compression of the output


# One chunk: (where, payload) pairs, payload the raw line (jsonl) or the row (parquet).
Chunk = list[tuple[str, Any]]


@dataclass(slots=True)
class Cleaned:
    """What comes back for one chunk: its output, its exclusions, and what to report."""

    # JSON Lines out: the lines of the records written (bytes). Parquet out: for each row,
    # None when it is not written, else its cleaned text and facts (JSON), the other columns
    # being taken as they are from the Arrow batch the rows came from.
    output: Any
    exclusions: bytes = b""
    counts: Tally = field(default_factory=Tally)
    messages: list[tuple[bool, str]] = field(default_factory=list)  # (is an error, message)
    excluded_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # Parquet out


def clean_chunk(
    chunk: Chunk, settings: RecordSettings, kind: str, parquet_out: bool, excluding: bool
) -> Cleaned:
    """Clean the records of one chunk; runs in a worker (or in the main process with -j 1).

    For Parquet out, a row is only the fields clean_record reads (the text, the id): the
    exclusions get the whole row in the main process, which has it (see clean_file).
    """
    lines: list[bytes] = []
    excluded: list[bytes] = []
    texts: list[tuple[Any, str | None] | None] = []
    done = Cleaned(None)
    target = settings.output_field or settings.text_field
    for index, (where, payload) in enumerate(chunk):
        raw = payload if isinstance(payload, bytes) else None
        if raw is not None:
            try:
                record = parse_line(raw)
            except ValueError as problem:
                outcome = RecordOutcome(where, error=f"{where}: not JSON ({problem})")
                _tally(done, outcome, 0)
                if excluding:
                    excluded.append(dump_record(exclusion(None, raw, outcome, where)))
                continue
        else:
            record = payload
        outcome = clean_record(record, settings, where)
        size = 0
        if parquet_out:
            if outcome.record is None:
                texts.append(None)
            else:
                shaped = meta_as_json(outcome.record, settings.meta_field)
                texts.append((shaped[target], shaped.get(settings.meta_field or "")))
        elif outcome.record is not None:
            line = dump_record(outcome.record)
            lines.append(line)
            size = len(line)
        _tally(done, outcome, size)
        if excluding and outcome.excluded is not None:
            if parquet_out:
                done.excluded_rows.append((index, exclusion({}, None, outcome, where)["cleaner_exclusion"]))
            else:
                excluded.append(dump_record(exclusion(record, raw, outcome, where)))
    done.output = texts if parquet_out else b"".join(lines)
    done.exclusions = b"".join(excluded)
    return done


def _tally(done: Cleaned, outcome: RecordOutcome, size: int) -> None:
    """Add one record's outcome to its chunk's counts and messages, as the run reports them."""
    if outcome.error:
        done.messages.append((True, outcome.error))
    done.messages.extend((False, str(warning)) for warning in outcome.warnings)
    done.counts.add(outcome.tally(size))


# ---- reading a file into chunks ---------------------------------------------------------------


@dataclass(slots=True)
class Group:
    """The end of an input row group: write the rows gathered so far as one row group."""


@dataclass(slots=True)
class Read:
    """How far into the file reading has come (its own bytes on disk), for progress."""

    position: int


def _jsonl_chunks(job: RecordJob) -> Iterator[Chunk | RecordFileError | Read]:
    chunk: Chunk = []
    size = 0
    position = Position()
    try:
        for number, line in read_lines(job.path, job.input.compression, position):
            chunk.append((f"{job.name}:{number}", line))
            size += len(line)
            if len(chunk) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
                yield chunk
                yield Read(position.tell())
                chunk, size = [], 0
    except RecordFileError as problem:
        if chunk:
            yield chunk
        yield problem
        return
    if chunk:
        yield chunk
    yield Read(position.tell())


@dataclass(slots=True)
class Rows:
    """The Arrow batch of the chunk that follows (Parquet to Parquet): its columns are kept."""

    batch: Any


def _parquet_chunks(
    handle: Any, job: RecordJob, size: int, fields: tuple[str, ...] | None
) -> Iterator[Chunk | RecordFileError | Group | Read | Rows]:
    """Chunks of rows; with `fields`, only those fields of each row, after a Rows marker."""
    total = max(handle.metadata.num_rows, 1)
    group = 0
    for index, first, batch in read_batches(handle, job.name, CHUNK_RECORDS):
        if index != group:
            yield Group()
            group = index
        if isinstance(batch, RecordFileError):
            yield batch
            continue
        if fields is None:
            rows = batch.to_pylist()
        else:
            present = [name for name in fields if name in batch.schema.names]
            columns = [batch.column(name).to_pylist() for name in present]
            rows = [dict(zip(present, values, strict=True)) for values in zip(*columns, strict=True)]
            if not present:
                rows = [{} for _ in range(batch.num_rows)]
            yield Rows(batch)
        yield [(f"{job.name}: row {first + i}", row) for i, row in enumerate(rows)]
        yield Read(size * (first + batch.num_rows - 1) // total)
    yield Group()


# ---- the pool ---------------------------------------------------------------------------------

_SETTINGS: tuple[RecordSettings, str, bool, bool] | None = None


def _init_worker(settings: RecordSettings, kind: str, parquet_out: bool, excluding: bool) -> None:
    global _SETTINGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process stops the pool
    _SETTINGS = (settings, kind, parquet_out, excluding)


def _work(chunk: Chunk) -> Cleaned:
    assert _SETTINGS is not None
    return clean_chunk(chunk, *_SETTINGS)


class Cleaner:
    """Cleans chunks in order, in this process or on a pool of `workers` processes."""

    def __init__(self, settings: RecordSettings, workers: int, excluding: bool) -> None:
        self.settings = settings
        self.workers = workers
        self.excluding = excluding
        self._pools: dict[tuple[str, bool], Any] = {}

    def ordered(self, items: Iterator[Any], kind: str, parquet_out: bool) -> Iterator[Any]:
        """Each item as it came, a chunk replaced by its Cleaned list; at most a few in flight."""
        items = iter(items)
        first = list(_take_chunks(items, 2))  # one chunk in all: not worth starting a pool
        if self.workers <= 1 or sum(isinstance(item, list) for item in first) < 2:
            for item in _chain(first, items):
                yield (
                    clean_chunk(item, self.settings, kind, parquet_out, self.excluding)
                    if isinstance(item, list)
                    else item
                )
            return
        pool = self._pool(kind, parquet_out)
        pending: deque[Any] = deque()
        limit = self.workers * 3
        for item in _chain(first, items):
            pending.append(pool.submit(_work, item) if isinstance(item, list) else item)
            while len(pending) > limit:
                yield _resolved(pending.popleft())
        while pending:
            yield _resolved(pending.popleft())

    def _pool(self, kind: str, parquet_out: bool) -> Any:
        from concurrent.futures import ProcessPoolExecutor

        key = (kind, parquet_out)
        if key not in self._pools:
            initargs = (self.settings, kind, parquet_out, self.excluding)
            self._pools[key] = ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=initargs)
        return self._pools[key]

    def close(self, cancel: bool = False) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=cancel)
        self._pools.clear()


def _take_chunks(items: Iterator[Any], count: int) -> Iterator[Any]:
    """Items up to and including the `count`th chunk."""
    seen = 0
    for item in items:
        yield item
        seen += isinstance(item, list)
        if seen >= count:
            return


def _chain(first: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from first
    yield from rest


def _resolved(item: Any) -> Any:
    from concurrent.futures import Future

    return item.result() if isinstance(item, Future) else item


# ---- one file ---------------------------------------------------------------------------------


class Sink:
    """Where the run's results go: counts and messages, progress, and the exclusions file."""

    def __init__(
        self,
        add: Callable[[Tally, list[tuple[bool, str]]], None],
        failed: Callable[[str], None],
        exclusions: JsonlWriter | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.add = add
        self.failed = failed
        self.exclusions = exclusions
        self.progress = progress


def clean_file(job: RecordJob, cleaner: Cleaner, sink: Sink, check: bool, size: int = 0) -> bool:
    """Clean one file of records; True when some record would change (for --check).

    `size` is the file's size on disk, for progress (Parquet is followed by its rows).
    """
    settings = cleaner.settings
    parquet_out = job.output_format.kind == "parquet"
    writer: Any = None
    handle: Any = None
    changed = False
    try:
        if job.input.kind == "parquet":
            handle = parquet_file(job.path)
            fields = tuple(dict.fromkeys(f for f in (settings.text_field, settings.id_field) if f))
            items: Iterator[Any] = _parquet_chunks(handle, job, size, fields if parquet_out else None)
            schema = output_schema(
                handle.schema_arrow, settings.text_field, settings.output_field, settings.meta_field
            )
        else:
            if job.path != "-" and not is_file(job.path):
                raise RecordFileError(f"{job.name}: no such file")
            items = _jsonl_chunks(job)
            schema = None
        if not check:
            if parquet_out:
                if schema is None:
                    raise RecordFileError(f"{job.name}: Parquet output needs Parquet input; write JSON Lines")
                writer = ParquetWriter(job.output or "", schema)
            else:
                writer = JsonlWriter(job.output, job.output_format.compression)
        batches: list[Any] = []  # the current output row group, as Arrow record batches
        rows: deque[Any] = deque()  # the input batches of the chunks on their way (Parquet out)
        for item in cleaner.ordered(items, job.input.kind, parquet_out):
            if isinstance(item, RecordFileError):
                sink.failed(str(item))
            elif isinstance(item, Rows):
                rows.append(item.batch)
            elif isinstance(item, Read):
                if sink.progress is not None:
                    sink.progress(item.position)
            elif isinstance(item, Group):
                if writer is not None and parquet_out and batches:
                    writer.write(table_of(batches, schema))
                batches = []
            else:
                source = rows.popleft() if parquet_out else None
                sink.add(item.counts, item.messages)
                changed = changed or item.counts.changed > 0
                if sink.exclusions is not None:
                    if item.excluded_rows:
                        item.exclusions = excluded_lines(source, item.excluded_rows)
                    if item.exclusions:
                        sink.exclusions.write(item.exclusions)
                if writer is None or not item.output:
                    continue
                if parquet_out:
                    batches.append(output_batch(source, item.output, schema, settings))
                else:
                    writer.write(item.output)
        if writer is not None:
            writer.close()
            writer = None
    except RecordFileError as problem:
        sink.failed(str(problem))
    finally:
        if writer is not None:
            writer.abort()
        if handle is not None:  # and the file under it: a URL's is opened here, not by pyarrow
            handle.close(force=True)
    return changed
