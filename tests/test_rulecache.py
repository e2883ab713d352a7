"""The rule cache: a second load comes from it, any change to a rule file misses it, and a
broken or unwritable cache never stops cleaning."""

from __future__ import annotations

import shutil

import pytest

import cleaner.rulebook.rulefiles
from cleaner import Options, clean_text, load_rules
from cleaner.errors import RuleFileError
from tests.conftest import ROOT, SAMPLES, sample_expected

RULE_FILE = ROOT / "rules" / "generic" / "ratings.toml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(directory))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def builds(monkeypatch):
    """Count the times rules are really built from their files."""
    calls = []
    real = cleaner.rulebook.rulefiles.build_ruleset

    def counting(files, check_examples=True):
        calls.append(list(files))
        return real(files, check_examples)

    monkeypatch.setattr(cleaner.rulebook.rulefiles, "build_ruleset", counting)
    return calls


@pytest.fixture
def rule_file(tmp_path):
    path = tmp_path / "rules" / "ratings.toml"
    path.parent.mkdir()
    shutil.copy(RULE_FILE, path)
    return path


def same(one, other) -> bool:
    # Compiled patterns compare by identity; their repr shows pattern and flags.
    return repr(one) == repr(other)


def rule_ids(ruleset):
    return [rule.id for rule in ruleset.all_rules]


def test_the_second_load_comes_from_the_cache_and_equals_the_first(cache, builds, rule_file):
    first = load_rules([rule_file], builtin=False)
    second = load_rules([rule_file], builtin=False)
    assert len(builds) == 1
    assert list(cache.glob("rules-*.pickle"))
    assert same(second, first)


def test_editing_a_rule_file_misses_the_cache(cache, builds, rule_file):
    load_rules([rule_file], builtin=False)
    text = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(text.replace('id = "', 'id = "edited-', 1), encoding="utf-8")
    edited = load_rules([rule_file], builtin=False)
    assert len(builds) == 2
    assert rule_ids(edited)[0].startswith("edited-")


def test_adding_a_rule_file_to_a_folder_misses_the_cache(cache, builds, rule_file):
    load_rules([rule_file.parent], builtin=False)
    shutil.copy(ROOT / "rules" / "generic" / "support.toml", rule_file.parent / "support.toml")
    both = load_rules([rule_file.parent], builtin=False)
    assert len(builds) == 2
    assert len(rule_ids(both)) > len(rule_ids(load_rules([rule_file], builtin=False)))


def test_an_invalid_rule_file_is_refused_even_after_its_valid_version_was_cached(cache, rule_file):
    load_rules([rule_file], builtin=False)
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "\n[[rule]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(RuleFileError):
        load_rules([rule_file], builtin=False)


def test_a_corrupt_entry_is_rebuilt(cache, builds, rule_file):
    first = load_rules([rule_file], builtin=False)
    (entry,) = cache.glob("rules-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert same(load_rules([rule_file], builtin=False), first)
    assert len(builds) == 2
    assert same(load_rules([rule_file], builtin=False), first)  # and written again
    assert len(builds) == 2


def test_an_entry_others_could_have_written_is_not_trusted(cache, builds, rule_file):
    load_rules([rule_file], builtin=False)
    (entry,) = cache.glob("rules-*.pickle")
    entry.chmod(0o666)
    load_rules([rule_file], builtin=False)
    assert len(builds) == 2


def test_an_unwritable_cache_still_cleans(tmp_path, monkeypatch, builds):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    rules = load_rules()
    case = "theduran-000"
    text = (SAMPLES / f"{case}.input.txt").read_text(encoding="utf-8")
    assert clean_text(text, Options(rules=rules)).text == sample_expected(case)


def test_rules_from_the_cache_clean_the_samples_exactly(cache, builds):
    load_rules()
    rules = load_rules()
    assert len(builds) == 1
    for path in sorted(SAMPLES.glob("*.input.txt")):
        case = path.name.removesuffix(".input.txt")
        assert clean_text(path.read_text(encoding="utf-8"), Options(rules=rules)).text == sample_expected(
            case
        )


def test_the_cache_can_be_turned_off(cache, builds, monkeypatch, rule_file):
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    load_rules([rule_file], builtin=False)
    load_rules([rule_file], builtin=False)
    assert len(builds) == 2
    assert not cache.exists()
