"""Fault injection, with real processes: signals at random moments of a parallel --in-place
run, a full disk, unreadable and vanishing files, special files, hostile names and hostile
rule files. After each: every file is its original or its cleaned version, no temporary
file is left anywhere, no process is left running, and stderr holds no traceback.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CASES, sample_expected, sample_input

EXE = str(Path(sys.executable).parent / "cleaner")
FAULTS = Path(__file__).parent / "faults"  # sitecustomize.py that injects OS errors


def command(
    *args: str, faults: dict | None = None, timeout: float = 60, **kwargs
) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if faults is not None:
        env["PYTHONPATH"] = f"{FAULTS}{os.pathsep}{env.get('PYTHONPATH', '')}"
        env["CLEANER_FAULTS"] = json.dumps(faults)
    return subprocess.run([EXE, *args], capture_output=True, timeout=timeout, check=False, env=env, **kwargs)


def make_tree(root: Path, files: int) -> dict[Path, tuple[bytes, bytes]]:
    """`files` sample copies under root, in a few folders: path -> (original, cleaned)."""
    versions = {}
    for number in range(files):
        case = CASES[number % len(CASES)]
        path = root / f"d{number % 7}" / f"{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sample_input(case))
        versions[path] = (sample_input(case), sample_expected(case).encode("utf-8"))
    return versions


def leftovers(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.endswith(".tmp") or ".cleaner-" in path.name]


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line mentions `text` (workers share the parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes()
            status = (entry / "status").read_text()
            if text.encode() in cmdline and "State:\tZ" not in status:
                found.append(int(entry.name))
    return found


def no_traceback(stderr: bytes) -> bool:
    return b"Traceback" not in stderr


# -- Signals ----------------------------------------------------------------------------

SIGNALS = [
    ("SIGINT", [signal.SIGINT], False, 130),
    ("SIGTERM", [signal.SIGTERM], False, 143),
    ("two Ctrl-C", [signal.SIGINT, signal.SIGINT], False, 130),
    ("Ctrl-C to the process group", [signal.SIGINT], True, 130),
    ("SIGTERM then Ctrl-C", [signal.SIGTERM, signal.SIGINT], False, 143),
]


@pytest.mark.parametrize(("label", "signals", "group", "code"), SIGNALS, ids=[s[0] for s in SIGNALS])
def test_a_signal_at_a_random_moment_of_a_parallel_in_place_run(tmp_path, label, signals, group, code):
    tree = tmp_path / "tree"
    versions = make_tree(tree, 240)
    rng = random.Random(f"{label}-{os.getpid()}")
    process = subprocess.Popen(
        [EXE, "clean", "--in-place", str(tree), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=group,
    )
    first = next(iter(versions))  # the walk is sorted: this one is among the first done
    deadline = time.monotonic() + 20
    while first.read_bytes() == versions[first][0] and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(rng.uniform(0, 0.6))
    for signum in signals:
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
        time.sleep(rng.uniform(0, 0.05))
    _, stderr = process.communicate(timeout=30)  # a hang fails here
    assert process.returncode in (code, 0), stderr  # 0: it finished before the signal
    assert no_traceback(stderr)
    if process.returncode:
        assert stderr.endswith(b"cleaner: interrupted\n" if code == 130 else b"cleaner: terminated\n")
    time.sleep(0.2)
    assert processes_mentioning(str(tree)) == []
    assert leftovers(tmp_path) == []
    states = [path.read_bytes() for path in versions]
    for path, now in zip(versions, states, strict=True):
        assert now in versions[path], path  # the original or the cleaned version, never half
    rerun = command("clean", "--in-place", str(tree), "-j", "2")  # and a second run finishes the job
    assert rerun.returncode == 0
    assert all(path.read_bytes() == cleaned for path, (_, cleaned) in versions.items())


def test_sigterm_to_a_single_process_run_leaves_no_temporary_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(
        "Headline\n\n"
        + "".join(f"Sentence {i} of a long article, the editors said.\n\n" for i in range(150_000)),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [EXE, "clean", str(big), "-o", str(tmp_path / "out.txt")], stderr=subprocess.PIPE
    )
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert (process.returncode, stderr) in ((143, b"cleaner: terminated\n"), (0, b""))
    assert leftovers(tmp_path) == []


# -- Full disk --------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(where: Path, size: str = "96k") -> Iterator[bool]:
    """A tiny tmpfs at `where` when this machine allows it (root); False when it does not."""
    where.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            check=False,
        )
    except OSError:
        mounted = None
    try:
        yield mounted is not None and mounted.returncode == 0
    finally:
        if mounted is not None and mounted.returncode == 0:
            subprocess.run(["umount", str(where)], capture_output=True, check=False)


def test_a_full_disk_names_the_output_and_tears_nothing(tmp_path):
    tree = tmp_path / "in"
    versions = make_tree(tree, 60)
    out = tmp_path / "disk"
    with small_disk(out) as real:
        faults = None if real else {"write": {"000": errno.ENOSPC}}
        done = command("clean", str(tree), "-o", str(out), "-j", "2", faults=faults)
        assert done.returncode == 123
        assert no_traceback(done.stderr)
        errors = done.stderr.decode().splitlines()
        assert errors and all(": cannot write: no space left on device (the output of " in e for e in errors)
        assert not any(".tmp" in e or ".cleaner-" in e for e in errors)
        written = list(out.rglob("*.txt"))
        for path in written:  # what was written is whole
            source = tree / path.relative_to(out)
            assert path.read_bytes() == versions[source][1]
        assert leftovers(out) == []
        one_file = command(
            "clean", str(next(iter(versions))), "-o", str(out / "one" / "x.txt"), faults=faults
        )
        assert one_file.returncode == 123 and no_traceback(one_file.stderr)


def test_in_place_on_a_full_disk_keeps_the_originals(tmp_path):
    tree = tmp_path / "tree"
    versions = make_tree(tree, 30)
    done = command("clean", "--in-place", str(tree), faults={"write": {"0001": errno.ENOSPC}})
    assert done.returncode == 123 and no_traceback(done.stderr)
    for path, (original, cleaned) in versions.items():
        assert path.read_bytes() == (original if "0001" in path.name else cleaned)
    assert leftovers(tmp_path) == []
    assert f"{tree / 'd3' / '00010.txt'}: cannot write: no space left on device" in done.stderr.decode()


# -- Unreadable and vanishing files -----------------------------------------------------


def test_unreadable_vanishing_and_failing_files_do_not_stop_the_others(tmp_path):
    tree = tmp_path / "tree"
    versions = make_tree(tree, 40)
    faults = {"read": {"00003": errno.EACCES, "00005": "vanish", "00007": errno.EIO}}
    done = command("clean", str(tree), "-o", str(tmp_path / "out"), "-j", "2", faults=faults)
    assert done.returncode == 123 and no_traceback(done.stderr)
    assert sorted(done.stderr.decode().splitlines()) == sorted(
        [
            f"cleaner: error: {tree / 'd3' / '00003.txt'}: permission denied",
            f"cleaner: error: {tree / 'd5' / '00005.txt'}: no such file (it vanished before it could be read)",
            f"cleaner: error: {tree / 'd0' / '00007.txt'}: input/output error",
        ]
    )
    written = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.txt"))
    assert len(written) == len(versions) - 3
    for relative in written:
        assert (tmp_path / "out" / relative).read_bytes() == versions[tree / relative][1]


# -- Special files and hostile names ----------------------------------------------------


def test_special_files_in_a_tree_never_block(tmp_path):
    tree = tmp_path / "tree"
    make_tree(tree, 5)
    os.mkfifo(tree / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tree / "sock.txt"))
    # Devices of our own, never links to the machine's /dev: a regression under --in-place
    # must not be able to replace a real device.
    if os.geteuid() == 0:
        os.mknod(tree / "device.txt", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero
        (tree / "device-link.txt").symlink_to("device.txt")
    try:
        for args in (["--format", "jsonl"], ["--check"], ["--in-place"], ["-o", str(tmp_path / "out")]):
            done = command("clean", str(tree), *args, "-j", "2", timeout=30)
            assert done.returncode in (0, 1, 123), done.stderr
            assert no_traceback(done.stderr)
            assert done.stderr.count(b"skipped: not a regular file") == 2 + 2 * (os.geteuid() == 0)
    finally:
        server.close()
    assert stat_kind(tree / "pipe.txt") == "fifo"
    if os.geteuid() == 0:
        assert stat.S_ISCHR((tree / "device.txt").lstat().st_mode)
        assert (tree / "device-link.txt").is_symlink()


def stat_kind(path: Path) -> str:
    return "fifo" if stat.S_ISFIFO(path.lstat().st_mode) else "other"


HOSTILE_NAMES = [
    b"-rf.txt",
    b"--in-place.txt",
    b"new\nline.txt",
    b"tab\there.txt",
    b"caf\xe9.txt",
    b"\xff\xfe.txt",
    b" leading space.txt",
    b"quote\"'.txt",
    b"x" * 250 + b".txt",
    b"emoji-\xf0\x9f\x98\x80.txt",
    b"back\\slash.txt",
]


def test_hostile_names_are_cleaned_and_reported_as_valid_json(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in HOSTILE_NAMES:
        with open(os.fsencode(tree) + b"/" + name, "wb") as handle:  # noqa: PTH123  (bytes path)
            handle.write(sample_input(CASES[0]))
    done = command("clean", str(tree), "--format", "jsonl", "-j", "2")
    assert done.returncode == 0 and no_traceback(done.stderr)
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert len(objects) == len(HOSTILE_NAMES)
    mirrored = tmp_path / "out"
    assert command("clean", str(tree), "-o", str(mirrored)).returncode == 0
    assert sorted(os.fsencode(p.name) for p in mirrored.iterdir()) == sorted(HOSTILE_NAMES)
    assert command("clean", "--in-place", str(tree), "-j", "2").returncode == 0
    assert command("clean", "--check", str(tree)).returncode == 0
    assert leftovers(tmp_path) == []


# -- Hostile rule files -----------------------------------------------------------------

RULE_FILES = {
    "deep nesting": ("a = " + "[" * 3000 + "]" * 3000 + "\n").encode(),
    "deep tables": ("x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n").encode(),
    "bad teaser_end": b'[settings]\nteaser_end = "(unclosed"\n',
    "bad sentence_end": b'[settings]\nsentence_end = "[a-"\n',
    "match_timeout zero": b"[settings]\nmatch_timeout = 0\n",
    "match_timeout negative": b"[settings]\nmatch_timeout = -1.5\n",
    "match_timeout nan": b"[settings]\nmatch_timeout = nan\n",
    "match_timeout tiny": b"[settings]\nmatch_timeout = 1e-12\n",
    "prose_min_words huge": b"[settings]\nprose_min_words = 100000\n",
    "prose_min_words zero": b"[settings]\nprose_min_words = 0\n",
    "digit share": b"[settings]\ndata_digit_share = 7\n",
    "settings not a table": b"settings = 3\n",
    "binary": b"\x00\x01\x02\xff\xfe",
    "latin-1": "[settings]\n# café\nprose_min_words = 9\n".encode("latin-1") + b"\xe9\n",
    "rule not a table": b"rule = [1, 2]\n",
    "rule with a bad pattern": (
        b'[[rule]]\nid = "mine"\ntype = "line"\nkind = "x"\ndescription = "d"\npattern = "(?<"\n'
    ),
}


@pytest.mark.parametrize("label", sorted(RULE_FILES))
def test_hostile_rule_files_exit_2_naming_the_file(tmp_path, label):
    rules = tmp_path / "mine.toml"
    rules.write_bytes(RULE_FILES[label])
    page = tmp_path / "page.txt"
    page.write_bytes(sample_input(CASES[0]))
    done = command("clean", "--rules", str(rules), str(page), timeout=60)
    assert done.returncode == 2, (label, done.stderr)
    assert no_traceback(done.stderr)
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"cleaner: error: invalid rule file: {rules}: "), lines


def test_a_bom_at_the_top_of_a_rule_file_is_accepted(tmp_path):
    rules = tmp_path / "bom.toml"
    rules.write_bytes(b"\xef\xbb\xbf[settings]\nprose_min_words = 10\n")
    page = tmp_path / "page.txt"
    page.write_bytes(sample_input(CASES[0]))
    done = command("clean", "--rules", str(rules), str(page))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode() == sample_expected(CASES[0])
