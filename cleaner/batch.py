"""Cleaning many files: what one file's work is, and running it on a pool in input order.

Workers read and write files themselves, so that only small outcomes cross between
processes; what goes to stdout comes back as text (or, for a large file, in a spool file)
and the main process writes it in input order, whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import signal
import tempfile
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from cleaner.decoding import decode_bytes
from cleaner.errors import CleanerError, InputError
from cleaner.pipeline import Options, clean_text
from cleaner.result import CleanResult
from cleaner.sources import STDIN, read_source, temporary_beside, write_atomic
from cleaner.windows import WINDOW_BYTES, clean_large, is_large


class Mode(StrEnum):
    STREAM = "stream"  # rendered output to stdout (or one -o FILE), in input order
    WRITE = "write"  # each result to its own file under an output directory
    CHECK = "check"  # write nothing; report what would change
    IN_PLACE = "in-place"  # rewrite each input that would change


@dataclass(frozen=True, slots=True)
class Job:
    source: str  # a path, or "-" for stdin
    name: str  # how messages name the input
    output: str | None = None  # Mode.WRITE: where this result goes
    data: bytes | None = None  # stdin, read by the main process
    size: int = 0  # bytes, for progress; the worker looks again


@dataclass(frozen=True, slots=True)
class Run:
    """Everything a worker needs to know about this run; sent once to each worker."""

    options: Options
    mode: Mode = Mode.STREAM
    output_format: str = "text"  # text | json | jsonl
    json_array: bool = False  # json on one stream: elements of an array, not lone objects
    encoding: str | None = None
    diff: bool = False
    allow_empty: bool = False
    max_removed: float = 0.6
    strict: bool = False  # a suspicious document fails instead of warning
    window_bytes: int = WINDOW_BYTES  # large files are cleaned in windows of this size
    verbose: bool = False


@dataclass(slots=True)
class Outcome:
    """What happened to one input; small, so that it crosses processes cheaply."""

    name: str
    status: str = "unchanged"  # changed | unchanged | failed
    size: int = 0
    output: str = ""  # for stdout, in input order
    spool: str | None = None  # or: a temporary file holding it (large inputs)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    suspicious: bool = False
    removed_by_kind: Counter[str] = field(default_factory=Counter)
    removed_by_rule: Counter[str] = field(default_factory=Counter)
    removed_lines: int = 0
    repaired_lines: int = 0


def process(job: Job, run: Run) -> Outcome:
    """Clean one input as `run` says; every failure becomes a message, never an exception."""
    outcome = Outcome(job.name)
    try:
        size = len(job.data) if job.data is not None else _size(job)
        outcome.size = size
        if job.data is None and is_large(size, run.window_bytes):
            _process_large(job, run, outcome)
        else:
            data = job.data if job.data is not None else read_source(job.source)
            _process_small(job, run, data, outcome)
    except CleanerError as problem:
        _failed(outcome, job.name, str(problem))
    except OSError as problem:
        _failed(outcome, job.name, problem.strerror or str(problem))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as problem:
        detail = "".join(traceback.format_exception(problem)) if run.verbose else ""
        _failed(outcome, job.name, f"internal error: {problem!r} (run with -v for a traceback)")
        if detail:
            outcome.errors.insert(0, detail.rstrip("\n"))
    return outcome


def _size(job: Job) -> int:
    try:
        return Path(job.source).stat().st_size
    except FileNotFoundError:
        raise InputError(job.source, "no such file (it vanished before it could be read)") from None


def _failed(outcome: Outcome, name: str, message: str) -> None:
    outcome.status = "failed"
    outcome.errors.append(message if message.startswith(f"{name}:") else f"{name}: {message}")


def _process_small(job: Job, run: Run, data: bytes, outcome: Outcome) -> None:
    decoded = decode_bytes(data, job.name, run.encoding)
    result = clean_text(decoded.text, run.options)
    result = replace(
        result,
        encoding=decoded.encoding,
        encoding_confidence=decoded.confidence,
        warnings=decoded.warnings + result.warnings,
    )
    cleaned = result.text
    new_bytes = cleaned.replace("\n", decoded.newline).encode("utf-8") if cleaned else b""
    _account(outcome, job, run, result, changed=new_bytes != data, empty_input=not data)
    if outcome.status == "failed":
        return
    if run.mode is Mode.STREAM:
        outcome.output = _render(result, job.name, run)
    elif run.mode is Mode.WRITE and job.output is not None:
        target = Path(job.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, _render(result, job.name, run).encode("utf-8"))
    elif run.mode is Mode.IN_PLACE and outcome.status == "changed":
        write_atomic(Path(job.source), new_bytes)
    if run.diff and outcome.status == "changed":
        outcome.output += _diff(decoded.text, cleaned, job.name)


def _account(
    outcome: Outcome,
    job: Job,
    run: Run,
    result: CleanResult,
    changed: bool,
    empty_input: bool,
    counts: tuple[Counter[str], Counter[str]] | None = None,
) -> None:
    """Record one cleaned file; `counts` stands in for removals a large file did not keep."""
    outcome.status = "changed" if changed else "unchanged"
    outcome.warnings += [w if w.startswith(f"{job.name}:") else f"{job.name}: {w}" for w in result.warnings]
    if empty_input:
        outcome.warnings.append(f"{job.name}: empty file; nothing to clean")
    elif not result.text and changed and run.mode in (Mode.CHECK, Mode.IN_PLACE) and not run.allow_empty:
        # Rewriting a file to nothing is more likely a rule gone wrong than a wish.
        outcome.status = "unchanged"
        outcome.warnings.append(f"{job.name}: left as it is, since cleaning would empty it (--allow-empty)")
    outcome.suspicious = result.stats.removed_share > run.max_removed
    if outcome.suspicious:
        share = f"{result.stats.removed_share:.0%}"
        message = f"{job.name}: suspicious: the rules would remove {share} of its words"
        if run.strict:
            _failed(outcome, job.name, f"{message} (--strict); not written")
        elif result.text:  # an empty result has had its own warning
            outcome.warnings.append(f"{message} (over --max-removed {run.max_removed:g})")
    outcome.removed_by_kind, outcome.removed_by_rule = counts or result.removed_counts()
    outcome.removed_lines = result.stats.removed_lines
    outcome.repaired_lines = result.stats.repaired_lines


def _render(result: CleanResult, name: str, run: Run) -> str:
    import json

    from cleaner.rendering import RENDERERS, to_object

    if run.output_format == "json" and run.json_array:
        text = json.dumps(
            to_object(result, name, suspicious=_suspicious(result, run)), ensure_ascii=False, indent=2
        )
        return "\n".join("  " + line for line in text.split("\n"))
    if run.output_format in ("json", "jsonl"):
        obj = to_object(result, name, suspicious=_suspicious(result, run))
        indent = 2 if run.output_format == "json" else None
        return json.dumps(obj, ensure_ascii=False, indent=indent) + "\n"
    return RENDERERS["text"](result, name)


def _suspicious(result: CleanResult, run: Run) -> bool:
    return result.stats.removed_share > run.max_removed


def _diff(before: str, after: str, name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), name, f"{name} (cleaned)"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _process_large(job: Job, run: Run, outcome: Outcome) -> None:
    """A file above the window size: cleaned in windows, its text written as it is made."""
    path = Path(job.source)
    keep = run.output_format != "text" and run.mode in (Mode.STREAM, Mode.WRITE)
    pieces, merged, (encoding, warnings) = clean_large(
        path, run.options, job.name, run.encoding, run.window_bytes, keep_paragraphs=keep
    )
    in_place = run.mode in (Mode.CHECK, Mode.IN_PLACE)
    newline = _newline(path, encoding) if in_place else "\n"
    # The spool is renamed into place at the end, so it must be on the target's file system.
    directory = None
    if run.mode is Mode.IN_PLACE:
        directory = path.parent
    elif run.mode is Mode.WRITE and job.output is not None:
        directory = Path(job.output).parent
        directory.mkdir(parents=True, exist_ok=True)
    spool = _spool_text(pieces, directory, newline)
    try:
        result = merged.result(encoding, warnings)
        changed = not _same_bytes(spool, path)
        counts = (merged.removed_by_kind, merged.removed_by_rule)
        _account(outcome, job, run, result, changed=changed, empty_input=outcome.size == 0, counts=counts)
        if outcome.status == "failed":
            return
        if run.diff and outcome.status == "changed":
            outcome.warnings.append(f"{job.name}: too large for --diff; not shown")
        if run.mode is Mode.IN_PLACE and outcome.status == "changed":
            _replace_keeping_mode(spool, path)
            return
        if run.mode in (Mode.STREAM, Mode.WRITE) and run.output_format != "text":
            spool.unlink()
            spool = _spool_text(iter([_render(result, job.name, run)]), directory, "\n")
        if run.mode is Mode.WRITE and job.output is not None:
            _replace_keeping_mode(spool, Path(job.output))
            return
        if run.mode is Mode.STREAM:
            outcome.spool, spool = str(spool), None
    finally:
        if spool is not None and spool.exists():
            spool.unlink()


def _newline(path: Path, encoding: str) -> str:
    """The file's own line ending, so that an in-place rewrite keeps it."""
    with path.open(encoding=encoding, errors="replace", newline="") as stream:
        first = stream.readline()
    return "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"


