"""The `cleaner` command: flags to Options, paths to sources, outcomes to exit codes."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from cleaner import __version__
from cleaner.errors import CleanerError, RuleFileError
from cleaner.status import EXIT_CODES_HELP, ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def error(message: str) -> None:
    click.echo(f"cleaner: error: {message}", err=True)


def warn(message: str) -> None:
    click.echo(f"cleaner: warning: {message}", err=True)


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
def _guarded(verbose: bool) -> Iterator[None]:
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


def _load_ruleset(rule_paths: tuple[str, ...], builtin: bool, check_examples: bool = True):
    from cleaner.rulefiles import load_rules

    return load_rules(rule_paths, builtin=builtin, check_examples=check_examples)


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


@cli.command(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, metavar="[PATH|-]...")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here, not stdout.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: title and body; json: one object per document; jsonl: one per line.",
)
@rules_option
@no_builtin_option
@click.option("--site", "sites", multiple=True, metavar="NAME", help="Apply this site pack (repeatable).")
@click.option("--encoding", metavar="NAME", help="Decode inputs with this encoding.")
@click.option("--ascii-quotes", is_flag=True, help="Straighten typographic quotes.")
@click.option("--no-repair", is_flag=True, help="Skip the ftfy repair step.")
@click.pass_context
def clean(
    context: click.Context,
    paths: tuple[str, ...],
    output: str | None,
    output_format: str,
    rule_paths: tuple[str, ...],
    no_builtin: bool,
    sites: tuple[str, ...],
    encoding: str | None,
    ascii_quotes: bool,
    no_repair: bool,
) -> None:
    """Clean scraped article text files (or stdin) and write the article.

    \b
    Examples:
      cleaner clean page.txt
      cleaner clean - < page.txt > clean.txt
      cleaner clean --format jsonl a.txt b.txt > cleaned.jsonl
      cleaner clean --rules my-site.toml --site my-site page.txt
    """
    from cleaner.pipeline import Options

    verbose = context.obj["verbose"]
    with _guarded(verbose):
        ruleset = _load_ruleset(rule_paths, not no_builtin)
        unknown = sorted(set(sites) - set(ruleset.site_names()))
        if unknown:
            known = ", ".join(ruleset.site_names()) or "none"
            fail(f"unknown site pack {unknown[0]!r} (loaded: {known})", ExitCode.USAGE)
        options = Options(rules=ruleset, sites=sites, ascii_quotes=ascii_quotes, repair=not no_repair)
        inputs = paths or ("-",)
        chunks, failed = _clean_all(inputs, options, output_format, encoding, verbose)
        _write_output(chunks, output, output_format, len(inputs))
    sys.exit(ExitCode.INPUT_FAILED if failed else ExitCode.OK)


def _clean_all(
    inputs: tuple[str, ...], options: object, output_format: str, encoding: str | None, verbose: bool
) -> tuple[list[str], int]:
    from cleaner.pipeline import clean_bytes
    from cleaner.rendering import RENDERERS, to_object
    from cleaner.sources import display_name, read_source

    chunks: list[str] = []
    failed = 0
    for path in inputs:
        name = display_name(path)
        try:
            result = clean_bytes(read_source(path), options, name, encoding)  # type: ignore[arg-type]
        except CleanerError as problem:
            failed += 1
            error(str(problem) if str(problem).startswith(name) else f"{name}: {problem}")
            continue
        except RecursionError as problem:  # pragma: no cover - defensive
            failed += 1
            _internal_error(name, problem, verbose)
            continue
        for warning in result.warnings:
            warn(warning if warning.startswith(name) else f"{name}: {warning}")
        if output_format == "json" and len(inputs) > 1:
            chunks.append(to_object(result, name))  # type: ignore[arg-type]
        else:
            chunks.append(RENDERERS[output_format](result, name))
    return chunks, failed


def _internal_error(name: str, problem: BaseException, verbose: bool) -> None:
    if verbose:
        traceback.print_exception(problem)
    error(f"{name}: internal error: {problem!r} (run with -v for a traceback)")


def _write_output(chunks: list, output: str | None, output_format: str, count: int) -> None:
    import json

    if output_format == "json" and count > 1:
        text = json.dumps(chunks, ensure_ascii=False, indent=2) + "\n"
    elif output_format == "text":
        # Several documents on one stream: a blank line between them.
        text = "\n".join(chunks)
    else:
        text = "".join(chunks)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from cleaner.sources import write_atomic

    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as problem:
        fail(f"{output}: cannot write: {problem.strerror or problem}", ExitCode.INPUT_FAILED)


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

    with _guarded(context.obj["verbose"]):
        ruleset = _load_ruleset(paths, not no_builtin, check_examples=False)
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


Main = Callable[[], None]


def main() -> None:
    cli(prog_name="cleaner")


# Commands kept in their own modules, registered on the groups above by importing them.
from cleaner import cli_dask, cli_tools  # noqa: E402, F401
