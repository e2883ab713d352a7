"""`cleaner rules list`: one row per loaded rule, filtered by pack, as rows, JSON or a table."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cleaner.cli.main import cli

MY_RULES = """
[[rule]]
id = "my-site-newsletter"
type = "line"
kind = "newsletter"
description = "The newsletter sign-up line."
pattern = 'Sign up for our newsletter!'

[[rule.example]]
input = "The bridge reopened.\\n\\nSign up for our newsletter!\\n"
output = "The bridge reopened.\\n"

[[rule.example]]
input = "The bridge reopened.\\n"
"""


def run(*args):
    return CliRunner().invoke(cli, list(args))


def rows(*args) -> list[list[str]]:
    result = run("rules", "list", *args)
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.stdout.splitlines()]


def test_plain_rows_list_every_loaded_rule_in_seven_columns(builtin_rules):
    listed = rows()
    assert [row[0] for row in listed] == [rule.id for rule in builtin_rules.all_rules]
    assert all(len(row) == 7 for row in listed)
    by_id = {row[0]: row for row in listed}
    comments = by_id["wpdiscuz-comment-widget"]
    assert comments[1:5] == ["comment-widget", "block", "generic", "<builtin>/generic/comments.toml"]
    assert comments[6] == "3"
    assert by_id["theduran-report-link"][3] == "theduran"


def test_filter_by_pack_or_site(builtin_rules):
    generic = rows("--pack", "generic")
    assert generic and {row[3] for row in generic} == {"generic"}
    site = rows("--site", "theduran")
    assert [row[0] for row in site] == [rule.id for site in builtin_rules.sites for rule in site.rules]


def test_unknown_pack_is_a_usage_error():
    result = run("rules", "list", "--pack", "nowhere")
    assert result.exit_code == 2
    assert result.stderr.startswith("cleaner: error: unknown pack 'nowhere' (loaded: generic, theduran")


def test_json_and_own_rule_files(tmp_path):
    path = tmp_path / "my-site.toml"
    path.write_text(MY_RULES, encoding="utf-8")
    result = run("rules", "list", "--no-builtin", "--rules", str(path), "--format", "json")
    assert json.loads(result.stdout) == [
        {
            "id": "my-site-newsletter",
            "kind": "newsletter",
            "type": "line",
            "pack": "generic",
            "file": str(path),
            "description": "The newsletter sign-up line.",
            "examples": 2,
        }
    ]


def test_rich_table_names_every_rule(builtin_rules):
    result = run("rules", "list", "--format", "rich")
    assert result.exit_code == 0
    assert f"{len(builtin_rules.all_rules)} rules" in result.stdout
    assert "\x1b[" in result.stdout  # styled
    for rule in builtin_rules.all_rules[:3]:
        assert rule.id[:10] in result.stdout
