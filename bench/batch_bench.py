"""Benchmark batch cleaning: many small files with one and two workers, and one huge file.

    .venv/bin/python bench/batch_bench.py [--files 5000] [--big-mb 200] [--skip-big]

1. Copies the bundled samples into a temporary tree until it holds --files files, cleans it
   with `cleaner clean TREE -o OUT -j 1` and `-j 2`, reports the wall time of each run and
   checks that the two output trees are byte-identical.
2. Builds one file of --big-mb megabytes (the samples joined by a paragraph of prose),
   cleans it whole with `cleaner clean BIG -o OUT --max-bytes` (raised to fit) and reports the
   wall time and the peak resident memory of that process against the input size.

Uses the `cleaner` command installed next to this Python. Not a test: numbers depend on
the machine. Exits 1 if the outputs of -j 1 and -j 2 differ.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.input.txt"))
CLEANER = str(Path(sys.executable).parent / "cleaner")
SEPARATOR = b"\n\nBetween two pages, the editors kept this paragraph of plain prose as a divider.\n\n"


def make_tree(root: Path, count: int) -> int:
    """`count` files, 100 to a folder, cycling through the samples; returns total bytes."""
    data = [path.read_bytes() for path in SAMPLES]
    total = 0
    for number in range(count):
        folder = root / f"part{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        content = data[number % len(data)]
        (folder / f"page{number:05d}.txt").write_bytes(content)
        total += len(content)
    return total


def timed(command: list[str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (bytes) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return seconds, process.returncode, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def same_trees(first: Path, second: Path) -> bool:
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    other = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    if names != other:
        return False
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(n) for n in names], shallow=False)
    return not mismatch and not errors


def bench_workers(work: Path, count: int) -> bool:
    tree = work / "tree"
    size = make_tree(tree, count)
    print(f"tree: {count} files, {size / 1e6:.1f} MB, {os.cpu_count()} cores")
    times = {}
    for workers in ("1", "2"):
        seconds, code, _ = timed(
            [CLEANER, "clean", str(tree), "-o", str(work / f"out-j{workers}"), "-j", workers]
        )
        times[workers] = seconds
        print(f"  -j {workers}: {seconds:.2f} s, {count / seconds:.0f} files/s (exit {code})")
    identical = same_trees(work / "out-j1", work / "out-j2")
    print(f"  speed-up -j 2 over -j 1: {times['1'] / times['2']:.2f}x; outputs byte-identical: {identical}")
    return identical


def bench_big(work: Path, megabytes: int) -> None:
    big = work / "big.txt"
    unit = SEPARATOR.join(path.read_bytes() for path in SAMPLES) + SEPARATOR
    with big.open("wb") as handle:
        while handle.tell() < megabytes * 1_000_000:
            handle.write(unit)
    size = big.stat().st_size
    limit = str(size + 1)  # over the default --max-bytes: raised to fit
    command = [CLEANER, "clean", str(big), "-o", str(work / "big.out.txt"), "--max-bytes", limit]
    seconds, code, peak = timed(command)
    print(f"big file: {size / 1e6:.0f} MB in {seconds:.1f} s (exit {code})")
    output = (work / "big.out.txt").stat().st_size
    print(f"  peak RSS {peak / 1e6:.0f} MB = {peak / size:.2f}x the input; output {output / 1e6:.0f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--big-mb", type=int, default=200)
    parser.add_argument("--skip-big", action="store_true")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-"))
    try:
        identical = bench_workers(work, arguments.files)
        if not arguments.skip_big:
            bench_big(work, arguments.big_mb)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
