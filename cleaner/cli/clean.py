"""`cleaner clean`: flags to Options, paths to sources, outcomes to exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from cleaner.cli.base import (
    CONTEXT,
    article_flags,
    check_encoding,
    cleaning_options,
    cli,
    fail,
    guard_options,
    guarded,
    limit_options,
    load_ruleset,
    write_stats,
)
from cleaner.cli.records import record_options
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, metavar="[PATH|DIR|-]...")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write here, not stdout: a file, or a directory mirroring the inputs' paths.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: title and body; json: one object per document; jsonl: one per line.",
)
@click.option(
    "--glob", default="*.txt", show_default=True, metavar="GLOB", help="Which files to clean in a directory."
)
@click.option(
    "--exclude", "excludes", multiple=True, metavar="GLOB", help="Leave these out of a walk (repeatable)."
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes [default: all cores].",
)
@click.option("--check", is_flag=True, help="Write nothing; list files cleaning would change and exit 1.")
@click.option("--diff", is_flag=True, help="Print a unified diff of each change instead of the output.")
@click.option("--in-place", is_flag=True, help="Rewrite the files that change (atomic, keeps newlines).")
@click.option("--allow-empty", is_flag=True, help="Let --in-place empty a file that is all chrome.")
@guard_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
@click.option("--stats-json", type=click.Path(dir_okay=False), help="Write the run's summary here as JSON.")
@limit_options
@click.option(
    "--split-on",
    metavar="REGEX",
    help="A file holds many documents: a line this pattern matches in full separates two.",
)
@cleaning_options
@record_options
@click.pass_context
def clean(context: click.Context, **flags: Any) -> None:
    """Clean scraped article text files, directory trees (or stdin) and write the article.

    \b
    Examples:
      cleaner clean page.txt
      cleaner clean - < page.txt > clean.txt
      cleaner clean --format jsonl a.txt b.txt > cleaned.jsonl
      cleaner clean pages/ -o cleaned/ -j 4     mirror a tree, cleaned
      cleaner clean --check --diff notes/       what would change (pre-commit)
      cleaner clean --in-place notes/*.txt      rewrite in place
      cleaner clean --rules my-site.toml --site my-site page.txt
    """
    verbose = context.obj["verbose"]
    with guarded(verbose):
        check_encoding(flags["encoding"])
        _check_split_on(flags["split_on"])
        options = _options(flags)
        from cleaner.cli.records import clean_records, wants_records

        if wants_records(flags):
            sys.exit(clean_records(flags, options))
        request, run = _request(flags, options, verbose)
        code = _clean_batch(request, run, flags)
    sys.exit(code)


def _check_split_on(pattern: str | None) -> None:
    if pattern is None:
        return
    import regex

    try:
        compiled = regex.compile(pattern)
    except regex.error as problem:
        fail(f"--split-on {pattern!r}: does not compile: {problem}", ExitCode.USAGE)
    if compiled.fullmatch(""):
        fail(f"--split-on {pattern!r}: matches an empty line; make it match only separators", ExitCode.USAGE)


def _options(flags: dict[str, Any]) -> Any:
    from cleaner.engine.pipeline import Options

    ruleset = load_ruleset(flags["rule_paths"], not flags["no_builtin"], flags["sites"])
    return Options(
        rules=ruleset,
        sites=flags["sites"],
        ascii_quotes=flags["ascii_quotes"],
        repair=not flags["no_repair"],
        **article_flags(flags),
        lang=flags["lang"],
    )


def _request(flags: dict[str, Any], options: Any, verbose: bool) -> tuple[Any, Any]:
    from cleaner.batch.planning import Request
    from cleaner.batch.process import Mode, Run
    from cleaner.batch.sources import Limits

    if flags["check"] and flags["in_place"]:
        fail("--check and --in-place contradict each other; choose one", ExitCode.USAGE)
    if (flags["check"] or flags["in_place"] or flags["diff"]) and flags["output_format"] != "text":
        fail("--check, --diff and --in-place work on text; drop --format", ExitCode.USAGE)
    mode = (
        Mode.IN_PLACE if flags["in_place"] else Mode.CHECK if flags["check"] or flags["diff"] else Mode.STREAM
    )
    if mode is not Mode.STREAM and flags["output"]:
        fail("-o cannot be combined with --check, --diff or --in-place", ExitCode.USAGE)
    limits = Limits(flags["max_bytes"], flags["max_line_bytes"])
    request = Request(
        paths=flags["paths"],
        output=flags["output"],
        output_format=flags["output_format"],
        mode=mode,
        glob=flags["glob"],
        excludes=flags["excludes"],
        limits=limits,
        stats_json=flags["stats_json"],
    )
    run = Run(
        options=options,
        mode=mode,
        output_format=flags["output_format"],
        encoding=flags["encoding"],
        diff=flags["diff"],
        allow_empty=flags["allow_empty"],
        max_removed=flags["max_removed"],
        strict=flags["strict"],
        limits=limits,
        split_on=flags["split_on"],
        verbose=verbose,
    )
    return request, run


def _clean_batch(request: Any, run: Any, flags: dict[str, Any]) -> ExitCode:
    """Plan, clean on the pool, write in input order, report; returns the exit code."""
    from contextlib import closing
    from dataclasses import replace

    from cleaner.batch.planning import UsageError, plan
    from cleaner.batch.pool import run_jobs
    from cleaner.batch.process import Mode
    from cleaner.batch.report import Report
    from cleaner.batch.writing import OutputStream

    try:
        planned = plan(request)
    except UsageError as refused:
        fail(str(refused), ExitCode.USAGE)
    # Several documents on one stream make a JSON array; files under an output directory
    # are each what `cleaner clean FILE` prints, and stdout then carries nothing.
    json_array = (
        request.output_format == "json"
        and planned.mode is Mode.STREAM
        and (len(request.paths) > 1 or planned.walked or run.split_on is not None)
    )
    run = replace(run, mode=planned.mode, json_array=json_array)
    report = Report(quiet=flags["quiet"])
    for problem in planned.problems:
        report.failed_before_start(problem)
    for note in planned.notes:
        report.warning(note)
    workers = flags["workers"] or os.cpu_count() or 1
    stream_to = request.output if planned.mode is Mode.STREAM else None
    report.start(len(planned.jobs), sum(job.size for job in planned.jobs))
    try:
        # closing(): whatever stops the loop (a closed pipe, a failed -o file) stops the workers.
        outcomes = run_jobs(planned.jobs, run, workers)
        with OutputStream(stream_to, request.output_format, json_array) as stream, closing(outcomes):
            for outcome in outcomes:
                report.add(outcome)
                _emit(stream, outcome, run)
    finally:
        report.stop()
    report.summary()
    code = report.exit_code(check=flags["check"])
    if flags["stats_json"]:
        write_stats(flags["stats_json"], report.as_dict(code))
    return code


def _emit(stream: Any, outcome: Any, run: Any) -> None:
    from cleaner.batch.process import Mode

    if outcome.status == "failed":
        return
    if run.mode is Mode.STREAM:
        for document in outcome.output:
            stream.document(document)
    elif run.diff:
        stream.raw(outcome.raw)
    elif run.mode is Mode.CHECK and outcome.status == "changed":
        stream.raw(f"{outcome.name}\n")
