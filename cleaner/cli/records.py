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
    from cleaner.records.formats import format_of
    from cleaner.status import ExitCode

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
    from cleaner.status import ExitCode

    if flags["in_place"] or flags["diff"]:
        _fail("--diff and --in-place work on text files, not records", ExitCode.USAGE)
    if flags["output_format"] != "text":
        _fail("--format is for text files; records come out in their own format", ExitCode.USAGE)
    if flags["check"] and flags["output"]:
        _fail("-o cannot be combined with --check", ExitCode.USAGE)
    if flags["exclusions"] and flags["output"] and Path(flags["exclusions"]) == Path(flags["output"]):
        _fail("--exclusions and -o name the same file", ExitCode.USAGE)


def plan_jobs(flags: dict[str, Any]) -> list[Any]:
    """One job per input: where it is read from, and where and how its records go."""
    from cleaner.records.formats import RecordFormat, compression_of, format_of
    from cleaner.records.shards import RecordJob
    from cleaner.status import ExitCode

    paths = flags["paths"] or ("-",)
    chosen = flags["input_format"]
    output = flags["output"]
    many = len(paths) > 1
    if output and many and Path(output).exists() and not Path(output).is_dir():
        _fail(f"{output}: with several inputs, -o names a directory", ExitCode.USAGE)
    to_dir = output is not None and (many or Path(output).is_dir())
    jobs = []
    seen: set[Path] = set()
    for path in paths:
        if path != "-" and Path(path).is_dir():
            _fail(f"{path}: a directory; name the files of records", ExitCode.USAGE)
        found = format_of(path) if path != "-" else None
        if chosen == "parquet":
            source = RecordFormat("parquet")
        elif chosen == "jsonl":
            source = RecordFormat(
                "jsonl", found.compression if found and found.kind == "jsonl" else compression_of(path)
            )
        else:
            source = found or RecordFormat("jsonl")
        name = "<stdin>" if path == "-" else path
        if output is None:
            target, shape = None, RecordFormat("jsonl")  # stdout: plain JSON Lines
        elif to_dir:
            if path == "-":
                _fail("stdin ('-') has no name to write under -o DIR; give -o a file", ExitCode.USAGE)
            target, shape = str(Path(output) / Path(path).name), source
        else:
            target, shape = output, format_of(output) or source
        if shape.kind == "parquet" and source.kind != "parquet":
            _fail(
                f"{target}: Parquet output needs Parquet input (its schema); write JSON Lines", ExitCode.USAGE
            )
        if target is not None:
            resolved = Path(target).resolve()
            if path != "-" and resolved == Path(path).resolve():
                _fail(f"{target}: -o would overwrite the input", ExitCode.USAGE)
            if resolved in seen:
                _fail(f"{target}: two inputs would be written to the same file", ExitCode.USAGE)
            seen.add(resolved)
        jobs.append(RecordJob(path, name, source, target, shape))
    if to_dir and output is not None:
        Path(output).mkdir(parents=True, exist_ok=True)
    return jobs


def clean_records(flags: dict[str, Any], options: Any) -> int:
    """Clean the records the flags name; returns the exit code."""
    from cleaner.batch.report import Report
    from cleaner.records.corpus import RecordSettings
    from cleaner.records.formats import JsonlWriter, compression_of
    from cleaner.records.shards import Cleaner, clean_file

    _refuse(flags)
    jobs = plan_jobs(flags)
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
        exclusions = JsonlWriter(flags["exclusions"], compression_of(flags["exclusions"]))
    cleaner = Cleaner(settings, workers, excluding=exclusions is not None)
    try:
        for job in jobs:
            changed = clean_file(
                job, cleaner, report.add, report.failed_before_start, exclusions, flags["check"]
            )
            if flags["check"] and changed:
                click.echo(job.name)
        if exclusions is not None:
            exclusions.close()
            exclusions = None
    except BaseException:
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

        stats = report.as_dict(code)
        stats["records"] = stats.pop("files")
        write_stats(flags["stats_json"], stats)
    return int(code)
