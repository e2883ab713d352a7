"""--check, --diff and --in-place, and the shipped hooks run for real by the pre-commit tool."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli.main import cli
from tests.conftest import CASES, ROOT, sample_expected, sample_input

CASE = CASES[0]
BIN = Path(sys.executable).parent
EXE = str(BIN / "cleaner")
installed = pytest.mark.skipif(not Path(EXE).exists(), reason="cleaner script not installed")
CHROME_ONLY = (
    b"What do you think?\n\nSubscribe\nNotify of\nguest\n0 Comments\nInline Feedbacks\nView all comments\n"
)


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def files(tmp_path):
    dirty = tmp_path / "dirty.txt"
    dirty.write_bytes(sample_input(CASE))
    tidy = tmp_path / "tidy.txt"
    tidy.write_text(sample_expected(CASE), encoding="utf-8")
    return dirty, tidy


def test_check_lists_files_that_would_change_and_writes_nothing(files):
    dirty, tidy = files
    result = run("clean", "--check", str(dirty), str(tidy))
    assert result.exit_code == 1
    assert result.stdout == f"{dirty}\n"
    assert dirty.read_bytes() == sample_input(CASE)
    assert run("clean", "--check", str(tidy)).exit_code == 0


def test_diff_is_a_unified_diff_on_stdout(files):
    dirty, tidy = files
    result = run("clean", "--diff", str(dirty), str(tidy))
    assert result.exit_code == 0  # --diff alone reports, --check decides
    assert result.stdout.startswith(f"--- {dirty}\n+++ {dirty} (cleaned)\n@@ ")
    assert "\n-in ,\n" in result.stdout and str(tidy) not in result.stdout
    assert run("clean", "--check", "--diff", str(dirty)).exit_code == 1
    assert dirty.read_bytes() == sample_input(CASE)


def test_in_place_rewrites_keeping_mode_and_newline_style(tmp_path, files):
    dirty, tidy = files
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(sample_input(CASE).replace(b"\n", b"\r\n"))
    dirty.chmod(0o640)
    tidy_before = tidy.stat().st_mtime_ns
    result = run("clean", "--in-place", str(dirty), str(tidy), str(crlf))
    assert result.exit_code == 0 and result.stdout == ""
    assert dirty.read_text("utf-8") == sample_expected(CASE)
    assert stat.S_IMODE(dirty.stat().st_mode) == 0o640
    assert crlf.read_bytes() == sample_expected(CASE).replace("\n", "\r\n").encode("utf-8")
    assert tidy.stat().st_mtime_ns == tidy_before
    assert run("clean", "--check", str(dirty), str(tidy), str(crlf)).exit_code == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_in_place_leaves_a_chrome_only_file_unless_allowed(tmp_path):
    page = tmp_path / "widget.txt"
    page.write_bytes(CHROME_ONLY)
    result = run("clean", "--in-place", str(page))
    assert result.exit_code == 0
    assert page.read_bytes() == CHROME_ONLY
    assert f"{page}: left as it is, since cleaning would empty it (--allow-empty)" in result.stderr
    assert run("clean", "--check", str(page)).exit_code == 0
    assert run("clean", "--in-place", "--allow-empty", str(page)).exit_code == 0
    assert page.read_bytes() == b""


def test_in_place_on_a_directory_and_contradictions(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(sample_input(CASE))
    assert run("clean", "--in-place", str(tmp_path)).exit_code == 0
    assert (tmp_path / "sub" / "a.txt").read_text("utf-8") == sample_expected(CASE)
    assert run("clean", "--in-place", "--check", str(tmp_path)).exit_code == 2
    assert run("clean", "--in-place", "-").exit_code == 2
    assert run("clean", "--check", "-o", str(tmp_path / "x"), str(tmp_path)).exit_code == 2


@installed
def test_subprocess_check_diff_and_in_place(files):
    dirty, tidy = files
    check = subprocess.run(
        [EXE, "clean", "--check", "--diff", str(dirty), str(tidy)], capture_output=True, check=False
    )
    assert check.returncode == 1 and check.stdout.startswith(f"--- {dirty}".encode())
    fix = subprocess.run([EXE, "clean", "--in-place", str(dirty)], capture_output=True, check=False)
    assert fix.returncode == 0 and fix.stderr == b""
    again = subprocess.run([EXE, "clean", "--check", str(dirty)], capture_output=True, check=False)
    assert again.returncode == 0 and again.stdout == b""


# The hooks, for real: pre-commit builds its own environment and installs this project in it
# (from PyPI's setuptools), once for the module.

PRE_COMMIT = BIN / "pre-commit"
needs_tools = pytest.mark.skipif(
    not PRE_COMMIT.exists() or shutil.which("git") is None, reason="needs git and pre-commit"
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def commit_all(repo: Path) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "snapshot")
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A committed copy of this project as it is now (uncommitted edits included)."""
    copy = tmp_path_factory.mktemp("project") / "cleaner"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "build"
    )
    shutil.copytree(ROOT, copy, ignore=ignore)
    git(copy, "init", "-q")
    return copy, commit_all(copy)


@needs_tools
def test_pre_commit_hooks_fail_and_fix_a_dirty_file_then_pass(hook_repo, tmp_path):
    # As a user sets them up: a .pre-commit-config.yaml naming this project at a revision, so
    # that pre-commit builds the hooks' environment once and every run after uses it.
    project, rev = hook_repo
    repo = tmp_path / "articles"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {project}\n  rev: {rev}\n  hooks:\n  - id: cleaner-check\n  - id: cleaner\n",
        encoding="utf-8",
    )
    (repo / "page.txt").write_bytes(sample_input(CASE))
    (repo / "tidy.txt").write_text(sample_expected(CASE), encoding="utf-8")
    commit_all(repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}

    def run_hooks(*hook: str) -> subprocess.CompletedProcess:
        command = [str(PRE_COMMIT), "run", *hook, "--all-files", "--color", "never"]
        return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=False)

    check = run_hooks("cleaner-check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "cleaner (check that article text is clean)" in check.stdout and "Failed" in check.stdout
    assert "--- page.txt" in check.stdout and "\n-in ,\n" in check.stdout  # the diff
    assert "tidy.txt" not in check.stdout
    assert (repo / "page.txt").read_bytes() == sample_input(CASE)

    first = run_hooks("cleaner")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "page.txt").read_text("utf-8") == sample_expected(CASE)

    second = run_hooks()  # both hooks
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.count("Passed") == 2
