"""Clean a corpus on a Dask cluster: text files, or JSON Lines records, in parallel partitions.

Each task cleans a slice of the corpus (a group of files, or a byte range of a JSON Lines file)
as the command does (batch.process, corpus.clean_record), writes its own output files atomically, and
returns counts; the client adds the counts up into a summary. Workers need the inputs and
the output folder on a filesystem they share, as with any Dask job that reads files.

    python -m cleaner.batch.cluster pages/ -o cleaned/ --workers 4
    python -m cleaner.batch.cluster records.jsonl -o cleaned/ --scheduler tcp://10.0.0.5:8786

Needs the optional extra: pip install 'cleaner[dask]'.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.batch.process import Job, Mode, Run, process
from cleaner.batch.writing import write_atomic
from cleaner.engine.pipeline import Options
from cleaner.engine.result import CleanResult
from cleaner.engine.tally import Tally
from cleaner.errors import Notice

FILES_PER_TASK = 16  # about 0.1 s of work: small enough to keep every worker busy
JSONL_BLOCK_BYTES = 32 * 1024 * 1024
SUMMARY_NAME = "cleaner-summary.json"


@dataclass
class Summary:
    """The counts (a Tally) over the documents of one task, or of a whole run once added up,
    and its messages."""

    counts: Tally = field(default_factory=Tally)
    errors: list[str] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    def add(self, result: CleanResult, size: int, changed: bool) -> None:
        self.counts.add(Tally.measured(result).document("changed" if changed else "unchanged", False, size))

    def fail(self, message: str, size: int = 0) -> None:
        self.counts.add(Tally(failed=1, bytes=size))
        self.errors.append(message)

    def merge(self, other: Summary) -> Summary:
        self.counts.add(other.counts)
        self.errors += other.errors
        self.warnings += other.warnings
        return self

    def to_object(self, seconds: float) -> dict[str, Any]:
        """The summary for scripts: the Tally's schema (as --stats-json), the messages, the time."""
        return {
            **self.counts.as_dict("documents"),
            "errors": sorted(self.errors),
            "warnings": sorted(str(notice) for notice in self.warnings),
            "seconds": round(seconds, 3),
        }


# ---- tasks: plain functions of picklable arguments, run on the workers ----------------------


def clean_files(jobs: Sequence[Job], run: Run) -> Summary:
    """Clean each job as `cleaner clean DIR -o OUT` does (batch.process: the same decoding,
    guard and output); a file that fails is counted, not raised."""
    summary = Summary()
    for job in jobs:
        outcome = process(job, run)
        summary.warnings += outcome.warnings
        summary.errors += outcome.errors if outcome.status == "failed" else []
        summary.counts.add(outcome.tally())
    return summary


def clean_jsonl_block(
    path: str,
    start: int,
    end: int,
    target: str,
    options: Options,
    text_field: str,
    id_field: str | None,
    first_line: int = 0,
    meta_field: str | None = None,
    output_field: str | None = None,
) -> Summary:
    """Clean the records whose lines start in bytes [start, end) of `path`, into `target`.

    `first_line` is the number of lines that end before `start` (jsonl_blocks counts them in
    one pass over the file), so no task reads the file before its block. Each record goes
    through corpus.clean_record, as in `cleaner clean shard.jsonl`: every field is kept and
    the text field is cleaned. A compressed file is one block, read from its start.
    """
    from cleaner.records.corpus import RecordSettings
    from cleaner.records.formats import compression_of, read_lines
    from cleaner.records.locations import RecordFileError

    settings = RecordSettings(
        options=options,
        text_field=text_field,
        id_field=id_field,
        output_field=output_field,
        meta_field=meta_field,
    )
    summary = Summary()
    lines: list[bytes] = []
    compression = compression_of(path)
    if compression is not None:
        try:
            for number, raw in read_lines(path, compression):
                lines.append(_clean_record(raw, path, number, settings, summary))
        except RecordFileError as problem:
            summary.fail(str(problem))
    else:
        with Path(path).open("rb") as handle:
            number = first_line
            position = start
            handle.seek(start)
            if start > 0:  # the line running into this block belongs to the one before
                handle.seek(start - 1)
                position = start - 1 + len(handle.readline())
                number += 1 if position > start else 0
            while position < end:
                raw = handle.readline()
                if not raw:
                    break
                position += len(raw)
                number += 1
                if raw.strip():
                    lines.append(_clean_record(raw, path, number, settings, summary))
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(target), b"".join(lines))
    return summary


def _clean_record(raw: bytes, path: str, number: int, settings: Any, summary: Summary) -> bytes:
    from cleaner.records.corpus import RecordOutcome, clean_record
    from cleaner.records.formats import dump_record

    where = f"{path}:{number}"
    try:
        record = json.loads(raw)
    except ValueError as problem:
        outcome = RecordOutcome(where, error=f"{where}: not JSON ({problem})")
    else:
        outcome = clean_record(record, settings, where)
    if outcome.error is not None or outcome.record is None or outcome.result is None:
        summary.fail(outcome.error or f"{where}: not cleaned")
        return b""
    summary.add(outcome.result, len(raw), outcome.changed)
    return dump_record(outcome.record)


# ---- the client side: plan the tasks, run them, add up the counts ---------------------------


def text_jobs(
    inputs: Iterable[str | Path],
    output: Path,
    pattern: str = "*.txt",
    output_format: str = "text",
    excludes: tuple[str, ...] = (),
) -> tuple[list[Job], list[str]]:
    """The jobs and the problems found before cleaning, planned as `cleaner clean INPUTS -o
    OUTPUT/` plans them: the same walk, output paths and refusals (planning.UsageError)."""
    from cleaner.batch.planning import Request, plan

    request = Request(
        paths=tuple(str(item) for item in inputs),
        output=f"{output}{os.sep}",  # always a directory
        output_format=output_format,
        glob=pattern,
        excludes=excludes,
    )
    planned = plan(request)
    return planned.jobs, planned.problems + planned.notes


def _block_task(
    path: str, start: int, end: int, target: str, first_line: int, *, options: Options, **fields: Any
) -> Summary:
    return clean_jsonl_block(path, start, end, target, options, first_line=first_line, **fields)


def jsonl_blocks(inputs: Iterable[str | Path], block_bytes: int) -> list[tuple[str, int, int, int]]:
    """(path, start, end, lines before start) for each block: one linear pass over each file.

    A compressed file cannot be entered in the middle, so it is one block.
    """
    from cleaner.records.formats import compression_of

    blocks = []
    for path in map(Path, inputs):
        size = path.stat().st_size
        if compression_of(str(path)) is not None:
            blocks.append((str(path), 0, size, 0))
            continue
        lines = 0
        with path.open("rb") as handle:
            for start in range(0, size, block_bytes):
                blocks.append((str(path), start, min(start + block_bytes, size), lines))
                # count this block's line ends in pieces, so memory stays flat for big blocks
                left = min(block_bytes, size - start)
                while left > 0:
                    piece = handle.read(min(left, 1 << 20))
                    if not piece:
                        break
                    lines += piece.count(b"\n")
                    left -= len(piece)
    return blocks


def clean_corpus(
    inputs: Sequence[str | Path],
    output: str | Path,
    options: Options,
    *,
    jsonl: bool = False,
    output_format: str = "text",
    pattern: str = "*.txt",
    text_field: str = "text",
    id_field: str | None = "id",
    meta_field: str | None = None,
    output_field: str | None = None,
    files_per_task: int = FILES_PER_TASK,
    block_bytes: int = JSONL_BLOCK_BYTES,
    encoding: str | None = None,
    max_removed: float = 0.6,
    strict: bool = False,
    excludes: tuple[str, ...] = (),
    planned: tuple[list[Job], list[str]] | None = None,
) -> dict[str, Any]:
    """Clean `inputs` into the folder `output` on the current Dask scheduler; return the summary.

    Text files come out as `cleaner clean INPUTS -o OUTPUT/` writes them: under the same
    relative path (`.json` with output_format "json"), through the same batch.process, so
    `encoding`, `max_removed` and `strict` mean what --encoding, --max-removed and --strict
    mean there; two inputs with one output path are refused (planning.UsageError). JSON Lines
    inputs come out as part-NNNNN.jsonl, one per block, in input order. The summary is also
    written to `output`/cleaner-summary.json. `planned` is what text_jobs() returned for
    these arguments, when the caller has planned already.
    """
    import dask.bag

    started = time.perf_counter()
    output = Path(output)
    if jsonl:
        blocks = jsonl_blocks(inputs, block_bytes)
        tasks = [
            (path, start, end, str(output / f"part-{index:05d}.jsonl"), lines)
            for index, (path, start, end, lines) in enumerate(blocks)
        ]
        bag = dask.bag.from_sequence(tasks, partition_size=1)
        summaries = bag.starmap(
            _block_task,
            options=options,
            text_field=text_field,
            id_field=id_field,
            meta_field=meta_field,
            output_field=output_field,
        ).compute()
    else:
        jobs, problems = planned or text_jobs(inputs, output, pattern, output_format, excludes)
        run = Run(
            options=options,
            mode=Mode.WRITE,
            output_format=output_format,
            encoding=encoding,
            max_removed=max_removed,
            strict=strict,
        )
        groups = [jobs[i : i + files_per_task] for i in range(0, len(jobs), files_per_task)]
        bag = dask.bag.from_sequence(groups, partition_size=1)
        summaries = bag.map(clean_files, run=run).compute() if groups else []
        before = Summary(Tally(failed=len(problems)), errors=list(problems))
        summaries = [before, *summaries]
    total = Summary()
    for summary in summaries:
        total.merge(summary)
    report = total.to_object(time.perf_counter() - started)
    output.mkdir(parents=True, exist_ok=True)
    write_atomic(output / SUMMARY_NAME, (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode())
    return report


if __name__ == "__main__":
    from cleaner.cli.cluster import dask_command

    dask_command(prog_name="python -m cleaner.batch.cluster", obj={"verbose": False})
