"""`cleaner explain`: every line marked, every removal with its rule; plain, JSON and rich layouts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from cleaner import Options, clean_text, load_rules
from cleaner.cli.main import cli
from cleaner.engine.explain import explain, render_rich
from tests.conftest import CASES, SAMPLES, sample_input, sample_spec

# Mojibake and a non-breaking space on line 3, a site pack's residue on line 1, a rating widget.
PAGE = "in ,\n\nCafÃ© owners\u00a0protest\n\nThe owners of the cafe closed their doors on Monday in protest.\n\n0 0 vote\nArticle Rating\n"

PLAIN = (
    "1\tremoved\ttheduran-category-residue\tcategory-residue\tin ,\n"
    "2\tblank\t-\t-\t\n"
    "3\ttitle\t-\t-\tCafÃ© owners\u00a0protest\n"
    "3\trepaired\tdecode_inconsistent_utf8\t-\tCafé owners protest\n"
    "4\tblank\t-\t-\t\n"
    "5\tkept\t-\t-\tThe owners of the cafe closed their doors on Monday in protest.\n"
    "6\tblank\t-\t-\t\n"
    "7\tremoved\trating-votes\trating-widget\t0 0 vote\n"
    "8\tremoved\trating-label\trating-widget\tArticle Rating\n"
)


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_plain_layout_is_exactly_one_row_per_line_plus_repairs():
    result = run("explain", "--site", "theduran", "-", stdin=PAGE.encode())
    assert result.exit_code == 0, result.output
    assert result.stdout == PLAIN
    assert result.stderr == ""


@pytest.mark.parametrize("case", CASES)
def test_every_removal_in_a_sample_shows_its_rule_and_kind(case, builtin_rules):
    path = str(SAMPLES / f"{case}.input.txt")
    rows = [row.split("\t", 4) for row in run("explain", path).stdout.splitlines()]
    primary = [row for row in rows if row[1] in {"kept", "removed", "title", "blank"}]
    assert [int(row[0]) for row in primary] == list(range(1, len(sample_input(case).splitlines()) + 1))
    removed = {int(row[0]): (row[2], row[3], row[4]) for row in primary if row[1] == "removed"}
    spec = {item["line"]: (item["kind"], item["text"]) for item in sample_spec(case)["removed"]}
    assert {line: (kind, text) for line, (_, kind, text) in removed.items()} == spec
    rule_ids = {rule.id for rule in builtin_rules.all_rules}
    assert all(rule in rule_ids for rule, _, _ in removed.values())
    titles = [row for row in primary if row[1] == "title"]
    assert len(titles) == 1 and titles[0][4] == sample_spec(case)["title"]


def test_json_layout_has_one_entry_per_line_with_repairs():
    result = run("explain", "--format", "json", "--site", "theduran", "-", stdin=PAGE.encode())
    data = json.loads(result.stdout)
    assert data["source"] == "<stdin>" and data["title"] == "Café owners protest"
    assert [entry["status"] for entry in data["lines"]] == [
        "removed",
        "blank",
        "title",
        "blank",
        "kept",
        "blank",
        "removed",
        "removed",
    ]
    assert data["lines"][0]["rule"] == "theduran-category-residue"
    repair = data["lines"][2]["repair"]
    assert repair["after"] == "Café owners protest" and repair["fixes"]


def render(page: str, sites=("theduran",)) -> str:
    result = clean_text(page, Options(rules=load_rules(), sites=sites))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=200)
    render_rich(explain(page, result), console, "page.txt")
    return buffer.getvalue()


def test_rich_layout_strikes_removed_lines_and_names_the_rule():
    output = render(PAGE)
    # Removed: dim and struck through, with the rule and kind beside in bold red.
    assert "\x1b[2;9min ,\x1b[0m\x1b[1;31m  ← theduran-category-residue · category-residue" in output
    assert "\x1b[2;9m0 0 vote\x1b[0m\x1b[1;31m  ← rating-votes · rating-widget" in output
    # The title is marked, and what ftfy changed is highlighted, with the fix named.
    assert "← title" in output
    assert "\x1b[1;30;43mé\x1b[0m" in output
    assert "↳ repaired (decode_inconsistent_utf8): " in output
    assert "The owners of the cafe closed their doors on Monday in protest." in output


def test_rich_layout_text_reads_without_colour():
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=False, width=200)
    result = clean_text(PAGE, Options(sites=("theduran",)))
    render_rich(explain(PAGE, result), console, "page.txt")
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "page.txt: 8 lines, 3 removed, 1 repaired; site packs: theduran"
    assert lines[1] == "1 ✗ in ,  ← theduran-category-residue · category-residue"
    assert lines[3] == "3 T CafÃ© owners\u00a0protest  ← title"
    assert lines[4] == "    ↳ repaired (decode_inconsistent_utf8): Café owners protest"


def script() -> str:
    return str(Path(sys.executable).with_name("cleaner"))


def test_subprocess_piped_output_is_plain_and_no_color_is_honoured(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    piped = subprocess.run(
        [script(), "explain", "--site", "theduran", str(page)], capture_output=True, check=True
    )
    assert piped.stdout.decode() == PLAIN
    env = {**os.environ, "NO_COLOR": "1"}
    forced = subprocess.run(
        [script(), "explain", "--format", "rich", "--site", "theduran", str(page)],
        capture_output=True,
        check=True,
        env=env,
    )
    text = forced.stdout.decode()
    assert "← rating-votes · rating-widget" in text
    assert "\x1b[31m" not in text and "\x1b[1;31m" not in text  # no colour, styles only


def test_missing_file_is_one_line_error():
    result = run("explain", "no-such-page.txt")
    assert result.exit_code == 123
    assert result.stderr == "cleaner: error: no-such-page.txt: no such file\n"
    assert result.stdout == ""


def test_unknown_site_is_a_usage_error():
    result = run("explain", "--site", "nowhere", "-", stdin=b"x\n")
    assert result.exit_code == 2 and "unknown site pack 'nowhere'" in result.stderr
