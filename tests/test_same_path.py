"""One behaviour whichever way a document goes: the command's paths must not drift apart.

Each test here pins a case where two copies of the same step used to differ.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli.main import cli
from tests.conftest import CASES, SAMPLES


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def sample_tree(root: Path) -> list[Path]:
    root.mkdir(parents=True)
    paths = []
    for case in CASES:
        paths.append(root / f"{case}.txt")
        shutil.copy(SAMPLES / f"{case}.input.txt", paths[-1])
    return paths


def test_json_into_an_output_directory_prints_nothing_and_writes_what_clean_file_prints(tmp_path):
    paths = sample_tree(tmp_path / "in")
    done = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json", "-j", "1")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""
    for path in paths:
        single = run("clean", "--format", "json", str(path))
        assert (tmp_path / "out" / f"{path.stem}.json").read_text(encoding="utf-8") == single.stdout


def test_rules_suggest_leaves_the_rule_cache_as_cleaning_does(tmp_path, monkeypatch):
    # Each draft is checked by loading it: not through the cache, where sixteen drafts would
    # push out the built-in rules' entry.
    cache = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(cache))
    monkeypatch.delenv("CLEANER_NO_CACHE", raising=False)
    sample_tree(tmp_path / "pages")
    assert run("clean", str(SAMPLES / f"{CASES[0]}.input.txt")).exit_code == 0
    entries = sorted(cache.glob("rules-*.pickle"))
    assert len(entries) == 1
    done = run("rules", "suggest", "--no-builtin", str(tmp_path / "pages"), "-o", str(tmp_path / "s.toml"))
    assert done.exit_code == 0, done.stderr
    assert "[[rule]]" in (tmp_path / "s.toml").read_text(encoding="utf-8")
    # --no-builtin loads no rule file at all: one entry for that, and the drafts none.
    assert len(sorted(cache.glob("rules-*.pickle"))) == 2
    assert entries[0].exists()


def test_the_tests_have_a_rule_cache_of_their_own():
    import os

    from cleaner.caching import cache_dir

    directory = cache_dir()
    assert directory is not None
    assert not directory.resolve().is_relative_to((Path.home() / ".cache").resolve())
    assert os.environ["CLEANER_CACHE_DIR"] == str(directory)


def test_a_nul_byte_under_an_explicit_encoding_is_refused_whatever_the_files_size(tmp_path):
    # Files over 1 MiB were once cleaned in windows, by another decoder that let the NUL through.
    line = b"Some article text, long enough to read as a sentence of the body.\n"
    for size in (1, 1_100_000 // len(line)):
        path = tmp_path / f"nul-{size}.txt"
        path.write_bytes(line * size + b"\x00\n")
        done = run("clean", "--encoding", "utf-8", str(path))
        assert done.exit_code == 123
        assert done.stdout == ""
        assert (
            done.stderr
            == f"cleaner: error: {path}: binary file (NUL character after decoding); not cleaned\n"
        )


def test_explain_names_the_file_once_in_a_decode_warning(tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(b"Caf\xe9 ol\xe9\n\nIt rained all day and the river rose over the road.\n")
    explained = run("explain", "--format", "plain", str(path))
    cleaned = run("clean", str(path))
    assert explained.exit_code == cleaned.exit_code == 0
    warning = f"cleaner: warning: {path}: not valid UTF-8 (byte 0xe9 at offset 3); decoded as Windows-1252"
    assert explained.stderr.startswith(warning)
    assert explained.stderr == cleaned.stderr


def test_jsonl_into_a_directory_is_a_usage_error_before_anything_is_cleaned(tmp_path):
    page = str(SAMPLES / f"{CASES[0]}.input.txt")
    (tmp_path / "out").mkdir()
    for output in (tmp_path / "out", f"{tmp_path / 'new'}/"):
        done = run("clean", "--format", "jsonl", "-o", str(output), page)
        assert done.exit_code == 2
        assert done.stderr.endswith("names a directory, but --format jsonl writes one stream: name a file\n")
        assert len(done.stderr.splitlines()) == 1
    assert list((tmp_path / "out").iterdir()) == [] and not (tmp_path / "new").exists()
    assert run("clean", "--format", "jsonl", "-o", str(tmp_path / "out" / "all.jsonl"), page).exit_code == 0


def test_warnings_are_values_that_name_their_source_once():
    from cleaner import Options, load_rules
    from cleaner.errors import Notice
    from cleaner.records.corpus import RecordSettings, clean_record

    outcome = clean_record(
        {"text": "Share on Facebook\n\nShare on Twitter\n"},
        RecordSettings(Options(rules=load_rules())),
        "a.jsonl:3",
    )
    assert outcome.warnings == [Notice("a.jsonl:3", "every line was removed: the result is empty")]
    assert str(outcome.warnings[0]) == "a.jsonl:3: every line was removed: the result is empty"
    assert str(Notice("a.jsonl:3", "a.jsonl:3: already named")) == "a.jsonl:3: already named"
