"""Speed and scale of cleaner: next to its peers, throughput, start-up, memory and scaling.

    .venv/bin/python bench/speed.py --peers    # cleaner next to ftfy, trafilatura, jusText
    .venv/bin/python bench/speed.py            # the peers, then the full run (a few minutes)
    .venv/bin/python bench/speed.py --quick    # a smaller corpus and fewer repeats

The peers part (see compare_peers) runs first: on the web-dev bench pages, the seed corpus and
a mojibake corpus made of both, it measures in one run, interleaved, the CPU time of cleaner's
`clean_text`, of the `cleaner clean` command over a folder of many small files, of
`ftfy.fix_text` (default settings), and of `trafilatura.extract` and jusText on the same text
wrapped as `<p>` HTML, and prints each one's ratio to cleaner; then start-up against a bare
`python -c pass`. The peers come with the bench extra (`pip install -e '.[bench]'`).

The corpus is generated at run time into a cache folder (--work, by default
$XDG_CACHE_HOME/cleaner-bench) from samples/*.input.txt and, when present, the bench pages in
../shared/bench/web-dev/text: many small files and one large file, each as clean text and as
a mojibake variant (the UTF-8 bytes read as Windows-1252, as a misconfigured scraper does).

Figures are medians over --repeat runs. "per core" divides by the worker processes used.
Library figures are in-process (clean_bytes on bytes already read); command figures run the
installed `cleaner` next to this Python and include reading, writing and start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_PAGES = ROOT.parent / "shared" / "bench" / "web-dev" / "text"
SHARED_SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
CLEANER = Path(sys.executable).with_name("cleaner")


@dataclass
class Corpus:
    """The generated inputs: one folder of small files and one large file per variant."""

    root: Path
    small: dict[str, Path] = field(default_factory=dict)  # variant -> folder
    large: dict[str, Path] = field(default_factory=dict)  # variant -> file
    one_small_file: Path | None = None

    def small_files(self, variant: str) -> list[Path]:
        return sorted(self.small[variant].glob("*.txt"))


def source_pages() -> list[bytes]:
    pages = [p.read_bytes() for p in sorted((ROOT / "samples").glob("*.input.txt"))]
    if SHARED_PAGES.is_dir():
        pages += [p.read_bytes() for p in sorted(SHARED_PAGES.glob("*.txt"))]
    else:
        print(f"note: {SHARED_PAGES} not found; the corpus is built from the samples only")
    return pages


def mojibake(data: bytes) -> bytes:
    """UTF-8 read as Windows-1252 and saved again as UTF-8: 'don’t' becomes 'donâ€™t'."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return data.decode("utf-8").encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")


def build_corpus(work: Path, small_count: int, large_mb: int) -> Corpus:
    """Write the corpus once; a later run with the same sizes reuses it."""
    pages = source_pages()
    variants = {"clean": pages, "mojibake": [mojibake(page) for page in pages]}
    corpus = Corpus(work / f"corpus-{small_count}-{large_mb}mb-{len(pages)}")
    done = corpus.root / ".complete"
    for variant, texts in variants.items():
        folder = corpus.root / "small" / variant
        corpus.small[variant] = folder
        corpus.large[variant] = corpus.root / "large" / f"{variant}.txt"
        if done.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(small_count):
            (folder / f"page-{index:05d}.txt").write_bytes(texts[index % len(texts)])
        corpus.large[variant].parent.mkdir(parents=True, exist_ok=True)
        with corpus.large[variant].open("wb") as handle:
            written = index = 0
            while written < large_mb * 1_000_000:
                page = texts[index % len(texts)]
                handle.write(page.rstrip(b"\n") + b"\n\n")
                written += len(page) + 2
                index += 1
    done.touch()
    corpus.one_small_file = corpus.small_files("clean")[0]
    return corpus


# ---- measuring ------------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its children
    peak_kb: int = 0  # maximum resident set size


