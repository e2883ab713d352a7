"""A bad rule file is named in one line, with its reason and exit code 2, never a traceback; a
failure another file causes is blamed on that file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cleaner import load_rules
from cleaner.cli.main import cli
from cleaner.errors import RuleFileError
from tests.conftest import SAMPLES

PAGE = str(SAMPLES / "theduran-000.input.txt")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_error_line(done, *parts: str) -> str:
    assert done.exit_code == 2, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for part in parts:
        assert part in lines[0]
    return lines[0]


def test_settings_that_break_builtin_examples_are_blamed_on_their_file(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text("[settings]\nprose_min_words = 1000\n", encoding="utf-8")
    line = one_error_line(
        run("clean", "--rules", str(mine), PAGE), f"{mine}: [settings] prose_min_words = 1000"
    )
    assert line.startswith(f"cleaner: error: invalid rule file: {mine}:")
    # `rules test` runs every example: each failure says whose settings it fails with.
    tested = run("rules", "test", str(mine))
    assert tested.exit_code == 1
    fails = [row for row in tested.stdout.splitlines() if row.startswith("FAIL ")]
    assert fails
    assert all(row.endswith(f"; it fails with [settings] prose_min_words = 1000 of {mine})") for row in fails)


def test_a_settings_table_changes_only_its_own_keys(tmp_path):
    builtin = load_rules().settings
    mine = tmp_path / "mine.toml"
    mine.write_text(f"[settings]\ntitle_max_words = {builtin.title_max_words + 5}\n", encoding="utf-8")
    merged = load_rules([mine]).settings
    assert merged.title_max_words == builtin.title_max_words + 5
    assert (merged.sentence_end, merged.teaser_end, merged.prose_min_words) == (
        builtin.sentence_end,
        builtin.teaser_end,
        builtin.prose_min_words,
    )
    assert run("rules", "test", str(mine)).exit_code == 0


@pytest.mark.parametrize("key", ["sentence_end", "teaser_end"])
@pytest.mark.parametrize("pattern", ["(unclosed", "(?V0)x"])
def test_an_invalid_settings_pattern_names_its_file_and_key(tmp_path, key, pattern):
    mine = tmp_path / "mine.toml"
    mine.write_text(f"[settings]\n{key} = '{pattern}'\n", encoding="utf-8")
    one_error_line(
        run("clean", "--rules", str(mine), PAGE), f"{mine}: setting {key!r}: pattern does not compile"
    )


def test_a_rule_pattern_with_a_flag_regex_refuses_is_a_rule_file_error(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[rule]]\nid = "x"\ntype = "line"\nkind = "x"\ndescription = "x"\npattern = "(?V0)x"\n'
        '[[rule.example]]\ninput = "x\\n"\noutput = ""\n[[rule.example]]\ninput = "y\\n"\n',
        encoding="utf-8",
    )
    one_error_line(run("clean", "--rules", str(mine), PAGE), f"{mine}: rule 'x': pattern does not compile")


def test_settings_patterns_are_compiled_as_they_are_checked(tmp_path):
    # [\w--\d] is a word character but not a digit in the flavour rule files are checked in;
    # compiled in another, it would also take "-" and "\".
    mine = tmp_path / "mine.toml"
    mine.write_text("[settings]\nteaser_end = '''[\\w--\\d]$'''\n", encoding="utf-8")
    teaser = load_rules([mine], builtin=False).settings.prose_test().teaser_end
    assert teaser is not None
    assert teaser.search("ends in a word") and not teaser.search("ends in 7")
    assert not teaser.search("ends in a dash -")


def test_a_duplicate_site_pack_name_is_blamed_on_the_duplicate(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    pack = '[site]\nname = "{name}"\ndetect = "xyzzy"\n'
    (packs / "a.toml").write_text(pack.format(name="same"), encoding="utf-8")
    (packs / "b.toml").write_text(pack.format(name="same"), encoding="utf-8")
    (packs / "c.toml").write_text(pack.format(name="other"), encoding="utf-8")
    with pytest.raises(RuleFileError) as refused:
        load_rules([packs], builtin=False)
    assert refused.value.path == str(packs / "b.toml")
    assert str(refused.value) == f"{packs / 'b.toml'}: a site pack named 'same' is also in {packs / 'a.toml'}"
    one_error_line(run("clean", "--rules", str(packs), PAGE), f"{packs / 'b.toml'}: a site pack named 'same'")
