"""Properties: the result never depends on the size of a text or on how it arrives, and no
bytes, file names or option set make the command show a traceback (without -v)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Options, clean_text, load_rules
from cleaner.cli.main import cli
from tests.conftest import CASES, documented_exit_codes, sample_input

DOCUMENTED = set(documented_exit_codes())  # the README's table, which test_cli compares with ExitCode
RULES = load_rules()
LINES = [line for case in CASES for line in sample_input(case).decode("utf-8").split("\n")]
PROSE = st.sampled_from(
    [
        "The council met on Monday and agreed to reopen the bridge by the end of the month.",
        "Residents said the works had taken far longer than anyone had been told they would.",
        "Share this",
        "Tweet",
        "Related:",
        "Photo: Reuters",
        "",
    ]
)
TEXTS = st.lists(st.one_of(st.sampled_from(LINES), PROSE), max_size=60).map("\n".join)


def filler(paragraphs: int) -> str:
    return "".join(
        f"Paragraph {i} of the long report says the river rose again near the old mill.\n\n"
        for i in range(paragraphs)
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(head=TEXTS, tail=TEXTS, large=st.sampled_from([0, 0, 0, 2_000]))
def test_the_same_text_gives_the_same_result_at_any_size_from_a_file_or_stdin(head, tail, large):
    # `large` makes the text some 160 kB long (files over 1 MiB were once cleaned another way;
    # no size is special any more, test_the_result_does_not_change_at_the_old_window_threshold
    # checks that threshold itself).
    text = head + "\n\n" + filler(large) + tail
    expected = clean_text(text, Options(rules=RULES)).text
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "page.txt"
        path.write_text(text, encoding="utf-8", newline="")
        from_file = runner.invoke(cli, ["clean", str(path)])
    from_stdin = runner.invoke(cli, ["clean", "-"], input=text.encode("utf-8"))
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout == expected


OPTION_SETS = st.lists(
    st.sampled_from(
        [
            ["--format", "json"],
            ["--format", "jsonl"],
            ["--check"],
            ["--diff"],
            ["--in-place"],
            ["--strict"],
            ["--allow-empty"],
            ["--max-removed", "0.1"],
            ["--max-bytes", "200"],
            ["--max-line-bytes", "30"],
            ["--split-on", "-{3,}"],
            ["--encoding", "latin-1"],
            ["--encoding", "utf-16"],
            ["--encoding", "nonsense"],
            ["--no-repair"],
            ["--ascii-quotes"],
            ["--glob", "*"],
            ["--exclude", "*.md"],
            ["-j", "1"],
            ["-q"],
            ["--site", "theduran"],
            ["--site", "nowhere"],
            ["-o", "OUT"],
            ["-o", "OUT/"],
            ["--stats-json", "STATS"],
            ["--stats-json", "/dev/null"],
        ]
    ),
    max_size=4,
).map(lambda sets: [arg for options in sets for arg in options])
NAMES = st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
CONTENTS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([sample_input(CASES[0])[:600], b"\xff\xfe" + "Hi there".encode("utf-16-le"), b"---\n"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    options=OPTION_SETS,
    files=st.lists(st.tuples(NAMES, CONTENTS), min_size=1, max_size=3),
    walk=st.booleans(),
)
def test_no_traceback_for_any_bytes_names_and_options(options, files, walk):
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        tree = root / "tree"
        tree.mkdir()
        for name, content in files:
            if name in (b".", b".."):
                continue
            with open(os.fsencode(tree) + b"/" + name, "wb") as handle:  # noqa: PTH123  (bytes path)
                handle.write(content)
        paths = [str(tree)] if walk else [str(p) for p in tree.iterdir()]
        arguments = [
            str(root / "out") + "/" if a == "OUT/" else str(root / a) if a in ("OUT", "STATS") else a
            for a in options
        ]
        result = CliRunner().invoke(cli, ["clean", *arguments, *paths], input=b"")
    assert result.exit_code in DOCUMENTED, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr
