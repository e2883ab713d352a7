"""Records at scale: a .jsonl.zst shard (or a Parquet file) cleaned with -j 1 and -j 2.

Builds a shard of records from the bundled samples, each with nested extra fields, cleans it
with the installed command at -j 1 and -j 2, checks that the outputs are identical and that
every record equals its input except for the text field, and prints time and peak resident
memory (of the command and its workers, from /usr/bin/time or resource.getrusage).

    .venv/bin/python bench/records_bench.py --mb 200             # .jsonl.zst
    .venv/bin/python bench/records_bench.py --mb 50 --parquet    # Parquet, row groups of 2,000
    .venv/bin/python bench/records_bench.py --mb 20 --ceiling    # and what two bare processes get

--ceiling also times clean_text alone over the same texts, in one process and then split
between two plain processes (no pool, no files, no chunks): the most -j 2 could gain on this
machine, as its two cores share it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(path: Path, megabytes: int, parquet: bool) -> int:
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.input.txt"))]
    target = megabytes * 1024 * 1024
    rows, size, index = [], 0, 0
    while size < target:
        text = pages[index % len(pages)] + f"\nRecord number {index}.\n"
        row = {
            "id": f"rec-{index:08d}",
            "url": f"https://site{index % 17}.example/{index}",
            "text": text,
            "meta": {"crawl": {"batch": index // 1000, "tags": ["news", "web"]}, "score": index / 3},
        }
        rows.append(row)
        size += len(text.encode("utf-8")) + 150
        index += 1
    if parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), str(path), row_group_size=2000)
    else:
        import zstandard

        with path.open("wb") as raw, zstandard.ZstdCompressor().stream_writer(raw) as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
    return len(rows)


def run(source: Path, target: Path, jobs: int) -> tuple[float, float]:
    command = [str(Path(sys.executable).with_name("cleaner")), "clean", str(source), "-o", str(target)]
    command += ["-j", str(jobs), "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    timed = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    done = subprocess.run(timed + command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"cleaner failed ({done.returncode}): {done.stderr[-500:]}")
    if timed:
        peak_kb = float(done.stderr.strip().splitlines()[-1])
    else:
        peak_kb = float(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    return seconds, peak_kb / 1024


def records_of(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(str(path)).to_pylist()
    import zstandard

    with path.open("rb") as raw:
        data = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True).read()
    return [json.loads(line) for line in data.splitlines()]


def _clean_share(texts: list[str], start: int, step: int) -> float:
    from cleaner import Options, load_rules
    from cleaner.engine.pipeline import clean_text

    options = Options(rules=load_rules())
    begun = time.perf_counter()
    for text in texts[start::step]:
        clean_text(text, options)
    return time.perf_counter() - begun


def ceiling(source: Path) -> float:
    """clean_text over the shard's texts: one process, then two; the ratio of the wall times."""
    from concurrent.futures import ProcessPoolExecutor

    texts = [row["text"] for row in records_of(source)]
    with ProcessPoolExecutor(1) as pool:
        one = pool.submit(_clean_share, texts, 0, 1).result()
    with ProcessPoolExecutor(2) as pool:  # each half timed in its worker, after the rules load
        two = max(half.result() for half in [pool.submit(_clean_share, texts, i, 2) for i in range(2)])
    print(f"clean_text alone: one process {one:.1f} s, two processes {two:.1f} s: {one / two:.2f} times")
    return one / two


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200, help="uncompressed size of the text, in MB")
    parser.add_argument("--parquet", action="store_true")
    parser.add_argument("--ceiling", action="store_true", help="also time clean_text in 1 and 2 processes")
    parser.add_argument(
        "--work", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME", "/tmp")) / "cleaner-records"
    )
    options = parser.parse_args()
    options.work.mkdir(parents=True, exist_ok=True)
    suffix = ".parquet" if options.parquet else ".jsonl.zst"
    source = options.work / f"shard-{options.mb}mb{suffix}"
    if not source.exists():
        count = build(source, options.mb, options.parquet)
        print(f"built {source} ({count} records, {source.stat().st_size / 1e6:.1f} MB on disk)")
    results = {}
    for jobs in (1, 2):
        target = options.work / f"out-j{jobs}{suffix}"
        seconds, peak = run(source, target, jobs)
        results[jobs] = seconds
        print(f"-j {jobs}: {seconds:.1f} s, peak resident memory {peak:.0f} MB")
    one, two = records_of(options.work / f"out-j1{suffix}"), records_of(options.work / f"out-j2{suffix}")
    assert one == two, "outputs differ between -j 1 and -j 2"
    inputs = records_of(source)
    assert len(inputs) == len(one)
    assert all({**a, "text": None} == {**b, "text": None} for a, b in zip(inputs, one, strict=True))
    print(
        f"outputs identical, {len(one)} records, fields kept; "
        f"-j 2 is {results[1] / results[2]:.2f} times -j 1"
    )
    if options.ceiling:
        ceiling(source)


if __name__ == "__main__":
    main()