def run_command(
    args: list[str],
    stdout=subprocess.DEVNULL,
    env: dict | None = None,
    timeout: float | None = None,
    memory_limit: int | None = None,
) -> Run:
    """Run a command and measure its wall time, CPU time and peak memory (via wait4).

    `memory_limit` caps the child's address space, so that a run that would need far more
    memory than its target fails quickly instead of pushing the machine into the OOM killer.
    """

    def limit_memory() -> None:
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=stdout, stderr=errors, env=env, preexec_fn=limit_memory)
        timer = threading.Timer(timeout, process.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if timer:
            timer.cancel()
            if wall >= timeout:
                raise RuntimeError(f"gave up after {timeout:.0f} s")
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        message = errors.read().decode(errors="replace").strip()
    if process.returncode != 0:
        last = message.splitlines()[-1] if message else ""
        raise RuntimeError(f"exit code {process.returncode}: {last[:200]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_kb for r in runs),
    )


def measure_library(datas: list[bytes], repeat: int, rules: bool = True) -> Run:
    """clean_bytes() over `datas`; without `rules`, the same pipeline with an empty rule set."""
    from cleaner import Options, clean_bytes, load_rules
    from cleaner.engine.ruleset import RuleSet

    options = Options(rules=load_rules() if rules else RuleSet())
    return measure(lambda data: clean_bytes(data, options), datas, repeat)


def measure(function: Callable[[bytes], object], datas: list[bytes], repeat: int) -> Run:
    """CPU and wall time of `function` over `datas`, as the median of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for data in datas:
            function(data)
        runs.append(Run(time.perf_counter() - wall, time.process_time() - cpu))
    return median_run(runs)


def batch_supported(work: Path) -> bool:
    """Whether this cleaner has batch mode: `cleaner clean DIR -o OUTDIR -j N`."""
    probe = work / "probe"
    shutil.rmtree(probe, ignore_errors=True)
    (probe / "in").mkdir(parents=True)
    (probe / "in" / "a.txt").write_text("Title\n\nSome body text here.\n", encoding="utf-8")
    try:
        run_command([str(CLEANER), "clean", str(probe / "in"), "-o", str(probe / "out"), "-j", "1"])
    except RuntimeError:
        return False
    return (probe / "out" / "a.txt").is_file()


def command_on_small_files(corpus: Corpus, variant: str, workers: int | None, out: Path) -> Run:
    """Clean the small-file folder: batch mode when there is one, else every path as arguments."""
    shutil.rmtree(out, ignore_errors=True)
    if workers is None:
        files = [str(p) for p in corpus.small_files(variant)]
        with (out.parent / f"{out.name}.txt").open("wb") as sink:
            return run_command([str(CLEANER), "clean", *files], stdout=sink)
    args = [str(CLEANER), "clean", str(corpus.small[variant]), "-o", str(out), "-j", str(workers)]
    return run_command(args)


def same_tree(one: Path, other: Path) -> bool:
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    if files != sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file()):
        return False
    return all((one / f).read_bytes() == (other / f).read_bytes() for f in files)


def dask_scaling(corpus: Corpus, work: Path, repeat: int, figures: dict) -> None:
    """The Dask integration on a local cluster of 1 and of 2 worker processes."""
    print("\nScaling over workers with cleaner.batch.cluster (LocalCluster, clean, many files):")
    try:
        import logging

        from distributed import Client, LocalCluster

        from cleaner import Options, load_rules
        from cleaner.batch.cluster import clean_corpus
    except ImportError:
        print("  (skipped: Dask is not installed; pip install -e '.[dask]')")
        return
    options = Options(rules=load_rules())
    size = sum(p.stat().st_size for p in corpus.small_files("clean"))
    walls = {}
    for workers in (1, 2):
        out = work / f"dask-out-{workers}"
        cluster_options = {"threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}
        with (
            LocalCluster(n_workers=workers, silence_logs=logging.ERROR, **cluster_options) as cluster,
            Client(cluster),
        ):
            clean_corpus([corpus.small["clean"]], out, options)  # warm the workers
            runs = []
            for _ in range(repeat):
                shutil.rmtree(out, ignore_errors=True)
                start = time.perf_counter()
                clean_corpus([corpus.small["clean"]], out, options)
                runs.append(time.perf_counter() - start)
        walls[workers] = statistics.median(runs)
        row(f"{workers} worker{'s' if workers > 1 else ''}", f"{walls[workers]:.2f} s", "")
        row("", f"{mb(size) / walls[workers] / workers:.2f} MB/s/core")
    speedup = walls[1] / walls[2]
    (work / "dask-out-1" / "cleaner-summary.json").unlink()
    (work / "dask-out-2" / "cleaner-summary.json").unlink()
    identical = same_tree(work / "dask-out-1", work / "dask-out-2")
    figures["dask_speedup_2_workers"] = round(speedup, 2)
    figures["dask_outputs_identical"] = str(identical)
    row("speed-up", f"{speedup:.2f}x", verdict(speedup >= 1.8 and identical, ">= 1.8x, identical"))
    row("outputs identical", str(identical))


# ---- cleaner next to its peers --------------------------------------------------------------


def read_texts(folder: Path) -> list[str]:
    return [p.read_bytes().decode("utf-8") for p in sorted(folder.glob("*.txt"))]


def peer_corpora() -> dict[str, list[str]]:
    """The web-dev pages, the seed corpus, and both as mojibake (UTF-8 read as Windows-1252)."""
    corpora = {}
    for name, folder in (("web-dev", SHARED_PAGES), ("seeds", SHARED_SEEDS)):
        if folder.is_dir():
            corpora[name] = read_texts(folder)
        else:
            print(f"note: {folder} not found; the {name} corpus is left out")
    if not corpora:
        corpora["samples"] = [
            p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.input.txt"))
        ]
    corpora["mojibake"] = [
        mojibake(text.encode("utf-8")).decode("utf-8") for texts in list(corpora.values()) for text in texts
    ]
    return corpora


def as_html(text: str) -> str:
    """The text as the HTML an extractor expects: each paragraph (blank-line separated) a <p>."""
    import html

    paragraphs = [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f"<!DOCTYPE html><html><head><title></title></head><body>{body}</body></html>"


def peer_functions() -> dict[str, Callable[[str], object] | None]:
    """What is compared: name -> function of one page's text (None: not installed)."""
    from cleaner import Options, clean_text, load_rules

    options = Options(rules=load_rules())
    functions: dict[str, Callable[[str], object] | None] = {"cleaner": lambda text: clean_text(text, options)}
    import ftfy

    functions["ftfy.fix_text"] = ftfy.fix_text
    try:
        import trafilatura
    except ImportError:
        functions["trafilatura.extract"] = None
    else:
        functions["trafilatura.extract"] = trafilatura.extract
    try:
        import justext
    except ImportError:
        functions["jusText"] = None
    else:
        stoplist = justext.get_stoplist("English")
        functions["jusText"] = lambda html: justext.justext(html, stoplist)
    return functions


HTML_PEERS = ("trafilatura.extract", "jusText")


def compare_peers(work: Path, repeat: int, min_files: int, figures: dict) -> None:
    """CPU time of cleaner and its peers on the same texts, interleaved, as medians.

    Each round runs every contender once over each corpus, one after the other, so that a
    change in the machine's load hits all of them alike; the ratios are robust to load.
    The command cleans a folder holding each page of the corpus as many times as it takes to
    reach `min_files` small files (`cleaner clean DIR -o OUT -j 1`, start-up included), and is
    compared with the peers' time on the same pages as many times.
    """
    corpora = peer_corpora()
    functions = peer_functions()
    missing = [name for name, function in functions.items() if function is None]
    if missing:
        print(f"  (not installed: {', '.join(missing)}; pip install -e '.[bench]')")
    inputs = {
        corpus: {name: [as_html(t) for t in texts] if name in HTML_PEERS else texts for name in functions}
        for corpus, texts in corpora.items()
    }
    folders = {}
    for corpus, texts in corpora.items():
        copies = max(1, -(-min_files // len(texts)))
        folder = work / "peers" / corpus
        if not folder.is_dir() or len(list(folder.glob("*.txt"))) != copies * len(texts):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for copy in range(copies):
                for index, text in enumerate(texts):
                    (folder / f"{copy:03d}-{index:04d}.txt").write_bytes(text.encode("utf-8"))
        folders[corpus] = (folder, copies)
    times: dict[tuple[str, str], list[float]] = {}
    for name, function in functions.items():  # warm up: imports, caches, the rules
        if function is not None:
            for corpus in corpora:
                function(inputs[corpus][name][0])
    for round_number in range(repeat):
        print(f"  round {round_number + 1} of {repeat} ...", file=sys.stderr, flush=True)
        for corpus in corpora:
            for name, function in functions.items():
                if function is None:
                    continue
                started = time.process_time()
                for text in inputs[corpus][name]:
                    function(text)
                times.setdefault((corpus, name), []).append(time.process_time() - started)
            folder, _ = folders[corpus]
            out = work / "peers-out" / corpus
            shutil.rmtree(out, ignore_errors=True)
            run = run_command([str(CLEANER), "clean", str(folder), "-o", str(out), "-j", "1", "-q"])
            times.setdefault((corpus, "cleaner clean DIR"), []).append(run.cpu)
    print(f"\nCleaner next to its peers (CPU time, medians of {repeat} interleaved rounds):")
    for corpus, texts in corpora.items():
        size = sum(len(t.encode("utf-8")) for t in texts)
        folder, copies = folders[corpus]
        median = {name: statistics.median(runs) for (c, name), runs in times.items() if c == corpus}
        library = median["cleaner"]
        command = median["cleaner clean DIR"]
        print(
            f"\n  {corpus}: {len(texts)} pages, {mb(size):.2f} MB; the command on {copies * len(texts)} files"
        )
        row("", "ms/page    MB/s   x cleaner  x command")
        for name in functions:
            if name not in median:
                row(name, "not installed")
                continue
            seconds = median[name]
            ratio = seconds / library
            ratio_command = seconds * copies / command
            key = name.split(".")[0].lower()
            figures[f"{corpus}_{key}_ms_per_page"] = round(seconds * 1000 / len(texts), 3)
            if name != "cleaner":
                figures[f"{corpus}_{key}_over_cleaner"] = round(ratio, 2)
                figures[f"{corpus}_{key}_over_command"] = round(ratio_command, 2)
            row(name, cells(seconds * 1000 / len(texts), mb(size) / seconds, ratio, ratio_command))
        per_page = command / (copies * len(texts))
        figures[f"{corpus}_command_ms_per_page"] = round(per_page * 1000, 3)
        row(
            "cleaner clean DIR -j 1",
            cells(per_page * 1000, mb(size) * copies / command, command / copies / library, 1),
        )


def cells(ms: float, rate: float, ratio: float, ratio_command: float) -> str:
    return f"{ms:7.2f} {rate:7.2f} {ratio:9.2f}x {ratio_command:8.2f}x"


def startup(env: dict, count: int, small_file: Path, figures: dict) -> None:
    """Wall time of `cleaner --version` and of one small file, against a bare `python -c pass`."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "cleaner --version": [str(CLEANER), "--version"],
        f"cleaner clean one file ({small_file.stat().st_size // 1000} kB)": [
            str(CLEANER),
            "clean",
            str(small_file),
        ],
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():
        run_command(args, env=env)  # warm: bytecode and rule caches
    for _ in range(count):
        for name, args in commands.items():
            walls[name].append(run_command(args, env=env).wall)
    medians = {name: statistics.median(runs) for name, runs in walls.items()}
    bare = medians["python -c pass"]
    print(f"\nStart-up (wall time, medians of {count} interleaved runs):")
    limits = {"cleaner --version": 0.040, "cleaner clean": 0.080}
    for name, wall in medians.items():
        over = wall - bare
        limit = next((value for prefix, value in limits.items() if name.startswith(prefix)), None)
        target = verdict(over <= limit, f"<= {limit * 1000:.0f} ms over python") if limit else ""
        row(name, f"{wall * 1000:.0f} ms (+{over * 1000:.0f} ms)", target)
    figures["python_ms"] = round(bare * 1000)
    figures["version_over_python_ms"] = round((medians["cleaner --version"] - bare) * 1000)
    figures["one_file_over_python_ms"] = round((list(medians.values())[2] - bare) * 1000)


# ---- the report -----------------------------------------------------------------------------


def mb(size: int) -> float:
    return size / 1_000_000


def row(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<52} {value:>22}  {target}")


def verdict(ok: bool, text: str) -> str:
    return f"[{'met' if ok else 'NOT met'}: {text}]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpus, 3 repeats")
    parser.add_argument("--repeat", type=int, help="runs per figure (default 5, --quick 3)")
    parser.add_argument("--small-files", type=int, help="files in the many-files corpus")
    parser.add_argument("--large-mb", type=int, help="size of the large file in MB")
    parser.add_argument("--memory-mb", type=int, help="size of the file for peak memory (0: skip)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the memory run")
    parser.add_argument("--work", type=Path, help="where the corpus and outputs go")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--peers", action="store_true", help="only cleaner next to its peers, and start-up")
    parser.add_argument("--peer-files", type=int, default=240, help="small files for the command (peers)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 5)
    small_count = args.small_files or (400 if args.quick else 2000)
    large_mb = args.large_mb or (2 if args.quick else 5)
    memory_mb = args.memory_mb if args.memory_mb is not None else (5 if args.quick else 200)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    work = args.work or Path(cache) / "cleaner-bench"
    work.mkdir(parents=True, exist_ok=True)
    if not CLEANER.exists():
        print(f"error: {CLEANER} not found; install cleaner into this Python first", file=sys.stderr)
        return 2

    print(f"cleaner benchmark on {platform.processor() or platform.machine()}, {os.cpu_count()} cores,")
    print(f"Python {platform.python_version()}; medians of {repeat} runs; corpus in {work}")
    figures: dict[str, float | str | None] = {}
    # The command as users run it: with bytecode caches (this environment may turn them off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    compare_peers(work, repeat, args.peer_files, figures)
    one_file = sorted((ROOT / "samples").glob("*.input.txt"))[0]
    startup(env, 7 if args.quick else 21, one_file, figures)
    if args.peers:
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return 0
    corpus = build_corpus(work, small_count, large_mb)
    run_command([str(CLEANER), "clean", str(corpus.one_small_file)], env=env)  # warm caches

    print("\nLibrary (clean_bytes in one process, one core):")
    for variant in ("clean", "mojibake"):
        datas = [p.read_bytes() for p in corpus.small_files(variant)]
        size = sum(map(len, datas))
        result = measure_library(datas, repeat)
        rate = mb(size) / result.cpu
        figures[f"library_{variant}_mb_s"] = round(rate, 2)
        figures[f"library_{variant}_docs_s"] = round(len(datas) / result.cpu)
        target = verdict(rate >= 50, ">= 50 MB/s") if variant == "clean" else verdict(rate >= 5, ">= 5 MB/s")
        row(f"{variant}: {len(datas)} small files, {mb(size):.1f} MB", f"{rate:.2f} MB/s/core", target)
        row("", f"{len(datas) / result.cpu:.0f} docs/s/core")
        # Ceilings: what the rest of the pipeline and ftfy cost on their own.
        bare = mb(size) / measure_library(datas, repeat, rules=False).cpu
        figures[f"library_{variant}_no_rules_mb_s"] = round(bare, 2)
        row("  the same pipeline with no rules at all", f"{bare:.2f} MB/s/core")
        if variant == "mojibake":
            import ftfy

            alone = mb(size) / measure(lambda data: ftfy.fix_text(data.decode("utf-8")), datas, repeat).cpu
            figures["ftfy_fix_text_mojibake_mb_s"] = round(alone, 2)
            row("  ftfy.fix_text() alone", f"{alone:.2f} MB/s/core")
        large = corpus.large[variant].read_bytes()
        result = measure_library([large], max(1, repeat // 2))
        figures[f"library_{variant}_large_mb_s"] = round(mb(len(large)) / result.cpu, 2)
        row(
            f"{variant}: one large file, {mb(len(large)):.0f} MB",
            f"{mb(len(large)) / result.cpu:.2f} MB/s/core",
        )

    print("\nCommand on the many-files folder:")
    batch = batch_supported(work)
    if not batch:
        print("  (no batch mode yet: `cleaner clean DIR -o OUT -j N` failed; all paths given as")
        print("   arguments to one process instead, and scaling over workers is skipped)")
    for variant in ("clean", "mojibake"):
        files = corpus.small_files(variant)
        size = sum(p.stat().st_size for p in files)
        runs = [
            command_on_small_files(corpus, variant, 1 if batch else None, work / "out-1")
            for _ in range(repeat)
        ]
        result = median_run(runs)
        rate = mb(size) / result.wall
        figures[f"command_{variant}_mb_s"] = round(rate, 2)
        target = verdict(rate >= 30, ">= 30 MB/s") if variant == "clean" else ""
        row(f"{variant}: {len(files)} files, {mb(size):.1f} MB, 1 worker", f"{rate:.2f} MB/s/core", target)
        row("", f"{len(files) / result.wall:.0f} docs/s")

    if batch:
        print("\nScaling over workers (clean, many files):")
        one = median_run([command_on_small_files(corpus, "clean", 1, work / "out-1") for _ in range(repeat)])
        two = median_run([command_on_small_files(corpus, "clean", 2, work / "out-2") for _ in range(repeat)])
        speedup = one.wall / two.wall
        identical = same_tree(work / "out-1", work / "out-2")
        figures["speedup_2_workers"] = round(speedup, 2)
        figures["outputs_identical"] = str(identical)
        row("-j 1", f"{one.wall:.2f} s")
        row("-j 2", f"{two.wall:.2f} s")
        row("speed-up", f"{speedup:.2f}x", verdict(speedup >= 1.8 and identical, ">= 1.8x, identical"))
        row("outputs identical", str(identical))

    dask_scaling(corpus, work, repeat, figures)

    print("\nStart-up (wall time, interpreter start included):")
    count = 7 if args.quick else 21
    version = median_run([run_command([str(CLEANER), "--version"], env=env) for _ in range(count)])
    single = median_run(
        [run_command([str(CLEANER), "clean", str(corpus.one_small_file)], env=env) for _ in range(count)]
    )
    python = median_run([run_command([sys.executable, "-c", "pass"], env=env) for _ in range(count)])
    figures["version_ms"] = round(version.wall * 1000)
    figures["one_small_file_ms"] = round(single.wall * 1000)
    row("python -c pass (for reference)", f"{python.wall * 1000:.0f} ms")
    row("cleaner --version", f"{version.wall * 1000:.0f} ms", verdict(version.wall <= 0.080, "<= 80 ms"))
    row(
        f"cleaner clean one file ({corpus.one_small_file.stat().st_size // 1000} kB)",
        f"{single.wall * 1000:.0f} ms",
        verdict(single.wall <= 0.150, "<= 150 ms"),
    )

    if memory_mb:
        print("\nPeak memory (command, one large file):")
        big = work / f"memory-{memory_mb}mb.txt"
        if not big.exists() or big.stat().st_size < memory_mb * 1_000_000:
            source = corpus.large["clean"].read_bytes()
            with big.open("wb") as handle:
                for _ in range(-(-memory_mb * 1_000_000 // len(source))):
                    handle.write(source)
        size = big.stat().st_size
        # Room for 4x the input plus the interpreter, which is over the target already.
        limit = 4 * size + 1_000_000_000
        try:
            with tempfile.TemporaryDirectory(dir=work) as scratch:
                output = str(Path(scratch) / "out.txt")
                run = run_command(
                    [str(CLEANER), "clean", str(big), "-o", output], timeout=args.timeout, memory_limit=limit
                )
        except RuntimeError as problem:
            figures["memory_ratio"] = f"did not finish within {limit / 1e9:.1f} GB: {problem}"
            row(f"input {mb(size):.0f} MB", "did not finish", verdict(False, "<= 3x"))
            row("", f"within {limit / 1e9:.1f} GB of address space: {problem}")
        else:
            ratio = run.peak_kb * 1024 / size
            figures["memory_input_mb"] = round(mb(size))
            figures["memory_peak_mb"] = round(run.peak_kb / 1024)
            figures["memory_ratio"] = round(ratio, 2)
            peak = f"{run.peak_kb / 1024:.0f} MB = {ratio:.1f}x"
            row(f"input {mb(size):.0f} MB: peak RSS", peak, verdict(ratio <= 3, "<= 3x"))
            row("", f"{mb(size) / run.wall:.2f} MB/s ({run.wall:.0f} s)")

    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\n(all commands: {child.ru_utime + child.ru_stime:.0f} s of CPU)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
