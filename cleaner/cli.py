"""The `cleaner` command: flags to Options, paths to sources, outcomes to exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from cleaner import __version__
from cleaner.cli_records import record_options
from cleaner.errors import RuleFileError
from cleaner.status import EXIT_CODES_HELP, ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def error(message: str) -> None:
    click.echo(f"cleaner: error: {message}", err=True)


def fail(message: str, code: ExitCode) -> NoReturn:
    error(message)
    sys.exit(code)


def _stdout_closed() -> NoReturn:
    # The reader went away (`cleaner ... | head`): stop quietly, and keep Python from
    # complaining again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(ExitCode.BROKEN_PIPE)


@contextmanager
def guarded(verbose: bool) -> Iterator[None]:
    """Turn a broken pipe and Ctrl-C into their exit codes, never into a traceback."""
    try:
        yield
    except BrokenPipeError:
        _stdout_closed()
    except KeyboardInterrupt:
        click.echo("cleaner: interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except RuleFileError as problem:
        if verbose:
            traceback.print_exc()
        fail(f"invalid rule file: {problem}", ExitCode.USAGE)
    except OSError as problem:
        # Writing the -o file or an output directory failed as a whole.
        where = f"{problem.filename}: " if problem.filename else ""
        fail(f"{where}{problem.strerror or problem}", ExitCode.INPUT_FAILED)


@click.group(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="cleaner")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback with internal errors.")
@click.pass_context
def cli(context: click.Context, verbose: bool) -> None:
    """Strip site chrome from scraped article text, with rules kept as data.

    \b
    Examples:
      cleaner clean page.txt                   clean one file to stdout
      cat page.txt | cleaner clean - > out.txt   clean stdin
      cleaner clean --format json page.txt     title, body and every removal as JSON
      cleaner rules test                       run every rule's own examples
    """
    context.obj = {"verbose": verbose}


def load_ruleset(
    rule_paths: tuple[str, ...], builtin: bool, sites: tuple[str, ...] = (), check_examples: bool = True
):
    """Load the rules the flags name; an unknown --site is a usage error."""
    from cleaner.rulefiles import load_rules

    ruleset = load_rules(rule_paths, builtin=builtin, check_examples=check_examples)
    unknown = sorted(set(sites) - set(ruleset.site_names()))
    if unknown:
        known = ", ".join(ruleset.site_names()) or "none"
        fail(f"unknown site pack {unknown[0]!r} (loaded: {known})", ExitCode.USAGE)
    return ruleset


rules_option = click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    metavar="PATH",
    help="A rule file or folder of them, added to the built-in rules (repeatable).",
)
no_builtin_option = click.option(
    "--no-builtin", is_flag=True, help="Do not load the built-in rules, only --rules."
)


def article_options(command: Any) -> Any:
    """--favor, --paragraphs and --markup: how the article is found and how the text is read."""
    command = click.option(
        "--markup",
        type=click.Choice(["auto", "plain", "markdown"]),
        default="auto",
        show_default=True,
        help="markdown: rules match the visible text and the marks stay.",
    )(command)
    command = click.option(
        "--paragraphs",
        type=click.Choice(["auto", "blank", "lines"]),
        default="auto",
        show_default=True,
        help="lines: each line is a paragraph (most extractors' text); blank: blank lines part them.",
    )(command)
    return click.option(
        "--favor",
        type=click.Choice(["precision", "balanced", "recall"]),
        default="balanced",
        show_default=True,
        help="How readily a line counts as article; recall keeps more when in doubt.",
    )(command)


def article_flags(flags: dict[str, Any]) -> dict[str, str]:
    """The Options fields of article_options."""
    return {"favor": flags["favor"], "paragraphs": flags["paragraphs"], "markup": flags["markup"]}


def _language_code(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    if value is None or value == "auto":
        return None
    code = value.lower()
    if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
        raise click.BadParameter(f"{value!r} is not a language code like de, zh or auto")
    return code


lang_option = click.option(
    "--lang",
    metavar="CODE",
    callback=_language_code,
    help="The documents' language (ISO 639-1: de, zh ...), for its language packs [default: auto, detected].",
)


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
@click.option(
    "--max-removed",
    type=click.FloatRange(0, 1),
    metavar="SHARE",
    default=0.6,
    show_default=True,
    help="Flag a document as suspicious when rules remove more than this share of its words.",
)
@click.option("--strict", is_flag=True, help="A suspicious document fails (exit 123) and is not written.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing on stderr but errors.")
@click.option("--stats-json", type=click.Path(dir_okay=False), help="Write the run's summary here as JSON.")
@click.option(
    "--window-bytes",
    type=click.IntRange(min=1),
    metavar="N",
    default=None,
    help="Clean files over 16 times this size in windows of it [default: 64 KiB].",
)
@rules_option
@no_builtin_option
@click.option("--site", "sites", multiple=True, metavar="NAME", help="Apply this site pack (repeatable).")
@click.option("--encoding", metavar="NAME", help="Decode inputs with this encoding.")
@lang_option
@click.option("--ascii-quotes", is_flag=True, help="Straighten typographic quotes.")
@click.option("--no-repair", is_flag=True, help="Skip the ftfy repair step.")
@article_options
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
        options = _options(flags)
        from cleaner.cli_records import clean_records, wants_records

        if wants_records(flags):
            sys.exit(clean_records(flags, options))
        request, run = _request(flags, options, verbose)
        code = _clean_batch(request, run, flags)
    sys.exit(code)


def _options(flags: dict[str, Any]) -> Any:
    from cleaner.pipeline import Options

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
    from cleaner.batch import Mode, Run
    from cleaner.planning import Request
    from cleaner.windows import WINDOW_BYTES

    if flags["check"] and flags["in_place"]:
        fail("--check and --in-place contradict each other; choose one", ExitCode.USAGE)
    if (flags["check"] or flags["in_place"] or flags["diff"]) and flags["output_format"] != "text":
        fail("--check, --diff and --in-place work on text; drop --format", ExitCode.USAGE)
    mode = (
        Mode.IN_PLACE if flags["in_place"] else Mode.CHECK if flags["check"] or flags["diff"] else Mode.STREAM
    )
    if mode is not Mode.STREAM and flags["output"]:
        fail("-o cannot be combined with --check, --diff or --in-place", ExitCode.USAGE)
    request = Request(
        paths=flags["paths"],
        output=flags["output"],
        output_format=flags["output_format"],
        mode=mode,
        glob=flags["glob"],
        excludes=flags["excludes"],
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
        window_bytes=flags["window_bytes"] or WINDOW_BYTES,
        verbose=verbose,
    )
    return request, run


def _clean_batch(request: Any, run: Any, flags: dict[str, Any]) -> ExitCode:
    """Plan, clean on the pool, write in input order, report; returns the exit code."""
    from dataclasses import replace

    from cleaner.batch import Mode, run_jobs
    from cleaner.planning import UsageError, plan
    from cleaner.report import Report
    from cleaner.sources import OutputStream

    try:
        planned = plan(request)
    except UsageError as problem:
        fail(str(problem), ExitCode.USAGE)
    json_array = request.output_format == "json" and (len(request.paths) > 1 or planned.walked)
    run = replace(run, mode=planned.mode, json_array=json_array)
    report = Report(quiet=flags["quiet"])
    for problem in planned.problems:
        report.failed_before_start(problem)
    workers = flags["workers"] or os.cpu_count() or 1
    stream_to = request.output if planned.mode is Mode.STREAM else None
    report.start(len(planned.jobs), sum(job.size for job in planned.jobs))
    try:
        with OutputStream(stream_to, request.output_format, json_array) as stream:
            for outcome in run_jobs(planned.jobs, run, workers):
                report.add(outcome)
                _emit(stream, outcome, run)
    finally:
        report.stop()
    report.summary()
    code = report.exit_code(check=flags["check"])
    if flags["stats_json"]:
        _write_stats(flags["stats_json"], report.as_dict(code))
    return code


def _emit(stream: Any, outcome: Any, run: Any) -> None:
    from cleaner.batch import Mode

    if outcome.status == "failed":
        return
    if run.mode is Mode.STREAM:
        stream.document(outcome.output, outcome.spool)
    elif run.diff:
        stream.raw(outcome.output)
    elif run.mode is Mode.CHECK and outcome.status == "changed":
        stream.raw(f"{outcome.name}\n")


def _write_stats(path: str, stats: dict[str, Any]) -> None:
    import json

    from cleaner.sources import write_atomic

    try:
        write_atomic(Path(path), (json.dumps(stats, indent=2) + "\n").encode("utf-8"))
    except OSError as problem:
        fail(f"{path}: cannot write: {problem.strerror or problem}", ExitCode.INPUT_FAILED)


@cli.group(context_settings=CONTEXT)
def rules() -> None:
    """Inspect and test rule files."""


@rules.command("test", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@no_builtin_option
@click.pass_context
def rules_test(context: click.Context, paths: tuple[str, ...], no_builtin: bool) -> None:
    """Run every example of every loaded rule (built-ins and PATHs); exit 1 on a failure."""
    import difflib

    from cleaner.examples import check_rule

    with guarded(context.obj["verbose"]):
        ruleset = load_ruleset(paths, not no_builtin, check_examples=False)
        total = failed = 0
        for rule in ruleset.all_rules:
            total += len(rule.examples)
            for failure in check_rule(rule, ruleset.settings):
                failed += 1
                number = rule.examples.index(failure.example) + 1
                click.echo(f"FAIL {rule.id} example {number} ({rule.path})")
                diff = difflib.unified_diff(
                    failure.expected.splitlines(keepends=True),
                    failure.actual.splitlines(keepends=True),
                    "expected",
                    "actual",
                )
                click.echo("".join(diff), nl=False)
        rule_count = len(ruleset.all_rules)
        click.echo(f"{total - failed} passed, {failed} failed ({rule_count} rules)")
    sys.exit(1 if failed else 0)


def main() -> None:
    cli(prog_name="cleaner")


# Commands kept in their own modules, registered on the groups above by importing them.
from cleaner import cli_dask, cli_review, cli_tools  # noqa: E402, F401
