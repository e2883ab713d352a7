"""The one error hierarchy: every failure the CLI reports as a one-line message."""

from __future__ import annotations

from typing import NamedTuple


def named(source: str, message: str) -> str:
    """`message` as one line that names `source` once, however it came.

    >>> named("page.txt", "empty file"), named("page.txt", "page.txt: empty file")
    ('page.txt: empty file', 'page.txt: empty file')
    """
    return message if message.startswith(f"{source}:") else f"{source}: {message}"


class Notice(NamedTuple):
    """A warning about one input, as a value: where it is from and what happened. Printed, it is
    one line that names the source once.

    >>> str(Notice("page.txt", "empty file; nothing to clean"))
    'page.txt: empty file; nothing to clean'
    """

    source: str
    message: str

    def __str__(self) -> str:
        return named(self.source, self.message)


class CleanerError(Exception):
    """Base class: an error with a message fit for one line on stderr."""


class InputError(CleanerError):
    """An input that cannot be read, decoded or cleaned."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class RuleFileError(CleanerError):
    """A rule file that is refused at load time (bad key, kind, pattern or example)."""

    def __init__(self, path: str, rule_id: str | None, reason: str) -> None:
        where = f"{path}: rule {rule_id!r}" if rule_id else path
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.rule_id = rule_id
        self.reason = reason


class RuleTimeoutError(CleanerError):
    """A rule pattern that backtracked past its time limit on some line."""

    def __init__(self, rule_id: str, path: str, seconds: float) -> None:
        super().__init__(
            f"rule {rule_id!r} ({path}) gave up after {seconds:g}s on one line: "
            "its pattern backtracks catastrophically"
        )
        self.rule_id = rule_id
        self.path = path


class OutputError(CleanerError):
    """An output that cannot be written; the message names the output, not a temporary file."""

    def __init__(self, target: str, reason: str) -> None:
        super().__init__(f"{target}: {reason}")
        self.target = target
        self.reason = reason


class RecordFileError(CleanerError):
    """A file of records that cannot be read (on), or written; the message names it."""


class UnknownSiteError(CleanerError):
    """A --site name that no site pack has."""


class UsageError(CleanerError):
    """Arguments that cannot work together; exit code 2, before anything is cleaned."""
