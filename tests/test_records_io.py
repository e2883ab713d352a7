"""Records at URLs (fsspec: memory://, file://), and progress on a terminal only."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_records import read_jsonl, records, run, write_jsonl

fsspec = pytest.importorskip("fsspec")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")


def memory(path: str, data: bytes | None = None) -> bytes:
    """Write (or read) one file of fsspec's in-memory file system."""
    fs = fsspec.filesystem("memory")
    if data is not None:
        fs.pipe_file(path, data)
        return data
    return bytes(fs.cat_file(path))


def test_jsonl_from_and_to_memory_urls_as_from_local_files(tmp_path):
    source = tmp_path / "shard.jsonl.zst"
    write_jsonl(source, records(12))
    local = run("clean", str(source), "-o", str(tmp_path / "out.jsonl.zst"), "-j", "1", "-q")
    memory("/records/a/shard.jsonl.zst", source.read_bytes())
    remote = run(
        "clean", "memory://records/a/shard.jsonl.zst", "-o", "memory://records/a/out.jsonl.zst",
        "-j", "1", "-q", "--exclusions", "memory://records/a/ex.jsonl", "--max-removed", "0.2",
    )  # fmt: skip
    assert local.exit_code == remote.exit_code == 0, remote.stderr
    assert memory("/records/a/out.jsonl.zst") == (tmp_path / "out.jsonl.zst").read_bytes()
    excluded = [json.loads(line) for line in memory("/records/a/ex.jsonl").splitlines()]
    assert excluded and all(row["cleaner_exclusion"]["location"].startswith("memory://") for row in excluded)
    # no temporary object is left beside the output
    assert sorted(fsspec.filesystem("memory").ls("/records/a", detail=False)) == [
        "/records/a/ex.jsonl", "/records/a/out.jsonl.zst", "/records/a/shard.jsonl.zst",
    ]  # fmt: skip


