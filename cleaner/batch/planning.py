"""From the command line's paths and -o to a list of jobs: walking trees, mapping outputs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cleaner.batch.process import Job, Mode
from cleaner.batch.sources import (
    DEFAULT_LIMITS,
    STDIN,
    Limits,
    display_name,
    read_bounded,
    read_reason,
    shown,
)
from cleaner.batch.walking import walk
from cleaner.batch.writing import is_stream
from cleaner.errors import InputError, UsageError


@dataclass(slots=True)
class Plan:
    """The jobs of a run, with the inputs that failed or were skipped before cleaning."""

    jobs: list[Job] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # inputs that failed before cleaning
    notes: list[str] = field(default_factory=list)  # inputs skipped on purpose (special files)
    mode: Mode = Mode.STREAM
    walked: bool = False  # some input was a directory


class Request(NamedTuple):
    """What the command line asked for: the inputs, where results go, in which format."""

    paths: tuple[str, ...]
    output: str | None = None
    output_format: str = "text"
    mode: Mode = Mode.STREAM  # STREAM, CHECK or IN_PLACE as asked; WRITE is decided here
    glob: str = "*.txt"
    excludes: tuple[str, ...] = ()
    limits: Limits = DEFAULT_LIMITS  # for stdin, read here
    stats_json: str | None = None  # another output, which must not be an input either


def plan(request: Request) -> Plan:
    """Jobs in a stable order: the paths as given, each directory's files sorted."""
    paths = request.paths or (STDIN,)
    if paths.count(STDIN) > 1:
        raise UsageError("stdin ('-') given more than once")
    if request.mode is Mode.IN_PLACE and STDIN in paths:
        raise UsageError("stdin ('-') cannot be rewritten in place; drop --in-place or name files")
    directories = [Path(p) for p in paths if p != STDIN and Path(p).is_dir()]
    result = Plan(mode=request.mode, walked=bool(directories))
    out_dir = _output_directory(request, directories)
    if out_dir is not None:
        result.mode = Mode.WRITE
        if STDIN in paths:
            raise UsageError(
                f"{shown(out_dir)}: stdin ('-') has no name to write under a directory; name a file"
            )
    for path in paths:
        if path == STDIN:
            _add_stdin(result, request.limits)
        elif Path(path).is_dir():
            _add_tree(result, Path(path), request, out_dir)
        elif not Path(path).exists():
            result.problems.append(f"{shown(path)}: {_missing(path)}")
        else:
            result.jobs.append(_job(path, Path(Path(path).name), out_dir, request.output_format))
    if result.mode in (Mode.IN_PLACE, Mode.CHECK):
        result.jobs = _once_each(result.jobs)
    _refuse_clashes(result.jobs)
    _refuse_outputs_that_are_inputs(result.jobs, request, out_dir)
    return result


def _missing(path: str) -> str:
    """Why a path named on the command line is not there."""
    try:
        Path(path).stat()
    except OSError as error:
        return read_reason(path, error)
    return "no such file"


def _add_stdin(result: Plan, limits: Limits) -> None:
    name = display_name(STDIN)
    try:
        data = read_bounded(sys.stdin.buffer, name, limits)
    except InputError as problem:
        result.problems.append(str(problem))
        return
    except OSError as problem:
        result.problems.append(f"{name}: {problem.strerror or problem}")
        return
    result.jobs.append(Job(STDIN, name, data=data, size=len(data)))


def _output_directory(request: Request, directories: list[Path]) -> Path | None:
    """-o names a directory when an input is a directory, -o already is one, or it ends in a
    slash (not for jsonl, which is one stream)."""
    if request.output is None:
        return None
    out = Path(request.output)
    slash = request.output.endswith(("/", os.sep))
    if request.output_format == "jsonl":
        if slash or out.is_dir():
            why = "names a directory, but --format jsonl writes one stream: name a file"
            raise UsageError(f"{shown(out)}: {why}")
        return None
    if not directories and not out.is_dir() and not slash:
        return None  # one stream into the file -o names, as for a single input
    if request.mode is not Mode.STREAM:
        raise UsageError("-o cannot be combined with --check or --in-place")
    if out.exists() and not out.is_dir():
        why = "directory inputs need" if directories else "a trailing slash names"
        raise UsageError(f"{shown(out)}: exists and is not a directory ({why} an output directory)")
    for directory in directories:
        if out.resolve() == directory.resolve():
            raise UsageError(f"{shown(out)}: is the input directory; use --in-place to rewrite files there")
    return out


def _add_tree(result: Plan, root: Path, request: Request, out_dir: Path | None) -> None:
    # An output directory inside the tree is left out of the walk, so that a second run
    # does not clean the first run's results.
    skip = (out_dir,) if out_dir is not None else ()
    walked = walk(root, request.glob, request.excludes, skip)
    result.problems += walked.problems
    result.notes += walked.notes
    for relative in walked.files:
        result.jobs.append(_job(str(root / relative), relative, out_dir, request.output_format, walked=True))


def _job(path: str, relative: Path, out_dir: Path | None, output_format: str, walked: bool = False) -> Job:
    output = None
    if out_dir is not None:
        target = out_dir / relative
        output = str(target.with_suffix(".json") if output_format == "json" else target)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    return Job(
        path,
        display_name(path),
        output=output,
        size=size,
        walked=walked,
        output_root=str(out_dir) if out_dir is not None else None,
    )


def _identity(path: str) -> tuple[int, int] | None:
    """The file a path stands for, links followed (hard links are the same file too)."""
    try:
        status = Path(path).stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _once_each(jobs: list[Job]) -> list[Job]:
    """Each file once, however many links lead to it: rewriting it twice would clean it twice."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for job in jobs:
        identity = _identity(job.source) if job.source != STDIN else None
        if identity is not None:
            if identity in seen:
                continue
            seen.add(identity)
        kept.append(job)
    return kept


def _refuse_clashes(jobs: list[Job]) -> None:
    inputs = {_identity(job.source) for job in jobs if job.source != STDIN} - {None}
    seen: dict[str, str] = {}
    for job in jobs:
        if job.output is None:
            continue
        if _identity(job.output) in inputs:
            raise UsageError(f"{shown(job.output)}: output would overwrite an input; use --in-place for that")
        if job.output in seen:
            both = f"both {shown(seen[job.output])} and {shown(job.source)}"
            raise UsageError(f"{shown(job.output)}: {both} would be written there")
        seen[job.output] = job.source


def _refuse_outputs_that_are_inputs(jobs: list[Job], request: Request, out_dir: Path | None) -> None:
    """-o FILE or --stats-json naming one of the inputs would overwrite it with the outputs."""
    inputs = {_identity(job.source): job.source for job in jobs if job.source != STDIN}
    inputs.pop(None, None)
    outputs = [("--stats-json", request.stats_json)]
    if out_dir is None:
        outputs.append(("-o", request.output))
    for option, output in outputs:
        if output is None or is_stream(output):
            continue
        source = inputs.get(_identity(output))
        if source is not None:
            raise UsageError(
                f"{option} {shown(output)}: is the input {shown(source)}; it would be overwritten"
            )
    if (
        request.stats_json
        and request.output
        and out_dir is None
        and not is_stream(request.output)
        and os.path.realpath(request.stats_json) == os.path.realpath(request.output)
    ):
        raise UsageError(f"--stats-json {shown(request.stats_json)}: is also the -o file")
