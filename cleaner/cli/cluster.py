"""`cleaner dask`: clean a corpus on a Dask cluster (needs the extra: pip install 'cleaner[dask]')."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cleaner.cli.base import (
    CONTEXT,
    article_flags,
    cleaning_options,
    cli,
    fail,
    guard_options,
)
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode


@click.command("dask", context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True, metavar="PATH...")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--jsonl", is_flag=True, help="Inputs are JSON Lines files of records, not text files.")
@click.option("--text-field", default="text", show_default=True, help="With --jsonl: the field to clean.")
@click.option("--id-field", default="id", show_default=True, help="With --jsonl: the field naming a record.")
@click.option("--output-field", metavar="NAME", help="With --jsonl: write the cleaned text here.")
@click.option("--meta-field", metavar="NAME", help="With --jsonl: add the record's facts here.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="For text files: write the article text, or the JSON object.",
)
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Files to take from folders.")
@click.option(
    "--exclude", "excludes", multiple=True, metavar="GLOB", help="Leave these out of a walk (repeatable)."
)
@click.option("--scheduler", metavar="ADDRESS", help="A running dask.distributed scheduler to use.")
@click.option(
    "-j",
    "--jobs",
    "--workers",
    "workers",
    type=click.IntRange(min=1),
    metavar="N",
    help="Local worker processes [default: all cores] (--workers: the old name).",
)
@guard_options
@cleaning_options
@click.pass_context
def dask_command(
    context: click.Context,
    inputs: tuple[str, ...],
    output: str,
    jsonl: bool,
    text_field: str,
    id_field: str,
    output_field: str | None,
    meta_field: str | None,
    output_format: str,
    pattern: str,
    excludes: tuple[str, ...],
    scheduler: str | None,
    workers: int | None,
    max_removed: float,
    strict: bool,
    rule_paths: tuple[str, ...],
    no_builtin: bool,
    sites: tuple[str, ...],
    encoding: str | None,
    lang: str | None,
    ascii_quotes: bool,
    no_repair: bool,
    **flags: str,
) -> None:
    """Clean a corpus of text files or JSON Lines records in parallel on Dask.

    Without --scheduler, a local cluster of worker processes runs the job. Outputs go under
    OUTPUT (text files keep their relative paths; JSON Lines come out as part-NNNNN.jsonl),
    with the counts in OUTPUT/cleaner-summary.json.

    \b
    Examples:
      cleaner dask pages/ -o cleaned/ -j 4
      cleaner dask --jsonl crawl-*.jsonl -o cleaned/ --scheduler tcp://host:8786
    """
    import logging
    import os

    try:
        from distributed import Client, LocalCluster

        from cleaner.batch.cluster import clean_corpus, text_jobs
    except ImportError:
        fail("Dask is not installed: pip install 'cleaner[dask]'", ExitCode.USAGE)
    from cleaner.batch.planning import UsageError
    from cleaner.cli.base import check_encoding, guarded, load_ruleset
    from cleaner.engine.pipeline import Options

    with guarded(context.obj["verbose"]):
        check_encoding(encoding)
        options = Options(
            rules=load_ruleset(rule_paths, not no_builtin, sites),
            sites=sites,
            ascii_quotes=ascii_quotes,
            repair=not no_repair,
            lang=lang,
            **article_flags(flags),
        )
        missing = [path for path in inputs if not Path(path).exists()]
        if missing:
            fail(f"{missing[0]}: no such file or directory", ExitCode.USAGE)
        planned = None
        if not jsonl:
            # Planned as `cleaner clean` plans, before a cluster starts: a clash is a usage error.
            try:
                planned = text_jobs(inputs, Path(output), pattern, output_format, excludes)
            except UsageError as refused:
                fail(str(refused), ExitCode.USAGE)
        if scheduler:
            client, cluster = Client(scheduler), None
        else:
            count = workers or os.cpu_count() or 1
            cluster = LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,  # a missed heartbeat is not an error of the run
            )
            client = Client(cluster)
        try:
            summary = clean_corpus(
                inputs,
                output,
                options,
                jsonl=jsonl,
                output_format=output_format,
                pattern=pattern,
                text_field=text_field,
                id_field=id_field,
                output_field=output_field,
                meta_field=meta_field,
                encoding=encoding,
                max_removed=max_removed,
                strict=strict,
                excludes=excludes,
                planned=planned,
            )
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    for message in summary["warnings"]:
        click.echo(f"cleaner: warning: {message}", err=True)
    for message in summary["errors"]:
        click.echo(f"cleaner: error: {message}", err=True)
    if sys.stderr.isatty():
        click.echo(
            f"cleaner: {summary['documents']['total'] - summary['documents']['failed']} cleaned, "
            f"{summary['documents']['failed']} failed, "
            f"{summary['removed_lines']} lines removed in {summary['seconds']:.1f} s",
            err=True,
        )
    sys.exit(ExitCode.INPUT_FAILED if summary["documents"]["failed"] else ExitCode.OK)


cli.add_command(dask_command)
