"""Cleaning directory trees: the walk, mirrored outputs, streams, workers, summary and guard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.batch.pool import chunks, run_jobs
from cleaner.batch.process import Job, Mode, Run
from cleaner.batch.report import Report
from cleaner.batch.walking import walk
from cleaner.cli.main import cli
from cleaner.engine.pipeline import Options
from tests.conftest import CASES, sample_expected, sample_input


def whole_text(path: Path) -> str:
    """The file cleaned as one document by the library, as the command cleans it at any size."""
    from cleaner import clean_bytes, load_rules

    return clean_bytes(path.read_bytes(), Options(rules=load_rules())).text


EXE = str(Path(sys.executable).parent / "cleaner")
installed = pytest.mark.skipif(not Path(EXE).exists(), reason="cleaner script not installed")


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def make_tree(root: Path, copies: int = 1) -> dict[str, str]:
    """Samples under root (some in subfolders), and the expected text for each relative path."""
    expected = {}
    for number in range(copies):
        for index, case in enumerate(CASES):
            relative = Path(f"part{number}") / f"{case}.txt" if index % 2 else Path(f"{number}-{case}.txt")
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_bytes(sample_input(case))
            expected[relative.as_posix()] = sample_expected(case)
    return expected


def test_walk_is_sorted_filtered_and_stays_in_the_tree(tmp_path):
    tree = tmp_path / "tree"
    (tree / "b").mkdir(parents=True)
    (tree / "a").mkdir()
    for name in ("b/2.txt", "b/1.txt", "a/z.txt", "top.txt", "skip.md", "a/draft.txt"):
        (tree / name).write_text("x\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x\n", encoding="utf-8")
    (tree / "link-out").symlink_to(outside)
    (tree / "file-out.txt").symlink_to(outside / "secret.txt")
    (tree / "file-in.txt").symlink_to(tree / "top.txt")
    walked = walk(tree, "*.txt", ("draft.txt",))
    assert [p.as_posix() for p in walked.files] == ["a/z.txt", "b/1.txt", "b/2.txt", "file-in.txt", "top.txt"]
    assert sorted(walked.problems) == [
        f"{tree / 'file-out.txt'}: symbolic link out of the tree; not followed",
        f"{tree / 'link-out'}: symbolic link out of the tree; not followed",
    ]


def test_directory_to_output_directory_mirrors_relative_paths(tmp_path):
    expected = make_tree(tmp_path / "in")
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_text("utf-8")
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    assert written == expected


def test_json_output_directory_uses_json_suffix(tmp_path):
    expected = make_tree(tmp_path / "in")
    assert run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json").exit_code == 0
    for relative, text in expected.items():
        obj = json.loads((tmp_path / "out" / relative).with_suffix(".json").read_text("utf-8"))
        assert obj["source"] == str(tmp_path / "in" / relative)
        assert obj["text"] in text and obj["removed"]


def test_jsonl_stream_to_stdout_and_to_a_file(tmp_path):
    expected = make_tree(tmp_path / "in")
    result = run("clean", str(tmp_path / "in"), "--format", "jsonl")
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    sources = [Path(obj["source"]).relative_to(tmp_path / "in").as_posix() for obj in objects]
    assert sources == sorted(expected, key=lambda p: Path(p).parts)
    target = tmp_path / "all.jsonl"
    assert run("clean", str(tmp_path / "in"), "--format", "jsonl", "-o", str(target)).exit_code == 0
    assert target.read_text("utf-8") == result.stdout


def test_json_of_a_directory_is_one_array(tmp_path):
    make_tree(tmp_path / "in")
    many = json.loads(run("clean", str(tmp_path / "in"), "--format", "json").stdout)
    assert isinstance(many, list) and len(many) == len(CASES)


def test_glob_and_exclude(tmp_path):
    tree = tmp_path / "in"
    make_tree(tree)
    (tree / "notes.md").write_bytes(sample_input(CASES[0]))
    only_md = run("clean", str(tree), "--glob", "*.md", "--format", "jsonl")
    assert [json.loads(x)["source"] for x in only_md.stdout.splitlines()] == [str(tree / "notes.md")]
    without_part = run("clean", str(tree), "--exclude", "part*", "--format", "jsonl")
    assert all("part" not in json.loads(x)["source"] for x in without_part.stdout.splitlines())
    assert len(without_part.stdout.splitlines()) == sum(1 for p in tree.glob("*.txt"))


def test_results_do_not_depend_on_the_number_of_workers(tmp_path):
    make_tree(tmp_path / "in", copies=6)
    one = run("clean", str(tmp_path / "in"), "-j", "1", "--format", "jsonl")
    two = run("clean", str(tmp_path / "in"), "-j", "2", "--format", "jsonl")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 6 * len(CASES)


def test_pool_keeps_input_order_and_reports_failures_in_place(tmp_path):
    tree = tmp_path / "in"
    make_tree(tree, copies=3)
    (tree / "0-binary.txt").write_bytes(b"\x00\x01")
    jobs = [Job(str(p), str(p)) for p in sorted(tree.rglob("*.txt"))]
    outcomes = list(run_jobs(jobs, Run(Options(), Mode.CHECK), workers=2))
    assert [o.name for o in outcomes] == [job.name for job in jobs]
    assert [o.status for o in outcomes].count("failed") == 1
    assert "binary file" in outcomes[0].errors[0]


def test_chunks_cover_every_job_in_order():
    jobs = [Job(str(i), str(i)) for i in range(1000)]
    groups = chunks(jobs, 2)
    assert [job for group in groups for job in group] == jobs
    assert len(groups) >= 8 and max(len(g) for g in groups) <= 64


@installed
def test_subprocess_two_workers_write_the_same_files_as_one(tmp_path):
    make_tree(tmp_path / "in", copies=4)
    for workers in ("1", "2"):
        done = subprocess.run(
            [EXE, "clean", str(tmp_path / "in"), "-o", str(tmp_path / f"out{workers}"), "-j", workers],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0 and done.stderr == b""
    files = sorted(p.relative_to(tmp_path / "out1") for p in (tmp_path / "out1").rglob("*.txt"))
    assert len(files) == 4 * len(CASES)
    for relative in files:
        assert (tmp_path / "out1" / relative).read_bytes() == (tmp_path / "out2" / relative).read_bytes()


def test_stats_json_counts_the_run(tmp_path):
    tree = tmp_path / "in"
    make_tree(tree)
    (tree / "bad.txt").write_bytes(b"\x00")
    (tree / "clean.txt").write_text(sample_expected(CASES[0]), encoding="utf-8")
    stats_file = tmp_path / "stats.json"
    result = run("clean", str(tree), "-o", str(tmp_path / "out"), "--stats-json", str(stats_file))
    assert result.exit_code == 123
    stats = json.loads(stats_file.read_text("utf-8"))
    assert stats["documents"] == {
        "unit": "files",
        "total": len(CASES) + 2,
        "changed": len(CASES),
        "unchanged": 1,
        "failed": 1,
        "suspicious": 0,
    }
    assert stats["removed_by_kind"]["comment-widget"] > 0
    assert (
        sum(stats["removed_by_rule"].values())
        == stats["removed_lines"]
        == sum(stats["removed_by_kind"].values())
    )
    assert stats["exit_code"] == 123


def test_summary_table_and_quiet(capsys):
    report = Report(interactive=True)
    report.summary()
    assert "files cleaned" in capsys.readouterr().err
    quiet = Report(quiet=True, interactive=True)
    quiet.warning("not shown")
    quiet.error("shown")
    quiet.summary()
    assert capsys.readouterr().err == "cleaner: error: shown\n"


def test_no_progress_or_summary_when_stderr_is_not_a_terminal(tmp_path):
    make_tree(tmp_path / "in")
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"))
    assert result.stderr == ""


def test_over_removal_guard_flags_and_strict_fails(tmp_path):
    page = tmp_path / "page.txt"
    page.write_bytes(sample_input(CASES[0]))
    normal = json.loads(run("clean", "--format", "json", str(page)).stdout)
    assert "suspicious" not in normal
    share = normal["stats"]["removed_share"]
    flagged = run("clean", "--format", "json", "--max-removed", str(share / 2), str(page))
    assert flagged.exit_code == 0
    assert json.loads(flagged.stdout)["suspicious"] is True
    assert "suspicious" in flagged.stderr and str(page) in flagged.stderr
    strict = run(
        "clean", "--strict", "--max-removed", str(share / 2), str(page), "-o", str(tmp_path / "out.txt")
    )
    assert strict.exit_code == 123
    assert "--strict" in strict.stderr
    assert strict.stdout == ""


def test_several_directories_may_not_write_the_same_output(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_bytes(sample_input(CASES[0]))
    result = run("clean", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "would be written there" in result.stderr
    assert not (tmp_path / "out").exists()


def test_workers_default_to_the_number_of_cores(tmp_path, monkeypatch):
    import cleaner.batch.pool

    seen = []
    original = cleaner.batch.pool.run_jobs

    def spy(jobs, run_, workers):
        seen.append(workers)
        return original(jobs, run_, 1)

    monkeypatch.setattr(cleaner.batch.pool, "run_jobs", spy)
    make_tree(tmp_path / "in")
    assert run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")).exit_code == 0
    assert seen == [os.cpu_count()]


def test_large_and_small_files_on_the_pool_match_one_worker(tmp_path):
    tree = tmp_path / "in"
    make_tree(tree, copies=2)
    joined = "\n\nA plain paragraph of prose sits between the two pages here.\n\n".join(
        sample_input(c).decode() for c in CASES
    )
    (tree / "0-large.txt").write_text(joined, encoding="utf-8")
    for output_format in ("text", "jsonl"):
        one = run("clean", str(tree), "-j", "1", "--format", output_format)
        two = run("clean", str(tree), "-j", "2", "--format", output_format)
        assert one.exit_code == two.exit_code == 0
        assert one.stdout == two.stdout
    alone = run("clean", "--format", "jsonl", str(tree / "0-large.txt"))
    assert one.stdout.splitlines()[0] == json.dumps(json.loads(alone.stdout), ensure_ascii=False)
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        assert run("clean", str(tree), "-j", workers, "-o", str(out)).exit_code == 0
    assert (tmp_path / "out1" / "0-large.txt").read_bytes() == (
        tmp_path / "out2" / "0-large.txt"
    ).read_bytes()
    assert (tmp_path / "out1" / "0-large.txt").read_text("utf-8") == whole_text(tree / "0-large.txt")
    assert not list(tmp_path.rglob("*.tmp"))


@installed
def test_subprocess_stats_json_quiet_and_a_joined_file(tmp_path):
    tree = tmp_path / "in"
    make_tree(tree)
    (tree / "broken.txt").write_bytes(b"\x00")
    joined = "\n\nA plain paragraph of prose sits between the two pages here.\n\n".join(
        sample_input(c).decode() for c in CASES
    )
    (tree / "large.txt").write_text(joined, encoding="utf-8")
    stats = tmp_path / "stats.json"
    command = [
        EXE,
        "clean",
        str(tree),
        "-o",
        str(tmp_path / "out"),
        "-q",
        "--stats-json",
        str(stats),
    ]
    done = subprocess.run(command, capture_output=True, check=False)
    assert done.returncode == 123
    assert (
        done.stderr.decode()
        == f"cleaner: error: {tree / 'broken.txt'}: binary file (NUL byte at offset 0); not cleaned\n"
    )
    assert json.loads(stats.read_text("utf-8"))["documents"]["changed"] == len(CASES) + 1
    assert (tmp_path / "out" / "large.txt").read_text("utf-8") == whole_text(tree / "large.txt")
