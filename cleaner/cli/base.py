"""What every `cleaner` command shares: the command groups, the common options, and turning
signals, a closed pipe and errors into one line and an exit code.

The commands themselves live in one module each (clean.py, explain.py, rules_list.py,
rules_test.py, suggest.py, review.py, cluster.py); each registers on the groups defined here,
and main.py imports them all.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import click

from cleaner import __version__
from cleaner.batch.sources import shown
from cleaner.choices import FAVORS, MARKUPS, PARAGRAPHS
from cleaner.errors import CleanerError, RuleFileError
from cleaner.exit_codes import EXIT_CODES_HELP, ExitCode

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def error(message: str) -> None:
    click.echo(f"cleaner: error: {message}", err=True)


def fail(message: str, code: ExitCode) -> NoReturn:
    error(message)
    leave(code)


def leave(code: int) -> NoReturn:
    """sys.exit, unless worker processes were stopped on the way out: then at once, since
    the pool's exit hook could wait for ever on a worker killed in the middle of a reply."""
    if "cleaner.batch.pool" in sys.modules and sys.modules["cleaner.batch.pool"].POOL_ABANDONED:
        _exit_now(code)
    sys.exit(code)


def _stdout_closed() -> NoReturn:
    # The reader went away (`cleaner ... | head`): stop quietly, and keep Python from
    # complaining again when it flushes stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    leave(ExitCode.BROKEN_PIPE)


