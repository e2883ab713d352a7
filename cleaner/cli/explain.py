"""`cleaner explain`: every input line, kept or removed, with the rule that removed it."""

from __future__ import annotations

import json

import click

from cleaner.cli.base import (
    CONTEXT,
    article_flags,
    check_encoding,
    cleaning_options,
    cli,
    fail,
    guarded,
    limit_options,
    load_ruleset,
)
from cleaner.cli.output import console, layout_option, rich_stdout, verbose, write
from cleaner.errors import CleanerError, named
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode


@cli.command("explain", context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("path", default="-", metavar="[PATH|-]")
@layout_option("auto: rich on a terminal, plain rows when piped; json: one object.")
@cleaning_options
@limit_options
def explain_command(
    path: str,
    output_format: str,
    rule_paths: tuple[str, ...],
    no_builtin: bool,
    sites: tuple[str, ...],
    encoding: str | None,
    lang: str | None,
    ascii_quotes: bool,
    no_repair: bool,
    max_bytes: int,
    max_line_bytes: int,
    **flags: str,
) -> None:
    """Show every input line, kept or removed, with the rule that removed it.

    Plain rows (when piped) are tab-separated: LINE, STATUS (kept, removed, title or blank),
    RULE, KIND, TEXT as it came in. A repaired line is followed by a `repaired` row (RULE: the
    fixes; TEXT: the repaired line), a substituted one by a `substituted` row.

    \b
    Examples:
      cleaner explain page.txt                 colour on a terminal
      cleaner explain page.txt | grep removed   one row per removed line
      cleaner explain --format json page.txt
    """
    from dataclasses import replace

    from cleaner.batch.sources import Limits, display_name, read_source
    from cleaner.engine.explain import explain, render_rich, to_object, to_plain
    from cleaner.engine.pipeline import Options, clean_text
    from cleaner.text.decoding import decode_bytes

    with guarded(verbose()):
        check_encoding(encoding)
        ruleset = load_ruleset(rule_paths, not no_builtin, sites)
        name = display_name(path)
        options = Options(
            rules=ruleset,
            sites=sites,
            ascii_quotes=ascii_quotes,
            repair=not no_repair,
            **article_flags(flags),
            lang=lang,
        )
        try:
            decoded = decode_bytes(read_source(path, Limits(max_bytes, max_line_bytes)), name, encoding)
            result = clean_text(decoded.text, options)
        except CleanerError as problem:
            fail(named(name, str(problem)), ExitCode.INPUT_FAILED)
        result = replace(result, encoding=decoded.encoding, warnings=decoded.warnings + result.warnings)
        for warning in result.warnings:
            click.echo(f"cleaner: warning: {named(name, warning)}", err=True)
        explanation = explain(decoded.text, result)
        if output_format == "json":
            write(json.dumps(to_object(explanation, name), ensure_ascii=False, indent=2) + "\n")
        elif rich_stdout(output_format):
            render_rich(explanation, console(), name)
        else:
            write(to_plain(explanation))
