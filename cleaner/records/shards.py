"""Cleaning files of records, in chunks on a pool of workers, written in input order.

The main process reads (and decompresses) each file as a stream and hands out chunks of
records; workers parse, clean (corpus.clean_record) and serialize them; the main process
writes the results in input order, so the output is the same for any number of workers.
A bounded number of chunks is in flight, so memory stays flat whatever a file's size.
"""

from __future__ import annotations

import signal
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.batch.process import Outcome
from cleaner.records.corpus import RecordOutcome, RecordSettings, clean_record, exclusion, meta_as_json
from cleaner.records.formats import (
    JsonlWriter,
    ParquetWriter,
    RecordFileError,
    RecordFormat,
    dump_record,
    output_schema,
    parquet_file,
    parse_line,
    read_lines,
    read_row_groups,
)

CHUNK_RECORDS = 64
CHUNK_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RecordJob:
    path: str  # a file, or "-" for stdin (JSON Lines only)
    name: str  # how messages name it
    input: RecordFormat
    output: str | None  # a file; None: stdout (JSON Lines)
    output_format: RecordFormat  # kind and compression of the output


# One chunk: (where, payload) pairs, payload the raw line (jsonl) or the row (parquet).
Chunk = list[tuple[str, Any]]
# What comes back for each record: the outcome, the output (bytes or a row) and the exclusion.
Cleaned = list[tuple[RecordOutcome, Any, bytes | None]]


def clean_chunk(
    chunk: Chunk, settings: RecordSettings, kind: str, parquet_out: bool, excluding: bool
) -> Cleaned:
    """Clean the records of one chunk; runs in a worker (or in the main process with -j 1)."""
    done: Cleaned = []
    for where, payload in chunk:
        raw = payload if isinstance(payload, bytes) else None
        if raw is not None:
            try:
                record = parse_line(raw)
            except ValueError as problem:
                outcome = RecordOutcome(where, error=f"{where}: not JSON ({problem})")
                entry = dump_record(exclusion(None, raw, outcome, where)) if excluding else None
                done.append((outcome, None, entry))
                continue
        else:
            record = payload
        outcome = clean_record(record, settings, where)
        outcome.result = None  # not needed back in the main process
        output: Any = None
        if outcome.record is not None:
            output = (
                meta_as_json(outcome.record, settings.meta_field)
                if parquet_out
                else dump_record(outcome.record)
            )
            outcome.record = None
        entry = None
        if excluding and outcome.excluded is not None:
            entry = dump_record(exclusion(record, raw, outcome, where))
        done.append((outcome, output, entry))
    return done


def report_outcome(outcome: RecordOutcome, size: int) -> Outcome:
    """The batch Outcome of one record, for the run's report (messages, counts, exit code)."""
    status = "failed" if outcome.error else "changed" if outcome.changed else "unchanged"
    return Outcome(
        outcome.name,
        status=status,
        size=size,
        errors=[outcome.error] if outcome.error else [],
        warnings=outcome.warnings,
        suspicious=outcome.suspicious,
        removed_by_kind=outcome.removed_by_kind,
        removed_by_rule=outcome.removed_by_rule,
        removed_lines=outcome.removed_lines,
        repaired_lines=outcome.repaired_lines,
    )


# ---- reading a file into chunks ---------------------------------------------------------------


@dataclass(slots=True)
class Group:
    """The end of an input row group: write the rows gathered so far as one row group."""


def _jsonl_chunks(job: RecordJob) -> Iterator[Chunk | RecordFileError]:
    chunk: Chunk = []
    size = 0
    try:
        for number, line in read_lines(job.path, job.input.compression):
            chunk.append((f"{job.name}:{number}", line))
            size += len(line)
            if len(chunk) >= CHUNK_RECORDS or size >= CHUNK_BYTES:
                yield chunk
                chunk, size = [], 0
    except RecordFileError as problem:
        if chunk:
            yield chunk
        yield problem
        return
    if chunk:
        yield chunk


def _parquet_chunks(handle: Any, job: RecordJob) -> Iterator[Chunk | RecordFileError | Group]:
    for first, rows in read_row_groups(handle, job.name):
        if isinstance(rows, RecordFileError):
            yield rows
            continue
        for start in range(0, len(rows), CHUNK_RECORDS):
            yield [
                (f"{job.name}: row {first + start + i}", row)
                for i, row in enumerate(rows[start : start + CHUNK_RECORDS])
            ]
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


def clean_file(
    job: RecordJob,
    cleaner: Cleaner,
    add: Callable[[Outcome], None],
    failed: Callable[[str], None],
    exclusions: JsonlWriter | None,
    check: bool,
) -> bool:
    """Clean one file of records; True when some record would change (for --check)."""
    settings = cleaner.settings
    parquet_out = job.output_format.kind == "parquet"
    writer: Any = None
    changed = False
    try:
        if job.input.kind == "parquet":
            handle = parquet_file(job.path)
            items: Iterator[Any] = _parquet_chunks(handle, job)
            schema = output_schema(
                handle.schema_arrow, settings.text_field, settings.output_field, settings.meta_field
            )
        else:
            if job.path != "-" and not Path(job.path).is_file():
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
        rows: list[dict[str, Any]] = []
        for item in cleaner.ordered(items, job.input.kind, parquet_out):
            if isinstance(item, RecordFileError):
                failed(str(item))
                continue
            if isinstance(item, Group):
                if writer is not None and parquet_out:
                    writer.write(rows)
                rows = []
                continue
            for outcome, output, entry in item:
                add(report_outcome(outcome, len(output) if isinstance(output, bytes) else 0))
                changed = changed or outcome.changed
                if entry is not None and exclusions is not None:
                    exclusions.write(entry)
                if output is None or writer is None:
                    continue
                if parquet_out:
                    rows.append(output)
                else:
                    writer.write(output)
        if writer is not None:
            if rows and parquet_out:
                writer.write(rows)
            writer.close()
            writer = None
    except RecordFileError as problem:
        failed(str(problem))
    finally:
        if writer is not None:
            writer.abort()
    return changed
