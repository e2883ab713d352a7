"""The `cleaner` command's entry point: `cleaner --version` answers before any import.

Everything else goes to cleaner.cli.main, whose command-line library alone takes longer to import
than the interpreter takes to start.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from cleaner import __version__

        # The very line click's version option prints (see cleaner.cli.base).
        sys.stdout.write(f"cleaner, version {__version__}\n")
        return
    from cleaner.cli.main import main as cli_main

    cli_main()
