"""`cleaner rules list`: the loaded rules, as a table or rows."""

from __future__ import annotations

import json

import click

from cleaner.cli.base import (
    CONTEXT,
    fail,
    guarded,
    load_ruleset,
    no_builtin_option,
    rules,
    rules_option,
    site_option,
)
from cleaner.cli.output import console, layout_option, rich_stdout, verbose, write
from cleaner.exit_codes import ExitCode


@rules.command("list", context_settings=CONTEXT)
@rules_option
@no_builtin_option
@click.option(
    "--pack", "packs", multiple=True, metavar="NAME", help="Only this pack: generic, a site or lang:CODE."
)
@site_option
@layout_option("auto: a table on a terminal, tab-separated rows when piped.")
def rules_list(
    rule_paths: tuple[str, ...],
    no_builtin: bool,
    packs: tuple[str, ...],
    sites: tuple[str, ...],
    output_format: str,
) -> None:
    """List the loaded rules: id, kind, type, pack, file, description and examples.

    Plain rows (when piped) are tab-separated in that order, without a header.

    \b
    Examples:
      cleaner rules list
      cleaner rules list --pack generic
      cleaner rules list --rules my-site.toml --format json
    """
    from cleaner.rulebook.catalog import pack_names, rule_rows
    from cleaner.rulebook.rulefiles import builtin_rules_dir

    with guarded(verbose()):
        ruleset = load_ruleset(rule_paths, not no_builtin, sites)
        wanted = packs + sites
        unknown = sorted(set(wanted) - set(pack_names(ruleset)))
        if unknown:
            fail(f"unknown pack {unknown[0]!r} (loaded: {', '.join(pack_names(ruleset))})", ExitCode.USAGE)
        rows = rule_rows(ruleset, wanted, builtin_rules_dir())
        if output_format == "json":
            write(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2) + "\n")
        elif rich_stdout(output_format):
            _rules_table(rows)
        else:
            fields = ("id", "kind", "type", "pack", "file", "description", "examples")
            write("".join("\t".join(str(row.as_dict()[f]) for f in fields) + "\n" for row in rows))


def _rules_table(rows: list) -> None:
    from rich.table import Table
    from rich.text import Text

    # The description goes under the id, so that the table still reads in 80 columns.
    table = Table(title=f"{len(rows)} rules", title_justify="left", expand=True)
    table.add_column("rule", ratio=3, overflow="fold")
    table.add_column("kind", style="cyan", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("pack", style="green", no_wrap=True)
    table.add_column("file", style="dim", ratio=1, overflow="fold")
    table.add_column("ex.", justify="right", no_wrap=True)
    for row in rows:
        rule = Text.assemble((row.id, "bold"), "\n", (row.description, "dim"))
        table.add_row(rule, row.kind, row.type, row.pack, row.file, str(row.examples))
    console().print(table)