def _exit_now(code: int) -> NoReturn:
    """Leave at once: after worker processes were stopped, nothing is left to wait for, and
    the pool's exit hooks could block on a worker that was killed."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _on_sigterm(signum: int, frame: object) -> None:
    from cleaner.batch.process import Terminated

    raise Terminated


@contextmanager
def guarded(verbose: bool) -> Iterator[None]:
    """Turn a broken pipe, Ctrl-C and SIGTERM into their exit codes, never into a traceback."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except BrokenPipeError:
        _stdout_closed()
    except KeyboardInterrupt as stop:
        from cleaner.batch import process

        terminated = isinstance(stop, process.Terminated)
        with contextlib.suppress(Exception):
            click.echo("cleaner: terminated" if terminated else "cleaner: interrupted", err=True)
        leave(ExitCode.TERMINATED if terminated else ExitCode.INTERRUPTED)
    except RuleFileError as problem:
        if verbose:
            traceback.print_exc()
        fail(f"invalid rule file: {problem}", ExitCode.USAGE)
    except CleanerError as problem:
        # Writing the -o file or the summary failed as a whole (an OutputError names it).
        fail(str(problem), ExitCode.INPUT_FAILED)
    except OSError as problem:
        where = f"{shown(problem.filename)}: " if problem.filename else ""
        fail(f"{where}{problem.strerror or problem}", ExitCode.INPUT_FAILED)
    except RecursionError:
        fail("input nested too deeply", ExitCode.INPUT_FAILED)
    except MemoryError:
        fail("out of memory (lower --max-bytes)", ExitCode.INPUT_FAILED)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def utf8_streams() -> None:
    """Stdout carries UTF-8 whatever the locale (output files are UTF-8 too), and stderr
    never fails on a character its encoding lacks (PYTHONIOENCODING=ascii)."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        with contextlib.suppress(Exception):
            if stream is sys.stdout:
                reconfigure(encoding="utf-8", errors=errors)
            else:
                reconfigure(errors=errors)


def check_encoding(name: str | None) -> None:
    """--encoding must name a text codec Python has: a usage error, before any file is read."""
    if name is None:
        return
    import codecs

    try:
        info = codecs.lookup(name)
    except LookupError:
        fail(f"--encoding {name!r}: unknown encoding", ExitCode.USAGE)
    if not getattr(info, "_is_text_encoding", True):
        fail(f"--encoding {name!r}: not a text encoding", ExitCode.USAGE)


class ByteSize(click.ParamType):
    """A number of bytes: 5000000, 64K, 64M or 1G (powers of 1024)."""

    name = "BYTES"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("IB").removesuffix("B")
        unit = text[-1:] if text[-1:] in self._UNITS else ""
        number = text[: len(text) - len(unit)]
        if not number.isdigit() or int(number) < 1:
            self.fail(f"{value!r} is not a size in bytes (such as 5000000, 64K, 64M or 1G)", param, ctx)
        return int(number) * self._UNITS[unit]


def limit_options(function: Any) -> Any:
    function = click.option(
        "--max-line-bytes",
        type=ByteSize(),
        default="4M",
        show_default=True,
        help="Refuse an input with a longer line (bounds the memory one line can take).",
    )(function)
    return click.option(
        "--max-bytes",
        type=ByteSize(),
        default="64M",
        show_default=True,
        help="Refuse a larger input; memory stays within a small multiple of this.",
    )(function)


def guard_options(function: Any) -> Any:
    """--max-removed and --strict: the over-removal guard, the same for clean and dask."""
    function = click.option(
        "--strict", is_flag=True, help="A suspicious document fails (exit 123) and is not written."
    )(function)
    return click.option(
        "--max-removed",
        type=click.FloatRange(0, 1),
        metavar="SHARE",
        default=0.6,
        show_default=True,
        help="Flag a document as suspicious when rules remove more than this share of its words.",
    )(function)


@click.group(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, "-V", "--version", prog_name="cleaner")
@click.option("-v", "--verbose", is_flag=True, help="Show a traceback with internal errors.")
@click.pass_context
def cli(context: click.Context, verbose: bool) -> None:
    """Strip site chrome from scraped article text, with rules kept as data.

    \b
    Examples:
      cleaner clean page.txt                   clean one file to stdout
      cat page.txt | cleaner clean - > out.txt   clean stdin
      cleaner clean --format json page.txt     title, body and every removal as JSON
      cleaner rules test                       run every rule's own examples
    """
    context.obj = {"verbose": verbose}
    utf8_streams()


def load_ruleset(
    rule_paths: tuple[str, ...], builtin: bool, sites: tuple[str, ...] = (), check_examples: bool = True
):
    """Load the rules the flags name; an unknown --site is a usage error."""
    from cleaner.rulebook.rulefiles import load_rules

    ruleset = load_rules(rule_paths, builtin=builtin, check_examples=check_examples)
    unknown = sorted(set(sites) - set(ruleset.site_names()))
    if unknown:
        known = ", ".join(ruleset.site_names()) or "none"
        fail(f"unknown site pack {unknown[0]!r} (loaded: {known})", ExitCode.USAGE)
    return ruleset


rules_option = click.option(
    "--rules",
    "rule_paths",
    multiple=True,
    metavar="PATH",
    help="A rule file or folder of them, added to the built-in rules (repeatable).",
)
no_builtin_option = click.option(
    "--no-builtin", is_flag=True, help="Do not load the built-in rules, only --rules."
)


def article_options(command: Any) -> Any:
    """--favor, --paragraphs and --markup: how the article is found and how the text is read."""
    command = click.option(
        "--markup",
        type=click.Choice(MARKUPS),
        default="auto",
        show_default=True,
        help="markdown: rules match the visible text and the marks stay.",
    )(command)
    command = click.option(
        "--paragraphs",
        type=click.Choice(PARAGRAPHS),
        default="auto",
        show_default=True,
        help="lines: each line is a paragraph (most extractors' text); blank: blank lines part them.",
    )(command)
    return click.option(
        "--favor",
        type=click.Choice(FAVORS),
        default="balanced",
        show_default=True,
        help="How readily a line counts as article; recall keeps more when in doubt.",
    )(command)


def article_flags(flags: dict[str, Any]) -> dict[str, Any]:
    """The Options fields of article_options."""
    return {"favor": flags["favor"], "paragraphs": flags["paragraphs"], "markup": flags["markup"]}


def _language_code(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    if value is None or value == "auto":
        return None
    code = value.lower()
    if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
        raise click.BadParameter(f"{value!r} is not a language code like de, zh or auto")
    return code


lang_option = click.option(
    "--lang",
    metavar="CODE",
    callback=_language_code,
    help="The documents' language (ISO 639-1: de, zh ...), for its language packs [default: auto, detected].",
)


@cli.group(context_settings=CONTEXT)
def rules() -> None:
    """Inspect and test rule files."""


def write_stats(path: str, stats: dict[str, Any]) -> None:
    """The run's summary as JSON (--stats-json)."""
    import json

    from cleaner.batch.writing import write_output

    try:
        write_output(Path(path), (json.dumps(stats, indent=2) + "\n").encode("utf-8"))
    except CleanerError as problem:
        fail(str(problem), ExitCode.INPUT_FAILED)


site_option = click.option(
    "--site", "sites", multiple=True, metavar="NAME", help="Apply this site pack (repeatable)."
)
encoding_option = click.option("--encoding", metavar="NAME", help="Decode inputs with this encoding.")


def cleaning_options(command: Any) -> Any:
    """The options of every command that cleans (clean, explain, dask), written once so that
    each means the same in all of them: the rules, the site packs, how a document is decoded
    and repaired, its language, and how its article is found."""
    command = article_options(command)
    command = click.option("--no-repair", is_flag=True, help="Skip the ftfy repair step.")(command)
    command = click.option("--ascii-quotes", is_flag=True, help="Straighten typographic quotes.")(command)
    for option in (lang_option, encoding_option, site_option, no_builtin_option, rules_option):
        command = option(command)
    return command
