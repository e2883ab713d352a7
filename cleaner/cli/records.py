"""`cleaner clean` on records: JSON Lines and Parquet in, the same format out, fields kept.

Only click is imported at the top, so that `cleaner --version` stays light; the record
machinery loads when a command needs it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

RECORD_FORMATS = ("auto", "text", "jsonl", "parquet")


def record_options(command: Any) -> Any:
    """The flags of record input: format, fields, facts and exclusions."""
    for option in reversed(
        (
            click.option(
                "--input-format",
                type=click.Choice(RECORD_FORMATS),
                default="auto",
                show_default=True,
                help="Records or text [auto: .jsonl .ndjson .jsonl.gz .json.gz .jsonl.zst .parquet].",
            ),
            click.option(
                "--text-field", default="text", show_default=True, help="Records: the field to clean."
            ),
            click.option(
                "--id-field", metavar="NAME", help="Records: the field that names a record in messages."
            ),
            click.option(
                "--output-field",
                metavar="NAME",
                help="Records: write the cleaned text here [default: the text field].",
            ),
            click.option(
                "--meta-field",
                metavar="NAME",
                help="Records: add title, removed share, counts, suspicious here.",
            ),
            click.option(
                "--exclusions",
                type=click.Path(dir_okay=False),
                metavar="FILE",
                help="Records: write the suspicious and failed records here, with the reason (JSON Lines).",
            ),
        )
    ):
        command = option(command)
    return command


def wants_records(flags: dict[str, Any]) -> bool:
    """Whether this run cleans records; mixing records and text files is a usage error."""
    from cleaner.exit_codes import ExitCode
    from cleaner.records.formats import format_of

    chosen = flags["input_format"]
    if chosen == "text":
        return False
    if chosen in ("jsonl", "parquet"):
        return True
    paths = flags["paths"]
    kinds = [format_of(path) is not None for path in paths if path != "-"]
    if any(kinds) and not all(kinds):
        _fail("records and text files cannot be cleaned in one run; run twice", ExitCode.USAGE)
    return bool(kinds) and all(kinds)


def _fail(message: str, code: int) -> Any:
    from cleaner.cli.base import fail

    fail(message, code)  # type: ignore[arg-type]


def _refuse(flags: dict[str, Any]) -> None:
    from cleaner.exit_codes import ExitCode

    if flags["in_place"] or flags["diff"]:
        _fail("--diff and --in-place work on text files, not records", ExitCode.USAGE)
    if flags["output_format"] != "text":
        _fail("--format is for text files; records come out in their own format", ExitCode.USAGE)
    if flags["check"] and flags["output"]:
        _fail("-o cannot be combined with --check", ExitCode.USAGE)
    if flags["exclusions"] and flags["output"] and Path(flags["exclusions"]) == Path(flags["output"]):
        _fail("--exclusions and -o name the same file", ExitCode.USAGE)


def plan_jobs(flags: dict[str, Any]) -> list[Any]:
    """One job per input: where it is read from, and where and how its records go.

    Inputs and -o may be URLs (s3://, gs://, memory://: through fsspec); file:// URLs are the
    local paths they name. Messages name each input as it was given.
    """
    from cleaner.exit_codes import ExitCode
    from cleaner.records.formats import RecordFormat, compression_of, format_of
    from cleaner.records.locations import RecordFileError, is_dir, is_url, joined, local_path, same_file
    from cleaner.records.shards import RecordJob

    paths = flags["paths"] or ("-",)
    chosen = flags["input_format"]
    try:
        output = local_path(flags["output"]) if flags["output"] else None
        many = len(paths) > 1
        output_is_dir = output is not None and (output.endswith("/") or is_dir(output))
        if output and many and not output_is_dir and _exists(output):
            _fail(f"{flags['output']}: with several inputs, -o names a directory", ExitCode.USAGE)
        to_dir = output is not None and (many or output_is_dir)
        jobs = []
        seen: list[str] = []
        for given in paths:
            path = local_path(given)
            if path != "-" and is_dir(path):
                _fail(f"{given}: a directory; name the files of records", ExitCode.USAGE)
            found = format_of(path) if path != "-" else None
            if chosen == "parquet":
                source = RecordFormat("parquet")
            elif chosen == "jsonl":
                source = RecordFormat(
                    "jsonl", found.compression if found and found.kind == "jsonl" else compression_of(path)
                )
            else:
                source = found or RecordFormat("jsonl")
            name = "<stdin>" if path == "-" else given
            if output is None:
                target, shape = None, RecordFormat("jsonl")  # stdout: plain JSON Lines
            elif to_dir:
                if path == "-":
                    _fail("stdin ('-') has no name to write under -o DIR; give -o a file", ExitCode.USAGE)
                target, shape = joined(output, Path(path).name), source
            else:
                target, shape = output, format_of(output) or source
            if shape.kind == "parquet" and source.kind != "parquet":
                _fail(
                    f"{target}: Parquet output needs Parquet input (its schema); write JSON Lines",
                    ExitCode.USAGE,
                )
            if target is not None:
                if path != "-" and same_file(target, path):
                    _fail(f"{target}: -o would overwrite the input", ExitCode.USAGE)
                if any(same_file(target, other) for other in seen):
                    _fail(f"{target}: two inputs would be written to the same file", ExitCode.USAGE)
                seen.append(target)
            jobs.append(RecordJob(path, name, source, target, shape))
        if to_dir and output is not None and not is_url(output):
            Path(output).mkdir(parents=True, exist_ok=True)
    except RecordFileError as problem:  # a URL whose file system cannot be had
        _fail(str(problem), ExitCode.USAGE)
    return jobs


def _exists(path: str) -> bool:
    from cleaner.records.locations import is_file, is_url

    return is_file(path) if is_url(path) else Path(path).exists()


def _sizes(jobs: list[Any]) -> list[int]:
    """Each input's size on disk (0 when it cannot be known: stdin, a missing file)."""
    from cleaner.records.locations import is_url, remote

    sizes = []
    for job in jobs:
        try:
            if job.path == "-":
                sizes.append(0)
            elif is_url(job.path):
                fs, where = remote(job.path)
                sizes.append(int(fs.size(where) or 0))
            else:
                sizes.append(Path(job.path).stat().st_size)
        except Exception:
            sizes.append(0)
    return sizes


def clean_records(flags: dict[str, Any], options: Any) -> int:
    """Clean the records the flags name; returns the exit code."""
    from cleaner.batch.report import Report
    from cleaner.exit_codes import ExitCode
    from cleaner.records.corpus import RecordSettings
    from cleaner.records.formats import JsonlWriter, compression_of
    from cleaner.records.locations import RecordFileError, local_path
    from cleaner.records.shards import Cleaner, Sink, clean_file

    _refuse(flags)
    jobs = plan_jobs(flags)
    if any(job.input.kind == "parquet" for job in jobs) and "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        # Arrow's default allocator (mimalloc) keeps what it freed; the system's gives it back,
        # which keeps a long run's memory at what one batch of rows needs (about 30 MB less).
        try:
            import pyarrow as pa
        except ImportError:
            pass  # each Parquet file says so, with the extra to install
        else:
            pa.set_memory_pool(pa.system_memory_pool())
    settings = RecordSettings(
        options=options,
        text_field=flags["text_field"],
        id_field=flags["id_field"],
        output_field=flags["output_field"],
        meta_field=flags["meta_field"],
        encoding=flags["encoding"],
        max_removed=flags["max_removed"],
        strict=flags["strict"],
    )
    report = Report(quiet=flags["quiet"])
    workers = flags["workers"] or os.cpu_count() or 1
    exclusions = None
    if flags["exclusions"]:
        try:
            where = local_path(flags["exclusions"])
            exclusions = JsonlWriter(where, compression_of(where))
        except RecordFileError as problem:
            _fail(str(problem), ExitCode.USAGE)
    sizes = _sizes(jobs) if report.interactive and not report.quiet else [0] * len(jobs)
    report.start_records(len(jobs), sum(sizes))
    cleaner = Cleaner(settings, workers, excluding=exclusions is not None)
    try:
        before = 0
        for number, (job, size) in enumerate(zip(jobs, sizes, strict=True), 1):

            def progress(position: int, before: int = before, number: int = number) -> None:
                report.records_read(number, before + position)

            sink = Sink(report.add_counts, report.failed_before_start, exclusions, progress)
            changed = clean_file(job, cleaner, sink, flags["check"], size)
            before += size
            if flags["check"] and changed:
                click.echo(job.name)
        if exclusions is not None:
            exclusions.close()
            exclusions = None
    except BaseException:
        report.stop()
        cleaner.close(cancel=True)
        raise
    finally:
        if exclusions is not None:
            exclusions.abort()
    cleaner.close()
    report.summary()
    code = report.exit_code(check=flags["check"])
    if flags["stats_json"]:
        from cleaner.cli.base import write_stats

        stats = report.as_dict(code, "records")
        write_stats(flags["stats_json"], stats)
    return int(code)
