"""`cleaner rules suggest`: draft a rule file from a batch of one site's pages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cleaner.cli.base import (
    CONTEXT,
    check_encoding,
    encoding_option,
    fail,
    guarded,
    load_ruleset,
    no_builtin_option,
    rules,
    rules_option,
)
from cleaner.cli.output import verbose, write
from cleaner.errors import CleanerError, named
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode

if TYPE_CHECKING:
    from cleaner.engine.ruleset import RuleSet
    from cleaner.rulebook.suggest import SuggestOptions


@rules.command("suggest", context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, metavar="DIR|FILE...")
@click.option("--glob", "pattern", default="*.txt", show_default=True, help="Files to read in a DIR.")
@click.option(
    "--min-docs", type=click.IntRange(min=2), default=3, show_default=True, help="Documents a line recurs in."
)
@click.option(
    "--min-share",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.5,
    show_default=True,
    help="Share of the documents a line recurs in.",
)
@click.option(
    "--max-words",
    type=click.IntRange(min=1),
    default=12,
    show_default=True,
    help="Longer lines must also sit outside the article body.",
)
@click.option("--prefix", metavar="NAME", help="Start rule ids with this (default: the folder's name).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the rule file here.")
@rules_option
@no_builtin_option
@encoding_option
@click.option("--text-field", default="text", show_default=True, help="Records: the field holding the page.")
@click.option(
    "--url-field", metavar="NAME", help="Records: group the pages by this URL's host, one pack each (-o DIR)."
)
def rules_suggest(
    paths: tuple[str, ...],
    pattern: str,
    min_docs: int,
    min_share: float,
    max_words: int,
    prefix: str | None,
    output: str | None,
    rule_paths: tuple[str, ...],
    no_builtin: bool,
    encoding: str | None,
    text_field: str,
    url_field: str | None,
) -> None:
    """Propose a rule file for the chrome that recurs across a batch of one site's pages.

    Lines already removed by the loaded rules are not proposed (--no-builtin: none are loaded).
    Each rule carries its evidence in a comment and examples from the batch. Review the file,
    then run `cleaner rules test FILE`; it is never applied on its own.

    \b
    Examples:
      cleaner rules suggest pages/ -o my-site.toml
      cleaner rules suggest --no-builtin --min-docs 5 --min-share 0.3 pages/
      cleaner rules suggest crawl.jsonl.gz --url-field url -o packs/   one pack per host
    """
    from cleaner.records.formats import format_of
    from cleaner.rulebook.suggest import SuggestOptions, kebab, suggest

    with guarded(verbose()):
        check_encoding(encoding)
        ruleset = load_ruleset(rule_paths, not no_builtin)
        if url_field is not None or any(format_of(path) for path in paths):
            options = SuggestOptions(min_docs, min_share, max_words, prefix or "site")
            sys.exit(_suggest_records(paths, ruleset, options, text_field, url_field, output, prefix))
        files = _batch_files(paths, pattern)
        documents, failed = _read_batch(files, encoding)
        if len(documents) < 2:
            fail(f"need at least 2 readable documents, found {len(documents)}", ExitCode.USAGE)
        name = prefix or kebab(Path(paths[0]).resolve().name if Path(paths[0]).is_dir() else "site")
        options = SuggestOptions(min_docs, min_share, max_words, name or "site")
        suggestion = suggest(documents, ruleset, options)
        _emit(suggestion, paths, output)
        if sys.stderr.isatty():
            click.echo(f"{len(suggestion.rules)} rules from {suggestion.documents} documents", err=True)
    sys.exit(ExitCode.INPUT_FAILED if failed else ExitCode.OK)


def _emit(suggestion: Any, paths: tuple[str, ...], output: str | None) -> None:
    """Warn of the rules left out, and write the proposed pack to stdout or `output`."""
    for reason in suggestion.dropped:
        click.echo(f"cleaner: warning: rule not proposed: {reason}", err=True)
    text = suggestion.toml(", ".join(paths))
    if output is None:
        write(text)
    else:
        _write_file(output, text)


def _suggest_records(
    paths: tuple[str, ...],
    ruleset: RuleSet,
    options: SuggestOptions,
    text_field: str,
    url_field: str | None,
    output: str | None,
    prefix: str | None,
) -> ExitCode:
    """Records in, one proposed pack (or one per host, with --url-field) out."""
    from dataclasses import replace

    from cleaner.records.documents import record_documents
    from cleaner.records.formats import format_of
    from cleaner.rulebook.suggest import kebab, suggest

    texts = [path for path in paths if format_of(path) is None]
    if texts:
        fail(f"{texts[0]}: not a file of records; run records and text files apart", ExitCode.USAGE)
    if url_field is not None and output is None:
        fail("--url-field writes one file per host: give -o DIR", ExitCode.USAGE)
    groups, errors = record_documents(paths, text_field, url_field)
    for message in errors:
        click.echo(f"cleaner: error: {message}", err=True)
    if url_field is None:
        documents = groups.get("", [])
        if len(documents) < 2:
            fail(f"need at least 2 readable documents, found {len(documents)}", ExitCode.USAGE)
        suggestion = suggest(documents, ruleset, options)
        _emit(suggestion, paths, output)
        return ExitCode.INPUT_FAILED if errors else ExitCode.OK
    folder = Path(output or ".")
    if folder.exists() and not folder.is_dir():
        fail(f"{folder}: with --url-field, -o names a directory", ExitCode.USAGE)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for host in sorted(groups):
        documents = groups[host]
        if len(documents) < options.min_docs:
            click.echo(
                f"cleaner: warning: {host}: {len(documents)} pages, fewer than --min-docs; no pack", err=True
            )
            continue
        name = kebab(host) or "site"
        per_host = replace(options, prefix=f"{prefix}-{name}" if prefix else name)
        suggestion = suggest(documents, ruleset, per_host)
        for reason in suggestion.dropped:
            click.echo(f"cleaner: warning: {host}: rule not proposed: {reason}", err=True)
        _write_file(str(folder / f"{name}.toml"), suggestion.toml(f"{host} ({len(documents)} pages)"))
        written += 1
        if sys.stderr.isatty():
            click.echo(f"{host}: {len(suggestion.rules)} rules from {suggestion.documents} pages", err=True)
    if written == 0 and not errors:
        click.echo("cleaner: warning: no host had enough pages for a pack", err=True)
    return ExitCode.INPUT_FAILED if errors else ExitCode.OK


def _batch_files(paths: tuple[str, ...], pattern: str) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files += sorted(p for p in path.rglob(pattern) if p.is_file())
        else:
            files.append(path)
    return files


def _read_batch(files: list[Path], encoding: str | None) -> tuple[list[tuple[str, str]], int]:
    from cleaner.batch.sources import read_source
    from cleaner.text.decoding import decode_bytes

    documents, failed = [], 0
    for path in files:
        try:
            documents.append((str(path), decode_bytes(read_source(str(path)), str(path), encoding).text))
        except CleanerError as problem:
            failed += 1
            click.echo(f"cleaner: error: {named(str(path), str(problem))}", err=True)
    return documents, failed


def _write_file(output: str, text: str) -> None:
    from cleaner.batch.writing import write_output

    try:
        write_output(Path(output), text.encode("utf-8"))
    except CleanerError as problem:
        fail(str(problem), ExitCode.INPUT_FAILED)
