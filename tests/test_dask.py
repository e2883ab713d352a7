"""The Dask integration on a local cluster of worker processes: its outputs equal the
command's and the library's for the same inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask.bag", reason="Dask is an optional extra: pip install -e '.[dask]'")
distributed = pytest.importorskip("distributed", reason="needs dask.distributed: pip install -e '.[dask]'")

from cleaner import Options, clean_text, load_rules  # noqa: E402
from cleaner.batch.cluster import SUMMARY_NAME, clean_corpus, jsonl_blocks  # noqa: E402
from cleaner.records.corpus import cleaned_text  # noqa: E402
from cleaner.records.formats import dump_record  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402

CLEANER = str(Path(sys.executable).with_name("cleaner"))


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def corpus(tmp_path):
    """The samples in a folder tree, plus one file that cannot be cleaned."""
    root = tmp_path / "in"
    (root / "nested").mkdir(parents=True)
    for path in sorted(SAMPLES.glob("*.input.txt")):
        shutil.copy(path, root / path.name.replace(".input", ""))
    shutil.copy(SAMPLES / "theduran-001.input.txt", root / "nested" / "again.txt")
    (root / "binary.txt").write_bytes(b"not\x00text")
    return root


def command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLEANER, *args], capture_output=True, check=False)


def test_text_files_come_out_as_the_command_cleans_them(client, corpus, tmp_path):
    out = tmp_path / "out"
    summary = clean_corpus([corpus], out, Options(rules=load_rules()), files_per_task=2)
    inputs = sorted(p for p in corpus.rglob("*.txt") if p.name != "binary.txt")
    for path in inputs:
        cleaned = (out / path.relative_to(corpus)).read_bytes()
        assert cleaned == command("clean", str(path)).stdout
    assert not (out / "binary.txt").exists()
    assert summary["documents"]["total"] == len(inputs) + 1
    assert summary["documents"]["failed"] == 1 and "binary file" in summary["errors"][0]
    written = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))["documents"]
    assert written["changed"] + written["unchanged"] == len(inputs)
    results = [clean_text(p.read_text(encoding="utf-8")) for p in inputs]
    assert summary["removed_lines"] == sum(r.stats.removed_lines for r in results)
    assert summary["output_words"] == sum(r.stats.output_words for r in results)


def test_json_output_equals_the_commands_json(client, corpus, tmp_path):
    out = tmp_path / "out"
    clean_corpus([corpus / "nested"], out, Options(rules=load_rules()), output_format="json")
    path = corpus / "nested" / "again.txt"
    assert (out / "again.json").read_bytes() == command("clean", "--format", "json", str(path)).stdout


def test_json_lines_records_split_into_blocks_are_each_cleaned_once_in_order(client, tmp_path):
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.input.txt"))]
    records = []
    for index, text in enumerate(texts):
        records.append({"id": f"page-{index}", "text": text})
        records.append({"text": text[: 300 * (index + 1)], "lang": "en"})
    source = tmp_path / "records.jsonl"
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    source.write_text("\n".join(lines[:3]) + "\n\n" + "\n".join(lines[3:]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    # Small blocks, so that block edges fall inside records.
    summary = clean_corpus([source], out, Options(), jsonl=True, block_bytes=2000)
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) > 3
    produced = "".join(part.read_text(encoding="utf-8") for part in parts)
    expected = []
    for record in records:
        expected.append(dump_record({**record, "text": cleaned_text(clean_text(record["text"]))}))
    assert produced == b"".join(expected).decode("utf-8")
    assert summary["documents"]["total"] == len(records) and summary["documents"]["failed"] == 0
    # the same records as `cleaner clean`, every field kept
    command_out = tmp_path / "command.jsonl"
    assert command("clean", str(source), "-o", str(command_out), "-j", "1").returncode == 0
    assert command_out.read_text(encoding="utf-8") == produced


def test_json_lines_errors_name_the_line_without_reading_the_file_before_the_block(client, tmp_path):
    good = json.dumps(
        {"id": "a", "text": "A Quiet Day\n\nNothing happened in the town today at all.", "n": 1}
    )
    lines = [good] * 30
    lines[17] = '{"id": "b", "text": 3}'
    lines[25] = "not json"
    source = tmp_path / "records.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    blocks = jsonl_blocks([source], 300)
    data = source.read_bytes()
    assert [block[3] for block in blocks] == [data[: block[1]].count(b"\n") for block in blocks]
    summary = clean_corpus([source], tmp_path / "out", Options(), jsonl=True, block_bytes=300)
    assert summary["documents"]["failed"] == 2 and summary["documents"]["total"] == 30
    assert summary["errors"] == [
        f"{source}:18 (id b): the 'text' field is int, not a string",
        f"{source}:26: not JSON (Expecting value: line 1 column 1 (char 0))",
    ]


def test_the_command_runs_a_local_cluster_and_reports_bad_inputs(corpus, tmp_path):
    out = tmp_path / "out"
    done = command("dask", str(corpus), "-o", str(out), "-j", "2")
    assert done.returncode == 123
    assert (
        done.stderr.decode().strip()
        == f"cleaner: error: {corpus / 'binary.txt'}: binary file (NUL byte at offset 3); not cleaned"
    )
    assert (out / "nested" / "again.txt").read_bytes() == command(
        "clean", str(corpus / "nested" / "again.txt")
    ).stdout


def test_the_commands_options_mean_the_same_on_dask(corpus, tmp_path):
    out = tmp_path / "out"
    options = ["--favor", "recall", "--no-repair", "--ascii-quotes", "--lang", "en", "--site", "theduran"]
    done = command("dask", str(corpus / "nested"), "-o", str(out), "-j", "1", *options)
    assert done.returncode == 0, done.stderr
    path = corpus / "nested" / "again.txt"
    assert (out / "again.txt").read_bytes() == command("clean", *options, str(path)).stdout


def test_text_files_take_the_same_path_as_clean(client, tmp_path):
    # The same decoder, guard and output paths: --encoding, --max-removed and --strict mean
    # what they mean for `cleaner clean`, and page.text stays page.text.
    corpus = tmp_path / "in"
    (corpus / "nested").mkdir(parents=True)
    sample = (SAMPLES / "theduran-002.input.txt").read_text(encoding="utf-8")
    (corpus / "latin.text").write_bytes(sample.replace("’", "'").encode("cp1252"))
    (corpus / "nested" / "page.text").write_bytes((SAMPLES / "theduran-003.input.txt").read_bytes())
    chrome = (SAMPLES / "theduran-000.input.txt").read_text(encoding="utf-8").split("\n")[14:30]
    (corpus / "chrome.text").write_text("A Short Title\n\nA body.\n\n" + "\n".join(chrome), encoding="utf-8")
    (corpus / "skipped.txt").write_text("not taken by the glob\n", encoding="utf-8")
    flags = ["--glob", "*.text", "--encoding", "cp1252", "--max-removed", "0.5", "--strict"]
    summary = clean_corpus(
        [corpus],
        tmp_path / "dask",
        Options(rules=load_rules()),
        pattern="*.text",
        encoding="cp1252",
        max_removed=0.5,
        strict=True,
    )
    done = command("clean", str(corpus), "-o", str(tmp_path / "clean"), "-j", "1", *flags)
    assert done.returncode == 123

    def tree(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    written = tree(tmp_path / "dask")
    assert written.pop(SUMMARY_NAME)
    assert written == tree(tmp_path / "clean")
    assert sorted(written) == ["latin.text"]
    assert summary["documents"]["failed"] == 2
    assert summary["errors"] == [
        f"{corpus / 'chrome.text'}: suspicious: the rules would remove 93% of its words (--strict); not written",
        f"{corpus / 'nested' / 'page.text'}: not valid cp1252 (byte 0x9d at offset 63)",
    ]
    for message in summary["errors"]:
        assert f"cleaner: error: {message}" in done.stderr.decode()


def test_two_inputs_with_one_output_path_are_refused_before_a_cluster_starts(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(SAMPLES / "theduran-000.input.txt", tmp_path / name / "page.txt")
    inputs = [str(tmp_path / "a" / "page.txt"), str(tmp_path / "b" / "page.txt")]
    done = command("dask", *inputs, "-o", str(tmp_path / "out"), "--jobs", "1")
    assert done.returncode == 2
    assert done.stderr.decode() == (
        f"cleaner: error: {tmp_path / 'out' / 'page.txt'}: both {inputs[0]} and {inputs[1]} would be written there\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_dask_summary_and_stats_json_have_one_schema(client, corpus, tmp_path):
    # The same files through `cleaner clean --stats-json` and the Dask path: the same counts.
    stats = tmp_path / "stats.json"
    command("clean", str(corpus), "-o", str(tmp_path / "out"), "--stats-json", str(stats))
    from_clean = json.loads(stats.read_text("utf-8"))
    summary = clean_corpus([corpus], tmp_path / "dask-out", Options(rules=load_rules()), files_per_task=2)
    shared = set(from_clean) - {"seconds", "exit_code"}
    assert shared <= set(summary)
    assert {key: summary[key] for key in shared} == {key: from_clean[key] for key in shared} | {
        "documents": {**from_clean["documents"], "unit": "documents"}
    }
