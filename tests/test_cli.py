"""The command, in process through click's runner and for real through a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli.main import cli
from cleaner.exit_codes import ExitCode
from tests.conftest import CASES, SAMPLES, documented_exit_codes, sample_expected, sample_input

CASE = CASES[0]
INPUT = str(SAMPLES / f"{CASE}.input.txt")


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_clean_file_prints_expected_text():
    result = run("clean", INPUT)
    assert result.exit_code == 0
    assert result.stdout == sample_expected(CASE)
    assert result.stderr == ""


def test_clean_stdin_with_dash_and_without_path():
    assert run("clean", "-", stdin=sample_input(CASE)).stdout == sample_expected(CASE)
    assert run("clean", stdin=sample_input(CASE)).stdout == sample_expected(CASE)


def test_json_and_jsonl_formats():
    one = json.loads(run("clean", "--format", "json", INPUT).stdout)
    assert one["source"] == INPUT and one["title"] and one["removed"]
    assert {"rule", "kind", "line", "text"} <= set(one["removed"][0])
    lines = run("clean", "--format", "jsonl", INPUT, INPUT).stdout.splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["text"] == one["text"]
    many = json.loads(run("clean", "--format", "json", INPUT, INPUT).stdout)
    assert isinstance(many, list) and len(many) == 2


def test_output_file_is_written(tmp_path):
    target = tmp_path / "out.txt"
    result = run("clean", INPUT, "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == sample_expected(CASE)


def test_missing_file_is_one_line_error_and_others_still_clean(tmp_path):
    result = run("clean", str(tmp_path / "nope.txt"), INPUT)
    assert result.exit_code == 123
    assert result.stderr.strip() == f"cleaner: error: {tmp_path / 'nope.txt'}: no such file"
    assert result.stdout == sample_expected(CASE)


def test_binary_input_is_refused(tmp_path):
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x89PNG\r\n\x00\x00")
    result = run("clean", str(path))
    assert result.exit_code == 123
    assert "binary file" in result.stderr and "Traceback" not in result.stderr


def test_invalid_utf8_warns_and_cleans(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9 news\n\nThe caf\u00e9 opened today.\n".encode("cp1252"))
    result = run("clean", str(path))
    assert result.exit_code == 0
    assert "café" in result.stdout
    assert "not valid UTF-8" in result.stderr


def test_explicit_encoding_and_unknown_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\u00e9\n".encode("latin-1"))
    assert run("clean", "--encoding", "latin-1", str(path)).stdout == "Café\n"
    result = run("clean", "--encoding", "no-such-codec", str(path))
    assert result.exit_code == 2 and "unknown encoding" in result.stderr  # a usage error, up front


def test_ascii_quotes_flag():
    result = run("clean", "--ascii-quotes", INPUT)
    assert "’" not in result.stdout and "'" in result.stdout


def test_invalid_rule_file_exits_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nid = "x"\ntype = "nope"\n', encoding="utf-8")
    result = run("clean", "--rules", str(bad), INPUT)
    assert result.exit_code == 2
    assert "bad.toml" in result.stderr and "unknown type" in result.stderr


def test_no_builtin_keeps_everything_and_unknown_site_is_usage_error():
    result = run("clean", "--no-builtin", INPUT)
    assert "Notify of" in result.stdout
    assert run("clean", "--site", "nowhere", INPUT).exit_code == 2


def test_rules_test_passes_and_fails(tmp_path):
    assert run("rules", "test").exit_code == 0
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[rule]]\nid = "x"\ntype = "line"\nkind = "ad"\ndescription = "d"\npattern = "Ad"\n'
        '[[rule.example]]\ninput = "Ad\\n"\noutput = ""\n'
        '[[rule.example]]\ninput = "Ad\\n"\n',
        encoding="utf-8",
    )
    result = run("rules", "test", "--no-builtin", str(bad))
    assert result.exit_code == 1
    assert "FAIL x example 2" in result.stdout and "-Ad" in result.stdout


def test_help_and_readme_list_exactly_the_exit_codes_of_the_enum():
    codes = {code.value for code in ExitCode}
    assert set(documented_exit_codes()) == codes
    for command in (["clean"], ["explain"], ["rules", "suggest"], []):
        result = run(*command, "--help")
        assert result.exit_code == 0
        epilog = " ".join(result.stdout.split("Exit codes:", 1)[1].split())
        listed = [int(part.split()[0]) for part in epilog.rstrip(".").split("; ")]
        assert sorted(listed) == sorted(codes), command
    assert "Examples" in run("clean", "--help").stdout


# Through a real process: the installed script, pipes and signals.
EXE = str(Path(sys.executable).parent / "cleaner")


@pytest.mark.skipif(not Path(EXE).exists(), reason="cleaner script not installed")
def test_subprocess_cleans_every_sample():
    for case in CASES:
        done = subprocess.run(
            [EXE, "clean", str(SAMPLES / f"{case}.input.txt")], capture_output=True, check=False
        )
        assert done.returncode == 0
        assert done.stdout.decode("utf-8") == sample_expected(case)


@pytest.mark.skipif(not Path(EXE).exists(), reason="cleaner script not installed")
def test_subprocess_closed_pipe_exits_quietly(tmp_path):
    big = tmp_path / "big.txt"
    # Distinct lines: a large file is one document, and the repeated-line rule applies to it.
    body = "".join(f"Sentence {i} of the article body goes here.\n\n" for i in range(20000))
    big.write_text("Headline\n\n" + body, encoding="utf-8")
    done = subprocess.run(f"'{EXE}' clean '{big}' | head -1", shell=True, capture_output=True, check=False)
    assert done.stdout == b"Headline\n"
    assert done.stderr == b""
