"""One file's work: read, decode, clean, guard, render and write one job (pool.py runs many).

Every document is cleaned whole, whatever its size: the read limits (sources.Limits) are
what bound memory.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from cleaner.batch.sources import STDIN, Limits, read_source
from cleaner.batch.writing import write_atomic
from cleaner.engine.pipeline import Options, clean_text
from cleaner.engine.result import CleanResult
from cleaner.engine.tally import Tally
from cleaner.errors import CleanerError, InputError, Notice, OutputError, named
from cleaner.text.decoding import Decoded, decode_bytes


class Mode(StrEnum):
    STREAM = "stream"  # rendered output to stdout (or one -o FILE), in input order
    WRITE = "write"  # each result to its own file under an output directory
    CHECK = "check"  # write nothing; report what would change
    IN_PLACE = "in-place"  # rewrite each input that would change


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every temporary file is removed on the way out."""


class Job(NamedTuple):
    """One input of a run: where it comes from, how messages name it, where its result goes."""

    source: str  # a path, or "-" for stdin
    name: str  # how messages name the input
    output: str | None = None  # Mode.WRITE: where this result goes
    data: bytes | None = None  # stdin, read by the main process
    size: int = 0  # bytes, for progress; the worker looks again
    walked: bool = False  # found by a directory walk: only a regular file is read
    output_root: str | None = None  # Mode.WRITE: the output directory, never written outside


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
    limits: Limits = field(default_factory=Limits)  # inputs past these are refused
    split_on: str | None = None  # a line matching this in full separates two documents
    verbose: bool = False


@dataclass(slots=True)
class Outcome:
    """What happened to one input; small, so that it crosses processes cheaply."""

    name: str
    status: str = "unchanged"  # changed | unchanged | failed
    size: int = 0
    output: list[str] = field(default_factory=list)  # rendered documents for stdout, in order
    raw: str = ""  # or: text outside the document stream (a diff)
    errors: list[str] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    suspicious: bool = False
    measured: Tally = field(default_factory=Tally)  # what cleaning removed and repaired

    def tally(self) -> Tally:
        """This input's counts as one document of the run."""
        return self.measured.document(self.status, self.suspicious, self.size)


def process(job: Job, run: Run) -> Outcome:
    """Clean one input as `run` says; every failure becomes a message, never an exception."""
    outcome = Outcome(job.name)
    try:
        data = job.data if job.data is not None else _read(job, run)
        outcome.size = len(data)
        _process_document(job, run, data, outcome)
    except OutputError as problem:
        _failed(outcome, job.name, f"{problem} (the output of {job.name})", prefix=False)
    except CleanerError as problem:
        _failed(outcome, job.name, str(problem))
    except OSError as problem:
        _failed(outcome, job.name, problem.strerror or str(problem))
    except (KeyboardInterrupt, SystemExit):
        raise
    except RecursionError:
        _failed(outcome, job.name, "too deeply nested to clean")
    except MemoryError:
        _failed(outcome, job.name, "out of memory (lower --max-bytes, or use fewer workers)")
    except Exception as problem:
        detail = "".join(traceback.format_exception(problem)) if run.verbose else ""
        _failed(outcome, job.name, f"internal error: {problem!r} (run with -v for a traceback)")
        if detail:
            outcome.errors.insert(0, detail.rstrip("\n"))
    return outcome


def _read(job: Job, run: Run) -> bytes:
    try:
        return read_source(job.source, run.limits, job.name, regular_only=job.walked)
    except InputError as problem:
        if problem.reason == "no such file":  # the plan saw it: it went away since
            raise InputError(job.name, "no such file (it vanished before it could be read)") from None
        raise


def _failed(outcome: Outcome, name: str, message: str, prefix: bool = True) -> None:
    outcome.status = "failed"
    outcome.errors.append(named(name, message) if prefix else message)


