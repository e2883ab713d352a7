"""Per-run counters, messages and progress on stderr, the closing summary and the exit code."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from cleaner.batch.process import Outcome
from cleaner.engine.tally import Tally
from cleaner.exit_codes import ExitCode


class Report:
    """Counts outcomes and says what happened: errors always, the rest unless --quiet.

    Progress and the summary table need a terminal on stderr; piped or redirected, stderr
    gets only the one-line messages.
    """

    def __init__(self, quiet: bool = False, interactive: bool | None = None) -> None:
        self.quiet = quiet
        self.interactive = sys.stderr.isatty() if interactive is None else interactive
        self.counts = Tally()
        self.started = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    # Messages

    def error(self, message: str) -> None:
        self._echo(f"cleaner: error: {message}")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._echo(f"cleaner: warning: {message}")

    def _echo(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    # Counting

    def failed_before_start(self, message: str) -> None:
        """An input that never became a job (a missing path, an unreadable directory)."""
        self.counts.failed += 1
        self.error(message)

    def add(self, outcome: Outcome) -> None:
        for message in outcome.errors:
            if "\n" in message:  # a traceback, with -v
                self._echo(message)
            else:
                self.error(message)
        for notice in outcome.warnings:
            self.warning(str(notice))
        self.counts.add(outcome.tally())
        if self._progress is not None:
            self._progress.update(self._task, advance=outcome.size, files=self.counts.documents)

    def add_counts(self, counts: Tally, messages: list[tuple[bool, str]]) -> None:
        """Many outcomes at once (a chunk of records): their counts, and their messages in order."""
        for is_error, message in messages:
            if not is_error:
                self.warning(message)
            elif "\n" in message:
                self._echo(message)
            else:
                self.error(message)
        self.counts.add(counts)
        if self._progress is not None:
            self._progress.update(self._task, files=self.counts.documents)

    def exit_code(self, check: bool) -> ExitCode:
        if self.counts.failed:
            return ExitCode.INPUT_FAILED
        if check and self.counts.changed:
            return ExitCode.WOULD_CHANGE
        return ExitCode.OK

    # Progress and summary (terminal only)

    def start(self, files: int, total_bytes: int) -> None:
        if self.quiet or not self.interactive or files < 2:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            TextColumn("{task.fields[files]}/{task.fields[total_files]} files"),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,  # stdout carries the cleaned text, never the terminal's lines
            redirect_stderr=False,
        )
        self._task = self._progress.add_task("clean", total=total_bytes or None, files=0, total_files=files)
        self._progress.start()

    def start_records(self, files: int, total_bytes: int | None) -> None:
        """Progress for records: the input's bytes on disk read so far, and the records done."""
        if self.quiet or not self.interactive:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("cleaning"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[files]} records"),
            TextColumn("file {task.fields[file]}/{task.fields[total_files]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            redirect_stdout=False,  # stdout carries the records, never the terminal's lines
            redirect_stderr=False,
        )
        self._task = self._progress.add_task(
            "records", total=total_bytes or None, files=0, file=0, total_files=files
        )
        self._progress.start()

    def records_read(self, file: int, done_bytes: int) -> None:
        """Reading has come to `done_bytes` of the inputs (on disk), in the file numbered `file`."""
        if self._progress is not None:
            self._progress.update(self._task, completed=done_bytes, file=file)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def summary(self) -> None:
        self.stop()
        if self.quiet or not self.interactive:
            return
        from rich.console import Console
        from rich.table import Table

        counts = self.counts
        table = Table(title="cleaner summary", show_header=False, title_justify="left")
        table.add_column("what")
        table.add_column("count", justify="right")
        rows = [
            ("files cleaned (changed)", counts.changed),
            ("files unchanged", counts.unchanged),
            ("files failed", counts.failed),
            ("files suspicious (--max-removed)", counts.suspicious),
            ("lines removed", counts.removed_lines),
            ("lines repaired", counts.repaired_lines),
        ]
        for label, value in rows:
            table.add_row(label, str(value))
        for kind, value in sorted(counts.by_kind.items()):
            table.add_row(f"  removed as {kind}", str(value))
        for rule, value in sorted(counts.by_rule.items()):
            table.add_row(f"  removed by {rule}", str(value))
        seconds = time.monotonic() - self.started
        table.add_row("seconds", f"{seconds:.2f}")
        Console(stderr=True).print(table)

    def as_dict(self, code: int, unit: str = "files") -> dict[str, Any]:
        """The summary for scripts (--stats-json): the Tally's schema, with time and exit code."""
        return {
            **self.counts.as_dict(unit),
            "seconds": round(time.monotonic() - self.started, 3),
            "exit_code": int(code),
        }
