"""The rule cache: a second load comes from it, any change to a rule file misses it, and a
broken or unwritable cache never stops cleaning."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

import cleaner.engine.ruleset
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


def alike(one, other) -> bool:
    """Equal field by field; compiled patterns by their repr, sets by content (a set's repr
    depends on the order it was built in)."""
    if dataclasses.is_dataclass(one):
        return type(one) is type(other) and all(
            alike(getattr(one, field.name), getattr(other, field.name)) for field in dataclasses.fields(one)
        )
    if isinstance(one, tuple):
        return isinstance(other, tuple) and len(one) == len(other) and all(map(alike, one, other))
    if isinstance(one, (set, frozenset)):
        return one == other
    return same(one, other)


def test_every_field_of_every_cached_rule_and_pattern_comes_back(cache, builds):
    first = load_rules()
    second = load_rules()
    assert len(builds) == 1
    for built, cached in zip(first.all_rules, second.all_rules, strict=True):
        # Every field, also those left out of repr and eq (a pattern's required strings and
        # which of its calls may run untimed).
        assert alike(cached, built), built.id


def test_the_prose_test_comes_with_the_cached_rules(cache, builds, monkeypatch):
    load_rules()
    monkeypatch.setattr(cleaner.engine.ruleset, "_PROSE_TESTS", {})  # as in a new process
    rules = load_rules()
    assert len(builds) == 1
    assert rules.settings in cleaner.engine.ruleset._PROSE_TESTS
    assert rules.settings.prose_test().is_prose(
        "The bridge over the river reopened on Monday morning after a month of repairs."
    )


def test_a_cached_language_pack_is_unpickled_only_for_a_document_in_its_language(cache, builds):
    load_rules()
    rules = load_rules()
    loaded = {pack.path.rsplit("/", 1)[-1]: pack for pack in rules.languages}
    english = "The bridge over the river reopened on Monday after a month of repairs, the council said."
    clean_text(english, Options(rules=rules, lang="en"))
    assert all(pack._rules is None for pack in loaded.values())
    french = "Le pont sur la rivière a rouvert lundi après un mois de travaux, a indiqué la mairie."
    clean_text(french, Options(rules=rules, lang="fr"))
    assert [name for name, pack in loaded.items() if pack._rules is not None] == ["fr.toml"]
    assert len(builds) == 1


def test_writing_an_entry_also_stores_the_modules_compiled_patterns(cache, builds, rule_file):
    load_rules([rule_file], builtin=False)
    assert len(builds) == 1
    assert list(cache.glob("patterns-*.pickle"))