def _process_document(job: Job, run: Run, data: bytes, outcome: Outcome) -> None:
    decoded = decode_bytes(data, job.name, run.encoding)
    documents, cleaned = _clean(decoded, run)
    results = [
        replace(result, encoding=decoded.encoding, encoding_confidence=decoded.confidence)
        for _, result in documents
    ]
    results[0] = replace(results[0], warnings=decoded.warnings + results[0].warnings)
    result = results[0] if len(results) == 1 else _combined(results)
    new_bytes = cleaned.replace("\n", decoded.newline).encode("utf-8") if cleaned else b""
    _account(outcome, job, run, result, changed=new_bytes != data, empty_input=not data)
    if outcome.status == "failed":
        return
    if run.mode in (Mode.STREAM, Mode.WRITE):
        # A file of its own holds what `cleaner clean FILE` prints; a split file's JSON
        # documents are an array there.
        style = run if run.mode is Mode.STREAM else replace(run, json_array=len(results) > 1)
        if run.output_format == "text":
            rendered = [cleaned]
        elif len(results) == 1:
            rendered = [_render(result, job.name, style)]
        else:  # a split file's documents are named NAME:LINE
            rendered = [
                _render(one, f"{job.name}:{first}", style)
                for one, (first, _) in zip(results, documents, strict=True)
            ]
        if run.mode is Mode.STREAM:
            outcome.output = rendered
        elif job.output is not None:
            _write_output(job, _joined(rendered, run).encode("utf-8"))
    elif run.mode is Mode.IN_PLACE and outcome.status == "changed":
        write_atomic(Path(job.source), new_bytes)
    if run.diff and outcome.status == "changed":
        outcome.raw = _diff(decoded.text, cleaned, job.name)


def _clean(decoded: Decoded, run: Run) -> tuple[list[tuple[int, CleanResult]], str]:
    """The documents of one input (first line, result) and the text output they make together."""
    if run.split_on is None:
        result = clean_text(decoded.text, run.options)
        return [(1, result)], result.text
    import regex

    from cleaner.engine.splitting import joined_text, shifted, split_documents

    parts = list(split_documents(decoded.text, regex.compile(run.split_on)))
    results = [clean_text(part.text, run.options) for part in parts]
    text = joined_text(results, parts)
    return [(p.first_line, shifted(r, p.first_line)) for r, p in zip(results, parts, strict=True)], text


def _combined(results: list[CleanResult]) -> CleanResult:
    from cleaner.engine.splitting import combined

    return combined(results)


def _write_output(job: Job, data: bytes) -> None:
    assert job.output is not None
    target = Path(job.output)
    if job.output_root is not None and target.is_symlink():
        root = Path(os.path.realpath(job.output_root))
        if not Path(os.path.realpath(target)).is_relative_to(root):
            raise OutputError(job.output, "symbolic link out of the output directory; not written through")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from cleaner.batch.writing import write_reason

        raise OutputError(job.output, write_reason(error)) from None
    write_atomic(target, data)


def _account(
    outcome: Outcome, job: Job, run: Run, result: CleanResult, changed: bool, empty_input: bool
) -> None:
    """Record one cleaned file."""
    outcome.status = "changed" if changed else "unchanged"
    outcome.warnings += [Notice(job.name, warning) for warning in result.warnings]
    if empty_input:
        outcome.warnings.append(Notice(job.name, "empty file; nothing to clean"))
    elif (
        not result.paragraphs
        and not result.title
        and changed
        and run.mode in (Mode.CHECK, Mode.IN_PLACE)
        and not run.allow_empty
    ):
        # Rewriting a file to nothing is more likely a rule gone wrong than a wish.
        outcome.status = "unchanged"
        outcome.warnings.append(
            Notice(job.name, "left as it is, since cleaning would empty it (--allow-empty)")
        )
    outcome.suspicious = result.stats.removed_share > run.max_removed
    if outcome.suspicious:
        share = f"{result.stats.removed_share:.0%}"
        message = f"suspicious: the rules would remove {share} of its words"
        if run.strict:
            _failed(outcome, job.name, f"{job.name}: {message} (--strict); not written")
        elif result.text:  # an empty result has had its own warning
            outcome.warnings.append(Notice(job.name, f"{message} (over --max-removed {run.max_removed:g})"))
    outcome.measured = Tally.measured(result)


def _joined(rendered: list[str], run: Run) -> str:
    """The rendered documents of one input as one file under an output directory."""
    if run.output_format != "json" or len(rendered) == 1:
        return "".join(rendered)
    return "[\n" + ",\n".join(rendered) + "\n]\n"


def _render(result: CleanResult, name: str, run: Run) -> str:
    import json

    from cleaner.engine.rendering import RENDERERS, to_object

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
    import difflib  # only --diff needs it

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), name, f"{name} (cleaned)"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


__all__ = ["STDIN", "Job", "Mode", "Outcome", "Run", "Terminated", "process"]
