"""The `cleaner` command: flags to Options, paths to sources, outcomes to exit codes."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import click

from cleaner import __version__
from cleaner.choices import FAVORS, MARKUPS, PARAGRAPHS
from cleaner.cli_records import record_options
from cleaner.errors import CleanerError, RuleFileError
from cleaner.sources import shown
from cleaner.status import EXIT_CODES_HELP, ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def error(message: str) -> None:
    click.echo(f"cleaner: error: {message}", err=True)


def fail(message: str, code: ExitCode) -> NoReturn:
    error(message)
    leave(code)


def leave(code: int) -> NoReturn:
    """sys.exit, unless worker processes were stopped on the way out: then at once, since
    the pool's exit hook could wait for ever on a worker killed in the middle of a reply."""
    if "cleaner.batch" in sys.modules and sys.modules["cleaner.batch"].POOL_ABANDONED:
        _exit_now(code)
    sys.exit(code)


def _stdout_closed() -> NoReturn:
    # The reader went away (`cleaner ... | head`): stop quietly, and keep Python from
    # complaining again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    leave(ExitCode.BROKEN_PIPE)


def _exit_now(code: int) -> NoReturn:
    """Leave at once: after worker processes were stopped, nothing is left to wait for, and
    the pool's exit hooks could block on a worker that was killed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _on_sigterm(signum: int, frame: object) -> None:
    from cleaner.batch import Terminated

    raise Terminated


@contextmanager
def guarded(verbose: bool) -> Iterator[None]:
    """Turn a broken pipe, Ctrl-C and SIGTERM into their exit codes, never into a traceback."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except BrokenPipeError:
        _stdout_closed()
    except KeyboardInterrupt as stop:
        from cleaner import batch

        terminated = isinstance(stop, batch.Terminated)
        with contextlib.suppress(Exception):
            click.echo("cleaner: terminated" if terminated else "cleaner: interrupted", err=True)
        leave(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
    except RuleFileError as problem:
        if verbose:
            traceback.print_exc()
        fail(f"invalid rule file: {problem}", ExitCode.USAGE)
    except CleanerError as problem:
        # Writing the -o file or the summary failed as a whole (an OutputError names it).
        fail(str(problem), ExitCode.INPUT_FAILED)
    except OSError as problem:
        where = f"{shown(problem.filename)}: " if problem.filename else ""
        fail(f"{where}{problem.strerror or problem}", ExitCode.INPUT_FAILED)
    except RecursionError:
        fail("input nested too deeply", ExitCode.INPUT_FAILED)
    except MemoryError:
        fail("out of memory (lower --max-bytes)", ExitCode.INPUT_FAILED)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def utf8_streams() -> None:
    """Stdout carries UTF-8 whatever the locale (output files are UTF-8 too), and stderr
    never fails on a character its encoding lacks (PYTHONIOENCODING=ascii)."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        with contextlib.suppress(Exception):
            if stream is sys.stdout:
                reconfigure(encoding="utf-8", errors=errors)
            else:
                reconfigure(errors=errors)


def check_encoding(name: str | None) -> None:
    """--encoding must name a text codec Python has: a usage error, before any file is read."""
    if name is None:
        return
    import codecs

    try:
        info = codecs.lookup(name)
    except LookupError:
        fail(f"--encoding {name!r}: unknown encoding", ExitCode.USAGE)
    if not getattr(info, "_is_text_encoding", True):
        fail(f"--encoding {name!r}: not a text encoding", ExitCode.USAGE)


class ByteSize(click.ParamType):
    """A number of bytes: 5000000, 64K, 64M or 1G (powers of 1024)."""

    name = "BYTES"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("IB").removesuffix("B")
        unit = text[-1:] if text[-1:] in self._UNITS else ""
        number = text[: len(text) - len(unit)]
        if not number.isdigit() or int(number) < 1:
            self.fail(f"{value!r} is not a size in bytes (such as 5000000, 64K, 64M or 1G)", param, ctx)
        return int(number) * self._UNITS[unit]


def limit_options(function: Any) -> Any:
    function = click.option(
        "--max-line-bytes",
        type=ByteSize(),
        default="4M",
        show_default=True,
        help="Refuse an input with a longer line (bounds the memory one line can take).",
    )(function)
    return click.option(
        "--max-bytes",
        type=ByteSize(),
        default="64M",
        show_default=True,
        help="Refuse a larger input; memory stays within a small multiple of this.",
    )(function)


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
    utf8_streams()


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
        type=click.Choice(MARKUPS),
        default="auto",
        show_default=True,
        help="markdown: rules match the visible text and the marks stay.",
    )(command)
    command = click.option(
        "--paragraphs",
        type=click.Choice(PARAGRAPHS),
        default="auto",
        show_default=True,
        help="lines: each line is a paragraph (most extractors' text); blank: blank lines part them.",
    )(command)
    return click.option(
        "--favor",
        type=click.Choice(FAVORS),
        default="balanced",
        show_default=True,
        help="How readily a line counts as article; recall keeps more when in doubt.",
    )(command)


def article_flags(flags: dict[str, Any]) -> dict[str, Any]:
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
@limit_options
@click.option(
    "--split-on",
    metavar="REGEX",
    help="A file holds many documents: a line this pattern matches in full separates two.",
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
        check_encoding(flags["encoding"])
        _check_split_on(flags["split_on"])
        options = _options(flags)
        from cleaner.cli_records import clean_records, wants_records

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
    from cleaner.sources import Limits

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

    from cleaner.batch import Mode, run_jobs
    from cleaner.planning import UsageError, plan
    from cleaner.report import Report
    from cleaner.sources import OutputStream

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
        _write_stats(flags["stats_json"], report.as_dict(code))
    return code


def _emit(stream: Any, outcome: Any, run: Any) -> None:
    from cleaner.batch import Mode

    if outcome.status == "failed":
        return
    if run.mode is Mode.STREAM:
        for document in outcome.output:
            stream.document(document)
    elif run.diff:
        stream.raw(outcome.raw)
    elif run.mode is Mode.CHECK and outcome.status == "changed":
        stream.raw(f"{outcome.name}\n")


def _write_stats(path: str, stats: dict[str, Any]) -> None:
    import json

    from cleaner.sources import write_output

    try:
        write_output(Path(path), (json.dumps(stats, indent=2) + "\n").encode("utf-8"))
    except CleanerError as problem:
        fail(str(problem), ExitCode.INPUT_FAILED)


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
    from cleaner.rulefiles import settings_at_fault

    with guarded(context.obj["verbose"]):
        ruleset = load_ruleset(paths, not no_builtin, check_examples=False)
        total = failed = 0
        for rule in ruleset.all_rules:
            total += len(rule.examples)
            failures = check_rule(rule, ruleset.settings)
            # Another file's [settings] may be what makes a sound rule fail: say so.
            blame = settings_at_fault(ruleset, rule) if failures else None
            for failure in failures:
                failed += 1
                number = rule.examples.index(failure.example) + 1
                cause = f"; it fails with {blame}" if blame else ""
                click.echo(f"FAIL {rule.id} example {number} ({rule.path}{cause})")
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
    # A signal before a command's own handling starts (while the rules load, say) still
    # ends the run with its exit code, quietly.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli(prog_name="cleaner")
    except KeyboardInterrupt as stop:
        from cleaner.batch import Terminated

        terminated = isinstance(stop, Terminated)
        with contextlib.suppress(Exception):
            click.echo("cleaner: terminated" if terminated else "cleaner: interrupted", err=True)
        sys.exit(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)


# Commands kept in their own modules, registered on the groups above by importing them.
from cleaner import cli_dask, cli_review, cli_tools  # noqa: E402, F401