def test_parquet_and_a_directory_at_urls(tmp_path):
    rows = records(10)
    local = tmp_path / "part.parquet"
    pq.write_table(pa.Table.from_pylist(rows), str(local), row_group_size=4)
    memory("/records/b/in/part.parquet", local.read_bytes())
    memory("/records/b/in/shard.jsonl", b"".join(json.dumps(r).encode() + b"\n" for r in rows))
    result = run(
        "clean", "memory://records/b/in/part.parquet", "memory://records/b/in/shard.jsonl",
        "-o", "memory://records/b/out/", "-j", "1", "-q",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    with fsspec.open("memory://records/b/out/part.parquet", "rb") as handle:
        cleaned = pq.ParquetFile(handle)
        assert cleaned.num_row_groups == 3
        table = cleaned.read()
    lines = [json.loads(line) for line in memory("/records/b/out/shard.jsonl").splitlines()]
    assert table.to_pylist() == lines
    assert [row["id"] for row in lines] == [row["id"] for row in rows]
    assert lines[0]["text"] != rows[0]["text"]


def test_bad_urls_are_one_line_each(tmp_path):
    missing = run("clean", "memory://records/nowhere/shard.jsonl", "-q")
    assert missing.exit_code == 123
    assert missing.stderr == "cleaner: error: memory://records/nowhere/shard.jsonl: no such file\n"
    unknown = run("clean", "nosuch://bucket/shard.jsonl", "-q")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("cleaner: error: nosuch://bucket/shard.jsonl: ")
    assert len(unknown.stderr.splitlines()) == 1 and "Traceback" not in unknown.stderr
    # a corrupt Parquet file at a URL: no output object appears
    memory("/records/c/bad.parquet", b"not parquet at all")
    bad = run("clean", "memory://records/c/bad.parquet", "-o", "memory://records/c/out.parquet", "-q")
    assert (
        bad.exit_code == 123 and "memory://records/c/bad.parquet: not a readable Parquet file" in bad.stderr
    )
    assert not fsspec.filesystem("memory").exists("/records/c/out.parquet")


def test_an_aborted_write_to_a_url_leaves_nothing():
    from cleaner.records.formats import JsonlWriter

    writer = JsonlWriter("memory://records/d/out.jsonl.gz", "gzip")
    writer.write(b'{"a": 1}\n')
    writer.abort()
    assert not fsspec.filesystem("memory").exists("/records/d/out.jsonl.gz")
    writer = JsonlWriter("memory://records/d/out.jsonl", None)
    writer.write(b'{"a": 1}\n')
    assert not fsspec.filesystem("memory").exists("/records/d/out.jsonl")  # not before close
    writer.close()
    assert memory("/records/d/out.jsonl") == b'{"a": 1}\n'


def test_file_urls_with_workers_in_a_subprocess(tmp_path):
    source = tmp_path / "shard 1.jsonl.gz"
    write_jsonl(source, records(20))
    url = source.as_uri()
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", url, "-o", (tmp_path / "out.jsonl.gz").as_uri(), "-j", "2"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    one = run("clean", str(source), "-j", "1", "-q")
    assert [json.dumps(r) for r in read_jsonl(tmp_path / "out.jsonl.gz")] == [
        json.dumps(json.loads(line)) for line in one.stdout.splitlines()
    ]


def _on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[bytes, bytes, int]:
    """Run cleaner with stderr on a pseudo-terminal and stdout on a pipe: (stdout, terminal, code)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cleaner", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=follower,
        stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "120", **env},
    )  # fmt: skip
    os.close(follower)
    screen = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        screen += data
    stdout = process.stdout.read() if process.stdout else b""
    code = process.wait(timeout=60)
    os.close(leader)
    return stdout, screen, code


SGR_COLOUR = re.compile(rb"\x1b\[[0-9;]*(3[0-9]|38;[0-9;]+)m")


@pytest.mark.parametrize("no_color", [False, True])
def test_progress_on_a_terminal_and_stdout_only_records(tmp_path, no_color):
    source = tmp_path / "shard.jsonl"
    write_jsonl(source, records(8))
    env = {"NO_COLOR": "1"} if no_color else {"FORCE_COLOR": "1"}
    env["TERM"] = "xterm-256color"
    stdout, screen, code = _on_a_terminal(["clean", "shard.jsonl", "-j", "1"], tmp_path, env)
    assert code == 0, screen
    # stdout: the records and nothing else
    assert [json.loads(line)["id"] for line in stdout.splitlines()] == [f"doc-{i}" for i in range(8)]
    assert b"\x1b" not in stdout
    assert b"cleaning" in screen and b"records" in screen  # the progress bar, on the terminal
    assert bool(SGR_COLOUR.search(screen)) is not no_color
    # piped, stderr gets no progress at all
    piped = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", "shard.jsonl", "-j", "1"],
        cwd=tmp_path, capture_output=True, check=False,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == b"" and piped.stdout == stdout


def test_progress_follows_the_bytes_read(tmp_path):
    from cleaner.records.corpus import RecordSettings
    from cleaner.records.formats import RecordFormat
    from cleaner.records.shards import Cleaner, RecordJob, Sink, clean_file

    source = tmp_path / "shard.jsonl"
    write_jsonl(source, [{"id": i, "text": f"Title {i}\n\nA short body, number {i}."} for i in range(150)])
    seen: list[int] = []
    shape = RecordFormat("jsonl")
    job = RecordJob(str(source), "shard.jsonl", shape, str(tmp_path / "o.jsonl"), shape)
    sink = Sink(lambda counts, messages: None, lambda message: None, None, seen.append)
    cleaner = Cleaner(RecordSettings(), workers=1, excluding=False)
    clean_file(job, cleaner, sink, check=False, size=source.stat().st_size)
    assert len(seen) == 3 and seen == sorted(seen) and seen[-1] == source.stat().st_size


def test_text_files_on_stdout_with_progress_on_a_terminal(tmp_path):
    # Progress on stderr must not take stdout over: the cleaned text goes to stdout.
    from tests.conftest import CASES, SAMPLES, sample_expected

    names = [f"{case}.input.txt" for case in CASES[:2]]
    stdout, screen, code = _on_a_terminal(["clean", *names, "-j", "1"], SAMPLES, {})
    assert code == 0, screen
    piped = subprocess.run(
        [sys.executable, "-m", "cleaner", "clean", *names, "-j", "1"],
        cwd=SAMPLES,
        capture_output=True,
        check=True,
    )
    assert stdout == piped.stdout and sample_expected(CASES[1]).encode("utf-8") in stdout
