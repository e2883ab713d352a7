"""Hard input: each case gets one line on stderr naming the file, and a documented exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Options, clean_bytes, clean_text, load_rules
from cleaner.cli.main import cli
from cleaner.engine.rendering import to_object
from tests.conftest import CASES, sample_expected, sample_input

EXE = str(Path(sys.executable).parent / "cleaner")
installed = pytest.mark.skipif(not Path(EXE).exists(), reason="cleaner script not installed")
CASE = CASES[0]
SEPARATOR = "\n\nBetween two pages, the editors kept this paragraph of plain prose as a divider.\n\n"


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def tree_of_samples(root: Path, copies: int = 1) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(copies):
        for case in CASES:
            (root / f"{number:04d}-{case}.txt").write_bytes(sample_input(case))


def long_article(paragraphs: int) -> str:
    """A sample page with `paragraphs` distinct prose paragraphs added inside its body."""
    parts = sample_input(CASES[0]).decode("utf-8").split("\n\n")
    filler = "".join(
        f"Paragraph {i} of the long report says the river rose again near the old mill.\n\n"
        for i in range(paragraphs)
    )
    return "\n\n".join(parts[:4]) + "\n\n" + filler + "\n\n".join(parts[4:])


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("cleaner: error:")]


def test_missing_path_among_good_ones(tmp_path):
    tree_of_samples(tmp_path / "in")
    result = run("clean", str(tmp_path / "gone"), str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 123
    assert error_lines(result.stderr) == [f"cleaner: error: {tmp_path / 'gone'}: no such file"]
    assert len(list((tmp_path / "out").iterdir())) == len(CASES)


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: directory permissions are not enforced")
def test_unreadable_directory(tmp_path):
    tree_of_samples(tmp_path / "in")
    locked = tmp_path / "in" / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 123
    assert error_lines(result.stderr) == [f"cleaner: error: {locked}: permission denied"]


def test_unreadable_directory_as_the_walk_sees_it(tmp_path, monkeypatch):
    # The same case without relying on permissions, which root does not have enforced:
    # the directory listing fails the way it does for an unreadable directory.
    tree_of_samples(tmp_path / "in")
    locked = tmp_path / "in" / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 123
    assert error_lines(result.stderr) == [f"cleaner: error: {locked}: permission denied"]
    assert len(list((tmp_path / "out").iterdir())) == len(CASES)


def test_file_vanishing_mid_run(tmp_path, monkeypatch):
    import cleaner.batch.planning

    tree_of_samples(tmp_path / "in")
    victim = sorted((tmp_path / "in").iterdir())[1]
    real_plan = cleaner.batch.planning.plan

    def plan_then_delete(request):
        planned = real_plan(request)
        victim.unlink()  # another process removes it after the walk found it
        return planned

    monkeypatch.setattr(cleaner.batch.planning, "plan", plan_then_delete)
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 123
    assert error_lines(result.stderr) == [
        f"cleaner: error: {victim}: no such file (it vanished before it could be read)"
    ]
    assert len(list((tmp_path / "out").iterdir())) == len(CASES) - 1


def test_binary_file_in_a_tree(tmp_path):
    tree_of_samples(tmp_path / "in")
    (tmp_path / "in" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 123
    assert error_lines(result.stderr) == [
        f"cleaner: error: {tmp_path / 'in' / 'photo.txt'}: binary file (NUL byte at offset 8); not cleaned"
    ]
    assert not (tmp_path / "out" / "photo.txt").exists()


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("clean", str(empty))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"cleaner: warning: {empty}: empty file; nothing to clean\n"
    assert run("clean", "--in-place", str(empty)).exit_code == 0 and empty.read_bytes() == b""


def test_chrome_only_file_warns_that_the_result_is_empty(tmp_path):
    page = tmp_path / "widget.txt"
    page.write_bytes(
        b"What do you think?\n\nSubscribe\nNotify of\nguest\nInline Feedbacks\nView all comments\n"
    )
    result = run("clean", str(page))
    assert result.exit_code == 0 and result.stdout == ""
    assert (
        f"cleaner: warning: {page}: every line was removed: the result is empty" in result.stderr.splitlines()
    )


def test_invalid_utf8_in_place_becomes_utf8(tmp_path):
    page = tmp_path / "latin.txt"
    page.write_bytes("Café society\n\nThe café opened on Monday, the owner said today.\n".encode("cp1252"))
    result = run("clean", "--in-place", str(page))
    assert result.exit_code == 0
    assert f"{page}: not valid UTF-8 (byte 0xe9 at offset 3)" in result.stderr
    assert page.read_text("utf-8").startswith("Café society\n")


def test_very_long_lines(tmp_path):
    line = "A sentence that goes on and on without a break in it. " * 10_000  # about 540 kB
    page = tmp_path / "long.txt"
    page.write_text("Headline\n\n" + line + "\n", encoding="utf-8")
    result = run("clean", str(page))
    assert result.exit_code == 0
    # Cleaned whole, as any document (it was windowed once, without the body rule, which
    # takes the one-word headline as page header, as it does on a small page).
    assert result.stdout == clean_text(page.read_text("utf-8"), Options(rules=load_rules())).text
    assert result.stdout.endswith(line.strip() + "\n")


def test_output_directory_inside_the_input_tree_is_left_out(tmp_path):
    tree = tmp_path / "in"
    tree_of_samples(tree)
    for _ in range(2):  # a second run must not clean the first run's output
        result = run("clean", str(tree), "-o", str(tree / "cleaned"))
        assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tree / "cleaned").iterdir()) == sorted(p.name for p in tree.glob("*.txt"))
    assert run("clean", str(tree), "-o", str(tree)).exit_code == 2


def test_output_path_that_exists_and_is_not_a_directory(tmp_path):
    tree_of_samples(tmp_path / "in")
    target = tmp_path / "out"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("clean", str(tmp_path / "in"), "-o", str(target))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"cleaner: error: {target}: exists and is not a directory (directory inputs need an output directory)\n"
    )
    assert target.read_text("utf-8") == "keep me\n"


def test_a_large_file_is_one_document_like_a_small_one(tmp_path):
    # Files over 1 MiB used to be cleaned in windows, by other rules: the same text gave
    # another result once it grew past the threshold, and another again on stdin.
    text = SEPARATOR.join(sample_input(case).decode("utf-8") for case in CASES * 2)
    text = text + SEPARATOR + "Filler prose line that says nothing much at all today.\n" * 3_000
    path = tmp_path / "joined.txt"
    path.write_text(text, encoding="utf-8", newline="")
    options = Options(rules=load_rules())
    whole = clean_text(text, options)
    assert run("clean", str(path)).stdout == whole.text
    assert run("clean", "-", stdin=text.encode()).stdout == whole.text
    as_json = json.loads(run("clean", "--format", "json", str(path)).stdout)
    expected = to_object(whole, str(path))
    for key in ("title", "text", "paragraphs", "removed", "repairs", "stats", "warnings"):
        assert as_json[key] == expected[key]


def test_the_result_does_not_change_at_the_old_window_threshold(tmp_path):
    # The first 1,060,000 bytes of a file, past the old threshold of 1 MiB, are cleaned whole,
    # as clean_text does (below it, files always were).
    text = long_article(13_200)
    options = Options(rules=load_rules())
    for size in (1_060_000,):
        head = text[:size]
        path = tmp_path / f"{size}.txt"
        path.write_text(head, encoding="utf-8", newline="")
        cleaned = clean_text(head, options).text
        assert len(cleaned) > size * 0.9
        assert run("clean", str(path)).stdout == cleaned


def test_check_and_in_place_see_a_large_dirty_file(tmp_path):
    # Windowed, a large file without a title line was "left as it is": --check passed on it.
    text = long_article(3_000)  # no size is special: a few hundred kB stand for any
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.txt").write_text(text, encoding="utf-8", newline="")
    whole = clean_text(text, Options(rules=load_rules()))
    assert whole.text and whole.text != text
    assert run("clean", "--check", str(tree)).exit_code == 1
    assert run("clean", "--in-place", str(tree)).exit_code == 0
    assert (tree / "a.txt").read_text("utf-8") == whole.text
    assert run("clean", "--check", str(tree)).exit_code == 0


def test_binary_and_latin1_at_any_size(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"Some text\n\n" * 500 + b"\x00")
    result = run("clean", str(binary))
    assert result.exit_code == 123 and result.stdout == ""
    assert result.stderr == f"cleaner: error: {binary}: binary file (NUL byte at offset 5500); not cleaned\n"
    latin = tmp_path / "latin.txt"
    page = "".join(f"The café {i} opened on Monday, the owner told us today.\n\n" for i in range(100))
    latin.write_bytes(page.encode("cp1252"))
    whole = clean_bytes(latin.read_bytes(), Options(rules=load_rules()), str(latin))
    result = run("clean", str(latin))
    assert result.stdout == whole.text
    assert result.stderr == "".join(f"cleaner: warning: {warning}\n" for warning in whole.warnings)


@installed
def test_ctrl_c_during_a_batch_exits_130_and_leaves_no_partial_file(tmp_path):
    tree = tmp_path / "in"
    tree_of_samples(tree, copies=300)
    out = tmp_path / "out"
    process = subprocess.Popen([EXE, "clean", str(tree), "-o", str(out), "-j", "2"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while (not out.exists() or len(list(out.iterdir())) < 20) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (130, b"cleaner: interrupted\n")
    written = list(out.iterdir())
    assert 0 < len(written) < 300 * len(CASES)
    expected = {f"{number:04d}-{case}.txt": sample_expected(case) for number in range(300) for case in CASES}
    for path in written:  # no temporary file left, and every output whole
        assert path.read_text("utf-8") == expected[path.name]


@installed
def test_jsonl_of_a_directory_into_head_exits_quietly(tmp_path):
    tree_of_samples(tmp_path / "in", copies=40)
    command = f"'{EXE}' clean '{tmp_path / 'in'}' --format jsonl -j 2 | head -1"
    done = subprocess.run(command, shell=True, capture_output=True, check=False)
    assert json.loads(done.stdout)["source"].endswith(f"0000-{CASES[0]}.txt")
    assert done.stderr == b""
