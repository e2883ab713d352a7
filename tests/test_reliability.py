"""Nothing lost, nothing overwritten, nothing hangs: writes, reads, batches, size and messages.

Each test names a class of input that once lost data, hung, aborted a batch, gave another
result at another size, or misled with its message (see README, Guarantees).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Options, clean_text, load_rules
from cleaner.cli.main import cli
from cleaner.text.decoding import decode_bytes
from tests.conftest import CASES, sample_expected, sample_input

EXE = str(Path(sys.executable).parent / "cleaner")
CASE = CASES[0]


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=stdin)


def command(*args: str, stdin: bytes | None = None, timeout: float = 60, **kwargs):
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, timeout=timeout, check=False, **kwargs
    )


def page(tmp_path: Path, name: str = "page.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(sample_input(CASE))
    return path


def no_traceback(stderr: str | bytes) -> bool:
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    return "Traceback" not in text


# -- Writing -----------------------------------------------------------------------------


def test_output_into_a_fifo_writes_a_stream_and_keeps_the_fifo(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = command("clean", str(page(tmp_path)), "-o", str(fifo))
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert received == [sample_expected(CASE).encode("utf-8")]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_to_a_device_keeps_the_device(tmp_path):
    # A device node of our own (like /dev/null), so that a regression cannot replace the
    # machine's /dev/null; without root, the same path through the code is the FIFO above.
    from cleaner.batch.writing import is_stream

    assert is_stream("/dev/null") and is_stream("/dev/stdout") and is_stream("/dev/fd/1")
    if os.geteuid() != 0:
        return
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = run("clean", "-o", str(device), "-", stdin=sample_input(CASE))
    assert result.exit_code == 0, result.stderr
    after = device.lstat()
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == os.makedev(1, 3)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_stats_json_to_stdout_writes_into_stdout(tmp_path):
    # /dev/fd/1 takes the same path as /dev/stdout (a stream, never replaced); a regression
    # could not replace the /dev/stdout link of the machine through it.
    done = command("clean", str(page(tmp_path)), "-o", str(tmp_path / "out.txt"), "--stats-json", "/dev/fd/1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["documents"]["changed"] == 1


def test_output_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert run("clean", str(page(tmp_path)), "-o", str(link)).exit_code == 0
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text("utf-8") == sample_expected(CASE)
    stats_link = tmp_path / "stats-link.json"
    stats_link.symlink_to(tmp_path / "stats.json")
    assert run("clean", str(page(tmp_path)), "-o", str(link), "--stats-json", str(stats_link)).exit_code == 0
    assert stats_link.is_symlink() and json.loads((tmp_path / "stats.json").read_text("utf-8"))["documents"]


def test_output_naming_an_input_is_refused(tmp_path):
    first, second = page(tmp_path, "a.txt"), page(tmp_path, "b.txt")
    result = run("clean", str(first), str(second), "-o", str(second))
    assert result.exit_code == 2
    assert result.stderr == f"cleaner: error: -o {second}: is the input {second}; it would be overwritten\n"
    assert second.read_bytes() == sample_input(CASE)
    tree = tmp_path / "tree"
    tree.mkdir()
    inside = page(tree, "c.txt")
    alias = tmp_path / "alias.txt"
    alias.symlink_to(inside)
    assert run("clean", str(tree), "--format", "jsonl", "-o", str(alias)).exit_code == 2
    assert run("clean", str(first), "-o", str(tmp_path / "x.txt"), "--stats-json", str(first)).exit_code == 2
    assert inside.read_bytes() == first.read_bytes() == sample_input(CASE)


def test_in_place_writes_through_links_and_cleans_each_file_once(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    target = page(tree, "a.txt")
    (tree / "b-link.txt").symlink_to("a.txt")
    direct = tmp_path / "direct.txt"
    direct.symlink_to(target)
    stats = tmp_path / "stats.json"
    result = run("clean", "--in-place", str(tree), str(direct), "--stats-json", str(stats))
    assert result.exit_code == 0, result.stderr
    assert (tree / "b-link.txt").is_symlink() and direct.is_symlink()
    assert target.read_text("utf-8") == sample_expected(CASE)
    assert json.loads(stats.read_text("utf-8"))["documents"]["total"] == 1  # one file, seen three ways
    assert run("clean", "--check", str(tree), str(direct)).exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_in_place_keeps_owner_and_group(tmp_path):
    path = page(tmp_path)
    os.chown(path, 4321, 4322)
    path.chmod(0o640)
    assert run("clean", "--in-place", str(path)).exit_code == 0
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4321, 4322, 0o640)
    assert path.read_text("utf-8") == sample_expected(CASE)


def test_trailing_slash_names_an_output_directory(tmp_path):
    result = run("clean", str(page(tmp_path)), "-o", f"{tmp_path / 'newdir'}/")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "newdir" / "page.txt").read_text("utf-8") == sample_expected(CASE)
    assert run("clean", "-", "-o", f"{tmp_path / 'newdir'}/", stdin=b"x\n").exit_code == 2


def test_write_errors_name_the_output_not_a_temporary_file(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    source = page(tree)
    out = tmp_path / "out"
    out.mkdir()
    (out / "page.txt").mkdir()  # in the way of the output file
    result = run("clean", str(tree), "-o", str(out))
    assert result.exit_code == 123
    assert result.stderr.startswith(f"cleaner: error: {out / 'page.txt'}: cannot write")
    assert str(source) in result.stderr and ".tmp" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only directory")
def test_read_only_output_directory_is_named(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        result = run("clean", str(page(tmp_path)), "-o", str(out / "x.txt"))
    finally:
        out.chmod(0o700)
    assert result.exit_code == 123
    assert result.stderr == f"cleaner: error: {out / 'x.txt'}: cannot write: permission denied\n"


# -- Reading -----------------------------------------------------------------------------


def test_special_files_in_a_tree_are_skipped_with_a_note(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    page(tree, "a.txt")
    os.mkfifo(tree / "fifo.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tree / "socket.txt"))
    try:
        done = command("clean", str(tree), "--format", "jsonl", timeout=30)
    finally:
        server.close()
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr.decode().splitlines() == [
        f"cleaner: warning: {tree / 'fifo.txt'}: skipped: not a regular file (a FIFO)",
        f"cleaner: warning: {tree / 'socket.txt'}: skipped: not a regular file (a socket)",
    ]


def test_a_file_that_turns_into_a_fifo_after_the_walk_is_not_read(tmp_path):
    from cleaner.batch.process import Job, Run, process

    fifo = tmp_path / "late.txt"
    os.mkfifo(fifo)
    outcome = process(Job(str(fifo), str(fifo), walked=True), Run(Options(rules=load_rules())))
    assert outcome.errors == [f"{fifo}: not a regular file (a FIFO); not read"]


def test_dev_zero_on_a_path_and_on_stdin_ends_in_one_line(tmp_path):
    on_path = command("clean", "/dev/zero", timeout=30)
    assert on_path.returncode == 123
    assert on_path.stderr == b"cleaner: error: /dev/zero: binary file (NUL byte at offset 0); not cleaned\n"
    with Path("/dev/zero").open("rb") as zero:
        on_stdin = subprocess.run(
            [EXE, "clean", "-"], stdin=zero, capture_output=True, timeout=30, check=False
        )
    assert on_stdin.returncode == 123
    assert on_stdin.stderr == b"cleaner: error: <stdin>: binary file (NUL byte at offset 0); not cleaned\n"


def test_size_and_line_limits_are_clear_and_can_be_raised(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(sample_input(CASE) * 40)
    result = run("clean", "--max-bytes", "64K", str(big))
    assert result.exit_code == 123
    assert (
        result.stderr == f"cleaner: error: {big}: larger than 65536 bytes (raise --max-bytes to clean it)\n"
    )
    assert run("clean", "--max-bytes", "1M", str(big)).exit_code == 0
    long_line = tmp_path / "long.txt"
    long_line.write_bytes(b"Headline\n\n" + b"word " * 300_000 + b"\n")
    result = run("clean", "--max-line-bytes", "1M", str(long_line))
    assert result.exit_code == 123
    assert result.stderr == (
        f"cleaner: error: {long_line}: a line longer than 1 MiB at byte offset 10 "
        "(raise --max-line-bytes to clean it)\n"
    )
    assert run("clean", "--max-line-bytes", "2M", str(long_line)).exit_code == 0
    assert run("clean", "--max-bytes", "lots", str(big)).exit_code == 2


def test_line_limit_holds_inside_one_read_piece():
    import io

    from cleaner.batch.sources import Limits, read_bounded
    from cleaner.errors import InputError

    data = b"short\n" + b"x" * 50 + b"\nshort\n"
    with pytest.raises(InputError, match="at byte offset 6"):
        read_bounded(io.BytesIO(data), "x", Limits(max_line_bytes=40))
    assert read_bounded(io.BytesIO(data), "x", Limits(max_line_bytes=50)) == data
    assert read_bounded(io.BytesIO(b"a\r" * 100), "x", Limits(max_line_bytes=1)) == b"a\r" * 100


# Runs a command as a child of its own and prints that child's peak memory and exit code: a
# child forked from this test process would count its pages in its ru_maxrss.
PEAK = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execv(sys.argv[1], sys.argv[1:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))\n"
)


def test_memory_stays_bounded_by_the_limit_on_an_endless_input():
    # `yes` never ends and never has a NUL: only the size limit stops it.
    producer = subprocess.Popen(["yes", "A line of text that goes on and on."], stdout=subprocess.PIPE)
    assert producer.stdout is not None
    done = subprocess.run(
        [sys.executable, "-c", PEAK, EXE, "clean", "--max-bytes", "16M", "-"],
        stdin=producer.stdout,
        capture_output=True,
        check=False,
        timeout=60,
    )
    producer.stdout.close()
    producer.kill()
    producer.wait()
    peak_kib, code = (int(field) for field in done.stdout.split())
    assert code == 123
    assert peak_kib * 1024 < 200 * 1024 * 1024  # the limit (16 MiB) plus the interpreter
    assert done.stderr == b"cleaner: error: <stdin>: larger than 16 MiB (raise --max-bytes to clean it)\n"


# -- One bad entry never aborts a batch -------------------------------------------------


def test_symlink_loops_and_broken_links_in_a_tree_do_not_stop_the_batch(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    page(tree, "good.txt")
    (tree / "loop1.txt").symlink_to("loop2.txt")
    (tree / "loop2.txt").symlink_to("loop1.txt")
    (tree / "broken.txt").symlink_to("gone.txt")
    result = run("clean", str(tree), "-o", str(tmp_path / "out"))
    assert result.exit_code == 123
    assert sorted(result.stderr.splitlines()) == [
        f"cleaner: error: {tree / 'broken.txt'}: broken symbolic link (its target gone.txt does not exist)",
        f"cleaner: error: {tree / 'loop1.txt'}: symbolic link loop",
        f"cleaner: error: {tree / 'loop2.txt'}: symbolic link loop",
    ]
    assert (tmp_path / "out" / "good.txt").read_text("utf-8") == sample_expected(CASE)


def test_a_link_that_breaks_after_the_walk_is_named_broken(tmp_path):
    from cleaner.batch.process import Job, Run, process

    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    outcome = process(Job(str(link), str(link), walked=True), Run(Options(rules=load_rules())))
    assert outcome.errors == [
        f"{link}: broken symbolic link (its target {tmp_path / 'gone.txt'} does not exist)"
    ]
    named = run("clean", str(link)).stderr
    assert (
        named
        == f"cleaner: error: {link}: broken symbolic link (its target {tmp_path / 'gone.txt'} does not exist)\n"
    )


def test_names_that_are_not_utf8_keep_jsonl_valid_and_the_output_file_whole(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    raw = os.fsencode(tree) + b"/caf\xe9.txt"
    with open(raw, "wb") as handle:  # noqa: PTH123  (a bytes path)
        handle.write(sample_input(CASE))
    page(tree, "plain.txt")
    done = command("clean", str(tree), "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [Path(o["source"]).name for o in objects] == ["caf\\xe9.txt", "plain.txt"]
    out = tmp_path / "all.jsonl"
    done = command("clean", str(tree), "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0 and no_traceback(done.stderr)
    assert len(out.read_text("utf-8").splitlines()) == 2
    mirrored = tmp_path / "mirror"
    assert command("clean", str(tree), "-o", str(mirrored)).returncode == 0
    assert (os.fsencode(mirrored) + b"/caf\xe9.txt") in [os.fsencode(p) for p in mirrored.iterdir()]


# -- Size never changes the result ------------------------------------------------------


def test_split_on_makes_documents_of_one_file(tmp_path):
    documents = [sample_input(case).decode("utf-8") for case in CASES[:3]]
    path = tmp_path / "many.txt"
    path.write_text("\n=====\n".join(documents), encoding="utf-8")  # the samples end without one
    options = Options(rules=load_rules())
    cleaned = [clean_text(text, options) for text in documents]
    objects = [
        json.loads(x)
        for x in run("clean", "--split-on", "=+", "--format", "jsonl", str(path)).stdout.splitlines()
    ]
    assert [o["text"] for o in objects] == [c.body for c in cleaned]
    n0, n1 = documents[0].count("\n"), documents[1].count("\n")
    firsts = [1, n0 + 3, n0 + n1 + 5]
    assert [o["source"] for o in objects] == [f"{path}:{n}" for n in firsts]
    assert objects[1]["removed"][0]["line"] >= firsts[1]
    text = run("clean", "--split-on", "=+", str(path)).stdout
    assert text == "=====\n".join(c.text for c in cleaned)
    assert run("clean", "--split-on", "=+", "--in-place", str(path)).exit_code == 0
    assert path.read_text("utf-8") == text
    assert run("clean", "--split-on", "=+", "--check", str(path)).exit_code == 0
    assert run("clean", "--split-on", "(", str(path)).exit_code == 2
    assert run("clean", "--split-on", ".*", str(path)).exit_code == 2


def test_explain_of_a_large_file_agrees_with_clean(tmp_path):
    from tests.test_hard_input import long_article

    path = tmp_path / "large.txt"
    path.write_text(long_article(3_000), encoding="utf-8")
    explained = json.loads(run("explain", "--format", "json", str(path)).stdout)
    cleaned = json.loads(run("clean", "--format", "json", str(path)).stdout)
    assert explained["title"] == cleaned["title"]
    removed = [line["line"] for line in explained["lines"] if line["status"] == "removed"]
    assert removed == [entry["line"] for entry in cleaned["removed"]]


# -- Messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_decoded(tmp_path, codec):
    from cleaner.text.decoding import sniff_wide_unicode

    text = sample_input(CASE).decode("utf-8")
    data = text.encode(codec)
    assert sniff_wide_unicode(data) == codec
    assert decode_bytes(data, "x").text == text
    path = tmp_path / "wide.txt"
    path.write_bytes(data)
    result = run("clean", str(path))
    assert result.exit_code == 0
    assert result.stdout == sample_expected(CASE)
    assert result.stderr.startswith(f"cleaner: warning: {path}: no BOM and NUL bytes; detected {codec}")
    assert result.stderr.count("\n") == 1


def test_binary_stays_binary():
    from cleaner.text.decoding import sniff_wide_unicode

    for data in (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"\x00" * 64, bytes(range(256))):
        assert sniff_wide_unicode(data) is None


def test_bogus_encoding_is_a_usage_error_before_any_file(tmp_path):
    for command_args in (["clean"], ["explain"]):
        result = run(*command_args, "--encoding", "bogus", str(page(tmp_path)))
        assert result.exit_code == 2
        assert result.stderr == "cleaner: error: --encoding 'bogus': unknown encoding\n"
    assert run("clean", "--encoding", "rot13", str(page(tmp_path))).exit_code == 2


def test_ascii_stdio_encoding_gives_no_traceback(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = command("clean", str(page(tmp_path)), env=env)
    assert done.returncode == 0 and done.stdout.decode("utf-8") == sample_expected(CASE)
    latin = tmp_path / "é.txt"
    latin.write_bytes("Café\n\nLe café a ouvert lundi, a dit le patron aujourd’hui.\n".encode("cp1252"))
    done = command("clean", str(latin), env=env)
    assert done.returncode == 0 and no_traceback(done.stderr) and b"not valid UTF-8" in done.stderr


def test_explain_into_a_closed_pipe_exits_141(tmp_path):
    body = "".join(f"Sentence {i} of the article body goes here, the editors said.\n\n" for i in range(6_000))
    path = tmp_path / "big.txt"
    path.write_text("Headline\n\n" + body, encoding="utf-8")
    for args in (["explain", str(path)], ["clean", str(path)]):
        done = subprocess.run(
            f"'{EXE}' {' '.join(args)} | head -1 > /dev/null; echo ${{PIPESTATUS[0]}}",
            shell=True,
            executable="/bin/bash",
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert done.stdout.strip() == b"141", args
        assert done.stderr == b""


def test_a_link_in_the_output_directory_is_not_followed_out_of_it(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    page(tree, "a.txt")
    page(tree, "b.txt")
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("keep\n", encoding="utf-8")
    (out / "a.txt").symlink_to(outside)
    (out / "b.txt").symlink_to("b-real.txt")  # inside the output directory: written through
    result = run("clean", str(tree), "-o", str(out))
    assert result.exit_code == 123
    assert result.stderr == (
        f"cleaner: error: {out / 'a.txt'}: symbolic link out of the output directory; "
        f"not written through (the output of {tree / 'a.txt'})\n"
    )
    assert outside.read_text("utf-8") == "keep\n"
    assert (out / "b.txt").is_symlink() and (out / "b-real.txt").read_text("utf-8") == sample_expected(CASE)


def test_a_refused_write_names_the_output(tmp_path):
    # Root may write into a read-only directory, so the refusal is injected (tests/faults).
    faults = {"write": {"x.txt": 13}}  # EACCES
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parent / "faults"),
        "CLEANER_FAULTS": json.dumps(faults),
    }
    out = tmp_path / "out"
    out.mkdir()
    done = command("clean", str(page(tmp_path)), "-o", str(out / "x.txt"), env=env)
    assert done.returncode == 123
    assert done.stderr.decode() == f"cleaner: error: {out / 'x.txt'}: cannot write: permission denied\n"
    tree = tmp_path / "tree"
    tree.mkdir()
    source = page(tree, "x.txt")
    done = command("clean", str(tree), "-o", str(out), env=env)
    assert done.returncode == 123
    assert done.stderr.decode() == (
        f"cleaner: error: {out / 'x.txt'}: cannot write: permission denied (the output of {source})\n"
    )
    assert not [p for p in out.rglob("*") if p.is_file()]
