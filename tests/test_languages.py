"""Language packs: a page in each language, with the chrome its sites print around a written
article, loses all of the chrome and none of the article; language detection and --lang."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import load_rules
from cleaner.cli.main import cli
from cleaner.engine.pipeline import Options, clean_text
from cleaner.errors import RuleFileError
from cleaner.text.language import detect_language, has_langid

PAGES = Path(__file__).parent / "languages"
LANGUAGES = sorted(path.name.removesuffix(".page.txt") for path in PAGES.glob("*.page.txt"))


def page(code: str) -> str:
    return (PAGES / f"{code}.page.txt").read_text(encoding="utf-8")


def article(code: str) -> str:
    return (PAGES / f"{code}.article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_page_loses_its_chrome_and_keeps_its_article(code: str, rules) -> None:
    result = clean_text(page(code), Options(rules=rules))
    assert result.language == code
    assert result.text == article(code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_article_line_is_kept(code: str, rules) -> None:
    # The article as a page of its own: nothing in it is chrome.
    result = clean_text(article(code), Options(rules=rules, lang=code))
    assert result.text == article(code)
    assert result.removals == ()


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_language_packs_do_the_work(code: str, rules) -> None:
    # Without the packs, chrome is left in (the page was written so): they are needed.
    bare = replace(rules, languages=())
    assert clean_text(page(code), Options(rules=bare)).text != article(code)


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_fallback_without_py3langid_finds_the_language(code: str) -> None:
    assert detect_language(page(code), use_langid=False) == code


def test_py3langid_is_installed_for_the_tests() -> None:
    assert has_langid()


def test_every_language_with_a_pack_has_a_page(rules) -> None:
    assert set(rules.language_codes()) == set(LANGUAGES)


def test_lang_forces_the_packs_and_is_reported(rules) -> None:
    text = page("de")
    assert clean_text(text, Options(rules=rules, lang="fr")).language == "fr"
    assert clean_text(text, Options(rules=rules, lang="fr")).text != article("de")


def test_cli_lang_option_and_json_language(tmp_path) -> None:
    path = tmp_path / "page.txt"
    path.write_text(page("de"), encoding="utf-8")
    runner = CliRunner()
    detected = json.loads(runner.invoke(cli, ["clean", "--format", "json", str(path)]).stdout)
    assert detected["language"] == "de"
    forced = json.loads(runner.invoke(cli, ["clean", "--format", "json", "--lang", "EN", str(path)]).stdout)
    assert forced["language"] == "en"
    auto = runner.invoke(cli, ["clean", "--lang", "auto", str(path)])
    assert auto.stdout == article("de")
    bad = runner.invoke(cli, ["clean", "--lang", "german!", str(path)])
    assert bad.exit_code == 2 and "language code" in bad.stderr


def test_english_documents_get_no_language_pack(rules) -> None:
    text = "Comments\n\nThe bridge over the river reopened on Monday after a month of repairs, the council said.\n"
    assert clean_text(text, Options(rules=rules)).language == "en"
    _, selected = rules.select(text, (), "en")
    assert selected == rules.select(text, (), None)[1]
    assert not any(rule.id.startswith("de-") for rule in selected)


def test_a_language_key_is_checked(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('language = "German"\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="language must be"):
        load_rules([bad], builtin=False)
    site = tmp_path / "site.toml"
    site.write_text('language = "de"\n[site]\nname = "x"\ndetect = "x"\n', encoding="utf-8")
    with pytest.raises(RuleFileError, match="site pack has no language"):
        load_rules([site], builtin=False)


def test_a_pack_for_several_languages(tmp_path) -> None:
    pack = tmp_path / "iberian.toml"
    pack.write_text(
        """language = ["pt", "gl"]

[[rule]]
id = "iberian-share"
type = "line"
kind = "share-buttons"
description = "Share."
pattern = "Compartilhar|Compartir"

[[rule.example]]
input = "Compartir\\n\\nA ponte foi reaberta.\\n"
output = "A ponte foi reaberta.\\n"

[[rule.example]]
input = "A ponte foi reaberta.\\n"
""",
        encoding="utf-8",
    )
    rules = load_rules([pack], builtin=False)
    text = "Compartir\n\nA ponte foi reaberta.\n"
    assert clean_text(text, Options(rules=rules, lang="gl")).text == "A ponte foi reaberta.\n"
    assert clean_text(text, Options(rules=rules, lang="es")).text == text


def test_each_document_of_a_split_file_is_cleaned_in_its_own_language(tmp_path) -> None:
    path = tmp_path / "two.txt"
    path.write_text(page("de") + "\n=====\n" + page("fr"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", "--split-on", "^=====$", "--format", "jsonl", str(path)])
    assert result.exit_code == 0, result.output
    documents = [json.loads(row) for row in result.stdout.splitlines()]
    assert [document["language"] for document in documents] == ["de", "fr"]
    assert "de-share" in {entry["rule"] for entry in documents[0]["removed"]}
    assert "Artikel teilen" not in documents[0]["text"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_without_py3langid_the_pages_clean_the_same(code: str, rules, monkeypatch) -> None:
    import cleaner.text.language

    monkeypatch.setattr(cleaner.text.language, "_langid", lambda: None)
    result = clean_text(page(code), Options(rules=rules))
    assert (result.language, result.text) == (code, article(code))


# -- py3langid's model from cleaner's cache ------------------------------------------------

needs_langid = pytest.mark.skipif(not has_langid(), reason="needs the lang extra (py3langid)")


@pytest.fixture(scope="module")
def cached_model(tmp_path_factory):
    """A cache directory with py3langid's model written into it, and the identifier read back."""
    from py3langid import langid

    from cleaner.text.langid_model import _cached_identifier

    directory = tmp_path_factory.mktemp("langid-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLEANER_CACHE_DIR", str(directory))
        patch.delenv("CLEANER_NO_CACHE", raising=False)
        identifier = _cached_identifier(langid)
    return directory, identifier


@needs_langid
def test_the_cached_model_finds_the_languages_py3langids_own_finds(cached_model):
    from py3langid import langid

    directory, cached = cached_model
    assert [path.name.startswith("langid-") for path in directory.iterdir()] == [True]
    own = langid._load_identifier()  # py3langid's own, from the file in its wheel
    texts = [page(code) for code in LANGUAGES] + [
        "Die Brücke über den Fluss wurde am Montag wieder geöffnet.",
        "Le pont a rouvert lundi après un mois de travaux.",
        "O ponte foi reaberto na segunda-feira depois de um mês de obras.",
        "12345 !!!",
        "",
    ]
    for text in texts:
        assert cached.classify(text) == own.classify(text)


@needs_langid
def test_a_damaged_cached_model_is_removed_for_the_next_run_to_write_again(
    cached_model, tmp_path, monkeypatch
):
    import shutil

    from py3langid import langid

    from cleaner.text.langid_model import _cached_identifier

    [written] = cached_model[0].iterdir()
    entry = tmp_path / written.name
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    shutil.copytree(written, entry)
    assert _cached_identifier(langid).classify("Le pont a rouvert lundi.")[0] == "fr"  # read, not written
    (entry / "nextmove.npy").write_bytes(b"not a model")
    with pytest.raises(ValueError):
        _cached_identifier(langid)  # classifier() then lets py3langid load its own file
    assert not entry.exists()


@needs_langid
def test_the_cached_model_is_mapped_into_memory_not_read(cached_model):
    import numpy as np

    _, identifier = cached_model
    # The 28 MB table of feature weights and the 39 MB automaton stay in the file.
    assert isinstance(identifier.nb_ptc, np.memmap)
    assert isinstance(identifier.tk_nextmove, memoryview)


@needs_langid
def test_an_older_single_file_copy_of_the_model_is_replaced(tmp_path, monkeypatch):
    from py3langid import langid

    from cleaner.text.langid_model import _cached_identifier

    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    (tmp_path / "langid-0badc0de.npz").write_bytes(b"an older copy")
    assert _cached_identifier(langid).classify("Le pont a rouvert lundi.")[0] == "fr"
    assert [path.is_dir() for path in tmp_path.iterdir()] == [True]


@needs_langid
def test_no_model_is_written_without_a_cache(tmp_path, monkeypatch):
    from py3langid import langid

    from cleaner.text.langid_model import _cached_identifier

    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CLEANER_NO_CACHE", "1")
    assert _cached_identifier(langid) is None
    assert list(tmp_path.iterdir()) == []


@needs_langid
def test_a_file_system_that_cannot_map_files_reads_the_cached_model_instead(cached_model, monkeypatch):
    import numpy as np
    from py3langid import langid

    from cleaner.text.langid_model import _cached_identifier

    directory, _ = cached_model
    real_load = np.load

    def no_mapping(path, mmap_mode=None, **options):
        if mmap_mode is not None:
            raise OSError(19, "No such device")  # what mmap says where it cannot map
        return real_load(path, **options)

    monkeypatch.setattr(np, "load", no_mapping)
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(directory))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    identifier = _cached_identifier(langid)
    assert identifier.classify("Le pont a rouvert lundi après un mois de travaux.")[0] == "fr"
    assert not isinstance(identifier.nb_ptc, np.memmap)
    assert [path.is_dir() for path in directory.iterdir()] == [True]  # the copy stays