def _spool_text(pieces: Iterator[str], directory: Path | None, newline: str) -> Path:
    """Write the pieces to a temporary file (beside the input for --in-place, for the rename)."""
    path = temporary_beside((directory or Path(tempfile.gettempdir())) / "cleaner-spool")
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            for piece in pieces:
                handle.write(piece if newline == "\n" else piece.replace("\n", newline))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _same_bytes(first: Path, second: Path) -> bool:
    import filecmp

    return filecmp.cmp(first, second, shallow=False)


def _replace_keeping_mode(temporary: Path, target: Path) -> None:
    if target.exists():
        temporary.chmod(target.stat().st_mode & 0o7777)
    temporary.replace(target)


# The pool. A worker ignores Ctrl-C while it waits for work (so that it never prints a
# traceback from its queue), and turns it into KeyboardInterrupt while it works, so that
# write_atomic removes its temporary file before the worker stops.

_RUN: Run | None = None
_BUSY = False


def _init_worker(run: Run) -> None:
    global _RUN
    _RUN = run
    signal.signal(signal.SIGINT, _on_interrupt)


def _on_interrupt(signum: int, frame: object) -> None:
    if _BUSY:
        raise KeyboardInterrupt


def _work(jobs: list[Job]) -> list[Outcome]:
    global _BUSY
    assert _RUN is not None
    _BUSY = True
    try:
        return [process(job, _RUN) for job in jobs]
    finally:
        _BUSY = False


def chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Groups of jobs per task: big enough to pay for the trip, small enough to share out.

    >>> [len(c) for c in chunks([Job(str(i), str(i)) for i in range(10)], 2)]
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    """
    size = max(1, min(64, len(jobs) // (workers * 8)))
    return [jobs[start : start + size] for start in range(0, len(jobs), size)]


def run_jobs(jobs: list[Job], run: Run, workers: int) -> Iterator[Outcome]:
    """Outcomes in the order of `jobs`, computed in this process or on `workers` processes."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield process(job, run)
        return
    yield from _run_pool(jobs, run, workers)


def _run_pool(jobs: list[Job], run: Run, workers: int) -> Iterator[Outcome]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    queued = iter(chunks(jobs, workers))
    executor = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(run,))
    pending: deque = deque()
    try:
        # A bounded number of tasks in flight: memory stays flat on huge trees.
        for task in _take(queued, workers * 4):
            pending.append((task, executor.submit(_work, task)))
        while pending:
            task, future = pending.popleft()
            try:
                outcomes = future.result()
                for more in _take(queued, 1):
                    pending.append((more, executor.submit(_work, more)))
            except BrokenProcessPool:
                # A worker died (killed, out of memory): what it had is lost, and with it
                # the pool; report every input not yet done, and stop.
                lost = [task] + [waiting for waiting, _ in pending] + list(queued)
                pending.clear()
                outcomes = [_lost(job) for group in lost for job in group]
            yield from outcomes
    except BaseException:
        _interrupt_workers(multiprocessing.active_children())
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _take(iterator: Iterator[list[Job]], count: int) -> Iterable[list[Job]]:
    for _ in range(count):
        task = next(iterator, None)
        if task is None:
            return
        yield task


def _lost(job: Job) -> Outcome:
    outcome = Outcome(job.name)
    _failed(outcome, job.name, "internal error: the worker process died")
    return outcome


def _interrupt_workers(children: Iterable) -> None:
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child.pid, signal.SIGINT)


__all__ = ["STDIN", "Job", "Mode", "Outcome", "Run", "chunks", "process", "run_jobs"]
