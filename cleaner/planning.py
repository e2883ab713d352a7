"""From the command line's paths and -o to a list of jobs: walking trees, mapping outputs."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.batch import Job, Mode
from cleaner.errors import CleanerError
from cleaner.sources import STDIN, display_name, walk


class UsageError(CleanerError):
    """Arguments that cannot work together; exit code 2, before anything is cleaned."""


@dataclass(slots=True)
class Plan:
    jobs: list[Job] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # inputs that failed before cleaning
    mode: Mode = Mode.STREAM
    walked: bool = False  # some input was a directory


@dataclass(frozen=True, slots=True)
class Request:
    paths: tuple[str, ...]
    output: str | None = None
    output_format: str = "text"
    mode: Mode = Mode.STREAM  # STREAM, CHECK or IN_PLACE as asked; WRITE is decided here
    glob: str = "*.txt"
    excludes: tuple[str, ...] = ()


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
    for path in paths:
        if path == STDIN:
            result.jobs.append(Job(STDIN, display_name(STDIN), data=sys.stdin.buffer.read()))
        elif Path(path).is_dir():
            _add_tree(result, Path(path), request, out_dir)
        elif not Path(path).exists():
            why = "broken symbolic link" if Path(path).is_symlink() else "no such file"
            result.problems.append(f"{path}: {why}")
        else:
            result.jobs.append(_job(path, Path(Path(path).name), out_dir, request.output_format))
    _refuse_clashes(result.jobs)
    return result


def _output_directory(request: Request, directories: list[Path]) -> Path | None:
    """-o names a directory when an input is a directory or -o already is one (not for jsonl)."""
    if request.output is None or request.output_format == "jsonl":
        return None
    out = Path(request.output)
    if not directories and not out.is_dir():
        return None  # one stream into the file -o names, as for a single input
    if request.mode is not Mode.STREAM:
        raise UsageError("-o cannot be combined with --check or --in-place")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a directory (directory inputs need an output directory)")
    for directory in directories:
        if out.resolve() == directory.resolve():
            raise UsageError(f"{out}: is the input directory; use --in-place to rewrite files there")
    return out


def _add_tree(result: Plan, root: Path, request: Request, out_dir: Path | None) -> None:
    # An output directory inside the tree is left out of the walk, so that a second run
    # does not clean the first run's results.
    skip = (out_dir,) if out_dir is not None else ()
    walked = walk(root, request.glob, request.excludes, skip)
    result.problems += walked.problems
    for relative in walked.files:
        result.jobs.append(_job(str(root / relative), relative, out_dir, request.output_format))


def _job(path: str, relative: Path, out_dir: Path | None, output_format: str) -> Job:
    output = None
    if out_dir is not None:
        target = out_dir / relative
        output = str(target.with_suffix(".json") if output_format == "json" else target)
    try:
        size = Path(path).stat().st_size
    except OSError:
        size = 0
    return Job(path, path, output=output, size=size)


def _refuse_clashes(jobs: list[Job]) -> None:
    inputs = {Path(job.source).resolve() for job in jobs if job.source != STDIN}
    seen: dict[str, str] = {}
    for job in jobs:
        if job.output is None:
            continue
        if Path(job.output).resolve() in inputs:
            raise UsageError(f"{job.output}: output would overwrite an input; use --in-place for that")
        if job.output in seen:
            raise UsageError(f"{job.output}: both {seen[job.output]} and {job.source} would be written there")
        seen[job.output] = job.source
