"""The command never shows a traceback, and exits only with a documented code, whatever bytes come in."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.cli.main import cli
from tests.conftest import documented_exit_codes

DOCUMENTED = set(documented_exit_codes())  # the README's table, which test_cli compares with ExitCode
MODES = st.sampled_from(
    [[], ["--format", "json"], ["--format", "jsonl"], ["--check"], ["--diff"], ["--strict"]]
)
# Bytes that look like scraped pages often enough: chrome, prose, mojibake, NULs, odd newlines.
PIECES = st.sampled_from(
    [
        b"What do you think?\n",
        b"Notify of\n",
        b"in ,\n",
        b"\r\n",
        b"\r",
        b"\n\n",
        b"\x00",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\xc3\xa9",
        b"\xe9",
        b"It rained all day in the town, the mayor said.\n",
    ]
)
PAGES = st.one_of(
    st.binary(max_size=400), st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=30).map(b"".join)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PAGES, MODES)
def test_any_bytes_on_stdin_give_a_documented_exit_and_no_traceback(data, mode):
    result = CliRunner().invoke(cli, ["clean", *mode, "-"], input=data)
    assert result.exit_code in DOCUMENTED, result.exception
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert all(line.startswith("cleaner: ") for line in result.stderr.splitlines())
