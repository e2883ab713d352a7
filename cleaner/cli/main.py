"""The whole command line: every command module, imported here so that its commands register on
the groups of cleaner.cli.base, and `main`, the console script's entry point."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading

import click

from cleaner.cli import clean, cluster, explain, review, rules_list, rules_test, suggest  # noqa: F401
from cleaner.cli.base import _on_sigterm, cli
from cleaner.exit_codes import ExitCode

__all__ = ["cli", "main"]


def main() -> None:
    # A signal before a command's own handling starts (while the rules load, say) still
    # ends the run with its exit code, quietly.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli(prog_name="cleaner")
    except KeyboardInterrupt as stop:
        from cleaner.batch.process import Terminated

        terminated = isinstance(stop, Terminated)
        with contextlib.suppress(Exception):
            click.echo("cleaner: terminated" if terminated else "cleaner: interrupted", err=True)
        sys.exit(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
