"""Exit codes, declared once: the CLI, its --help and the README all list these."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    WOULD_CHANGE = 1  # --check found files that cleaning would change
    USAGE = 2  # bad arguments or an invalid rule file
    INPUT_FAILED = 123  # some inputs could not be read or cleaned (or, with --strict, were suspicious)
    INTERRUPTED = 130  # Ctrl-C (SIGINT)
    TERMINATED = 143  # SIGTERM
    BROKEN_PIPE = 141  # the reader of stdout went away (`cleaner ... | head`)


EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 --check found files to change; 2 usage error or invalid rule file; "
    "123 some inputs could not be read or cleaned, or were suspicious under --strict (the rest were "
    "processed); 130 interrupted (Ctrl-C); "
    "141 output pipe closed; 143 terminated (SIGTERM)."
)
