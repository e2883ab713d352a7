"""`cleaner report`: a review page of a batch's results, as one self-contained HTML file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cleaner.cli.base import CONTEXT, cli, fail, guarded
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode


@cli.command("report", context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="RESULTS.jsonl|DIR...")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The HTML file to write."
)
@click.pass_context
def report_command(context: click.Context, paths: tuple[str, ...], output: str) -> None:
    """Write one HTML page reviewing a batch: counts by rule and kind, removed shares, samples.

    RESULTS are what `cleaner clean --format jsonl` (or --format json) writes: JSON Lines
    files (.jsonl, .jsonl.gz, .jsonl.zst), JSON files, or folders of them. The page needs
    no network: inline CSS and SVG, no script.

    \b
    Examples:
      cleaner clean pages/ --format jsonl -o results.jsonl && cleaner report results.jsonl -o report.html
      cleaner clean pages/ -o cleaned/ --format json && cleaner report cleaned/ -o report.html
    """
    from cleaner.batch.review import build
    from cleaner.batch.writing import write_atomic
    from cleaner.errors import CleanerError

    with guarded(context.obj["verbose"]):
        try:
            page, errors = build(paths)
        except CleanerError as problem:
            fail(str(problem), ExitCode.INPUT_FAILED)
        write_atomic(Path(output), page.encode("utf-8"))
    for message in errors:
        click.echo(f"cleaner: error: {message}", err=True)
    sys.exit(ExitCode.INPUT_FAILED if errors else ExitCode.OK)
