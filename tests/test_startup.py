"""Start-up stays light: `cleaner --version` loads no rules, and plain text never needs ftfy.

(How fast is measured by bench/speed.py; these tests check what gets imported.)
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("rich", "ftfy", "regex", "tomllib", "cleaner.rulebook.rulefiles", "cleaner.engine.pipeline", "dask")


def imported_after(code: str) -> set[str]:
    script = f"""
import sys
{code}
print("\\n".join(sorted(sys.modules)))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY}


def test_version_imports_no_rules_no_rich_no_ftfy():
    modules = imported_after(
        "from cleaner.cli.main import cli\n"
        "try:\n    cli(['--version'], prog_name='cleaner')\nexcept SystemExit:\n    pass"
    )
    assert "click" in modules
    assert heavy(modules) == set()


def test_importing_the_package_imports_the_api_only_when_used():
    assert heavy(imported_after("import cleaner")) == set()
    modules = imported_after("from cleaner import clean_text, Options, load_rules")
    assert "cleaner.engine.pipeline" in modules and "cleaner.rulebook.rulefiles" in modules


def test_cleaning_plain_text_with_typographic_punctuation_does_not_import_ftfy():
    modules = imported_after(
        "from cleaner import clean_text\n"
        "clean_text('A Headline\\n\\nIt’s a “plain” page \\u2014 really\\u2026 in\\u00a0short.\\n')"
    )
    assert "cleaner.engine.pipeline" in modules
    assert not {m for m in modules if m.startswith("ftfy")}


def test_the_entry_point_answers_version_without_click_in_the_words_click_uses():
    modules = imported_after("sys.argv = ['cleaner', '--version']\nfrom cleaner.entry import main\nmain()")
    assert not {m for m in modules if m.split(".")[0] == "click"}
    assert heavy(modules) == set()
    from click.testing import CliRunner

    from cleaner.cli.main import cli

    for flag in ("--version", "-V"):
        script = f"import sys\nsys.argv = ['cleaner', '{flag}']\nfrom cleaner.entry import main\nmain()"
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        assert done.stdout == CliRunner().invoke(cli, [flag], prog_name="cleaner").output


def test_rules_from_the_cache_clean_without_the_rule_file_parser_or_difflib():
    code = (
        "import os\n"
        "os.environ.pop('CLEANER_NO_CACHE', None)\n"  # the user's cache, which other tests fill too
        "from cleaner import clean_text\n"
        "clean_text('The bridge reopened on Monday.\\n')\n"
    )
    imported_after(code)  # the first run builds the rules and fills the cache
    modules = imported_after(code)
    assert "cleaner.engine.pipeline" in modules
    assert {
        "cleaner.rulebook.ruletables",
        "cleaner.rulebook.examples",
        "difflib",
        "tomllib",
    } & modules == set()
