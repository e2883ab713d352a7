"""What the commands print for people and for tools: stdout as they need it, rich or plain."""

from __future__ import annotations

import sys

import click


def verbose() -> bool:
    context = click.get_current_context()
    return bool((context.find_root().obj or {}).get("verbose"))


def rich_stdout(output_format: str) -> bool:
    """Rich only when asked, or on a terminal; plain rows when piped."""
    if output_format == "auto":
        return sys.stdout.isatty()
    return output_format == "rich"


def write(text: str) -> None:
    from cleaner.batch.writing import write_pieces

    write_pieces(sys.stdout, text)
    sys.stdout.flush()


def console():
    from rich.console import Console

    # On a terminal rich sizes itself and honours NO_COLOR; forced (--format rich) into a pipe
    # it still writes styles, for `less -R`.
    return Console(force_terminal=True, highlight=False, soft_wrap=False)


def layout_option(help_text: str):  # a click decorator
    """--format for commands whose output is for people on a terminal and for tools when piped."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["auto", "plain", "rich", "json"]),
        default="auto",
        show_default=True,
        help=help_text,
    )
