"""Records in `cleaner clean`: JSON Lines (plain, gzip, zstandard) and Parquet, fields kept."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.cli.main import cli
from cleaner.engine.pipeline import Options, clean_text
from cleaner.records.corpus import RecordSettings, clean_record, cleaned_text
from tests.conftest import CASES, sample_expected, sample_input

zstandard = pytest.importorskip("zstandard")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

PAGES = [sample_input(case).decode("utf-8") for case in CASES]
PLAIN = "A Quiet Day\n\nNothing at all happened in the town today, and everyone was glad of it.\n"


def records(count: int = 30) -> list[dict[str, Any]]:
    """Records with nested fields around the text, of every sample and a clean page."""
    texts = [*PAGES, PLAIN]
    return [
        {
            "id": f"doc-{i}",
            "url": f"https://site{i % 3}.example/post/{i}",
            "text": texts[i % len(texts)],
            "meta": {"crawl": {"n": i, "tags": ["a", "b"]}, "score": i / 7},
        }
        for i in range(count)
    ]


def write_jsonl(path: Path, rows: list[Any], extra_lines: dict[int, str] | None = None) -> None:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    for index, line in sorted((extra_lines or {}).items()):
        lines.insert(index, line)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    elif path.name.endswith(".zst"):  # several frames, as streaming writers make them
        parts = data.splitlines(keepends=True)
        compressor = zstandard.ZstdCompressor()
        data = b"".join(compressor.compress(b"".join(parts[i : i + 4])) for i in range(0, len(parts), 4))
    path.write_bytes(data)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    elif path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True).read()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def cleaner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_jsonl_keeps_every_field_and_order_and_cleans_like_the_text_path(tmp_path):
    rows = records()
    source = tmp_path / "shard.jsonl"
    write_jsonl(source, rows)
    result = run("clean", str(source), "-o", str(tmp_path / "out.jsonl"), "-j", "1")
    assert result.exit_code == 0, result.stderr
    out = read_jsonl(tmp_path / "out.jsonl")
    assert len(out) == len(rows)
    for before, after in zip(rows, out, strict=True):
        assert list(after) == list(before)
        assert {k: v for k, v in after.items() if k != "text"} == {
            k: v for k, v in before.items() if k != "text"
        }
    # the same text as `cleaner clean page.txt`, less the final newline
    for index, case in enumerate(CASES):
        assert out[index]["text"] + "\n" == sample_expected(case)
    assert out[len(CASES)]["text"] == PLAIN.rstrip("\n")


def test_output_field_and_meta_field(tmp_path):
    source = tmp_path / "shard.jsonl"
    write_jsonl(source, records(6))
    result = run("clean", str(source), "--output-field", "clean", "--meta-field", "facts")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    first = out[0]
    assert first["text"] == PAGES[0]  # kept as it was
    assert list(first)[-2:] == ["clean", "facts"]
    assert first["clean"] + "\n" == sample_expected(CASES[0])
    facts = first["facts"]
    assert facts["title"] and facts["removed_share"] > 0 and facts["suspicious"] is False
    assert sum(facts["removed_by_kind"].values()) == facts["removed_lines"]


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_like_the_input_and_identical_for_any_jobs(tmp_path, suffix):
    rows = records(24)
    source = tmp_path / f"shard{suffix}"
    write_jsonl(source, rows)
    one = run("clean", str(source), "-o", str(tmp_path / f"one{suffix}"), "-j", "1")
    two = cleaner("clean", source.name, "-o", f"two{suffix}", "-j", "2", cwd=tmp_path)
    assert one.exit_code == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout == ""
    assert read_jsonl(tmp_path / f"one{suffix}") == read_jsonl(tmp_path / f"two{suffix}")
    assert (tmp_path / f"one{suffix}").read_bytes() == (tmp_path / f"two{suffix}").read_bytes()
    if suffix.endswith(".gz"):
        assert (tmp_path / f"one{suffix}").read_bytes()[:2] == b"\x1f\x8b"
    if suffix.endswith(".zst"):
        assert (tmp_path / f"one{suffix}").read_bytes()[:4] == b"\x28\xb5\x2f\xfd"
    assert len(read_jsonl(tmp_path / f"one{suffix}")) == len(rows)


def test_formats_by_suffix():
    from cleaner.records.formats import format_of

    kinds = {
        name: format_of(name) for name in ("a.jsonl", "a.NDJSON", "a.json.gz", "a.jsonl.zst", "b.parquet")
    }
    assert [(f.kind, f.compression) for f in kinds.values() if f] == [
        ("jsonl", None),
        ("jsonl", None),
        ("jsonl", "gzip"),
        ("jsonl", "zstd"),
        ("parquet", None),
    ]
    assert format_of("a.json") is None and format_of("page.txt") is None


def test_output_suffix_decides_its_compression(tmp_path):
    source = tmp_path / "shard.jsonl.zst"
    write_jsonl(source, records(5))
    assert run("clean", str(source), "-o", str(tmp_path / "out.jsonl")).exit_code == 0
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 5
    assert run("clean", str(source), "-o", str(tmp_path / "out.jsonl.gz")).exit_code == 0
    assert len(read_jsonl(tmp_path / "out.jsonl.gz")) == 5


def test_bad_records_are_named_and_the_others_written(tmp_path):
    rows = records(8)
    source = tmp_path / "shard.jsonl"
    write_jsonl(
        source,
        rows,
        {2: '{"id": "n", "text": 12}', 4: "{not json", 6: '{"id": "x", "body": "y"}', 8: "[1, 2]"},
    )
    done = cleaner("clean", "shard.jsonl", "-o", "out.jsonl", "-q", cwd=tmp_path)
    assert done.returncode == 123
    assert done.stderr.splitlines() == [
        "cleaner: error: shard.jsonl:3: the 'text' field is int, not a string",
        "cleaner: error: shard.jsonl:5: not JSON (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))",
        "cleaner: error: shard.jsonl:7: no 'text' field",
        "cleaner: error: shard.jsonl:9: not a JSON object (a list)",
    ]
    assert [row["id"] for row in read_jsonl(tmp_path / "out.jsonl")] == [row["id"] for row in rows]


def test_id_field_names_the_record(tmp_path):
    source = tmp_path / "s.jsonl"
    write_jsonl(source, [{"id": "doc-9", "text": None}])
    result = run("clean", str(source), "--id-field", "id")
    assert result.exit_code == 123
    assert result.stderr == f"cleaner: error: {source}:1 (id doc-9): the 'text' field is null, not a string\n"


def test_truncated_gzip_and_zstandard(tmp_path):
    rows = records(40)
    for suffix in (".jsonl.gz", ".jsonl.zst"):
        whole = tmp_path / f"whole{suffix}"
        write_jsonl(whole, rows)
        cut = tmp_path / f"cut{suffix}"
        data = whole.read_bytes()
        cut.write_bytes(data[: len(data) * 2 // 3])
        done = cleaner("clean", cut.name, "-o", f"out{suffix}", "-q", cwd=tmp_path)
        assert done.returncode == 123
        [line] = done.stderr.splitlines()
        assert line.startswith(f"cleaner: error: {cut.name}: line ")
        assert "truncated" in line and "Traceback" not in done.stderr
        out = read_jsonl(tmp_path / f"out{suffix}")
        assert 0 < len(out) < len(rows)
        assert [row["id"] for row in out] == [row["id"] for row in rows[: len(out)]]


def write_parquet(path: Path, rows: list[dict[str, Any]], group: int) -> None:
    pq.write_table(pa.Table.from_pylist(rows), str(path), row_group_size=group)


def test_parquet_by_row_group_schema_kept_and_identical_for_any_jobs(tmp_path):
    rows = records(30)
    write_parquet(tmp_path / "part.parquet", rows, group=8)
    one_run = run(
        "clean",
        str(tmp_path / "part.parquet"),
        "-o",
        str(tmp_path / "out1.parquet"),
        "-j",
        "1",
        "--meta-field",
        "m",
    )
    assert one_run.exit_code == 0, one_run.stderr
    done = cleaner(
        "clean", "part.parquet", "-o", "out2.parquet", "-j", "2", "--meta-field", "m", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    one, two = (pq.ParquetFile(str(tmp_path / f"out{j}.parquet")) for j in ("1", "2"))
    assert one.num_row_groups == two.num_row_groups == 4
    assert one.read().equals(two.read())
    source_schema = pq.ParquetFile(str(tmp_path / "part.parquet")).schema_arrow
    assert one.schema_arrow.names == [*source_schema.names, "m"]
    assert one.schema_arrow.field("meta").type == source_schema.field("meta").type
    out = one.read().to_pylist()
    assert [row["id"] for row in out] == [row["id"] for row in rows]
    assert out[0]["text"] + "\n" == sample_expected(CASES[0])
    assert out[0]["meta"] == rows[0]["meta"]
    assert json.loads(out[0]["m"])["title"]
    # Parquet to JSON Lines on stdout
    listed = run("clean", str(tmp_path / "part.parquet"))
    assert [json.loads(line)["text"] for line in listed.stdout.splitlines()] == [row["text"] for row in out]


def test_parquet_to_parquet_keeps_columns_and_agrees_with_json_lines_out(tmp_path):
    rows = records(14)
    rows[5]["text"] = None  # fails: not written, excluded with its reason
    write_parquet(tmp_path / "part.parquet", rows, group=5)
    flags = ["--output-field", "clean", "--meta-field", "m", "--id-field", "id", "--max-removed", "0.2"]
    as_parquet = run(
        "clean", str(tmp_path / "part.parquet"), "-o", str(tmp_path / "out.parquet"), "-j", "1",
        "--exclusions", str(tmp_path / "ex1.jsonl"), "-q", *flags,
    )  # fmt: skip
    as_lines = run(
        "clean", str(tmp_path / "part.parquet"), "-o", str(tmp_path / "out.jsonl"), "-j", "1",
        "--exclusions", str(tmp_path / "ex2.jsonl"), "-q", *flags,
    )  # fmt: skip
    assert as_parquet.exit_code == as_lines.exit_code == 123
    assert (
        as_parquet.stderr
        == as_lines.stderr
        == (
            f"cleaner: error: {tmp_path / 'part.parquet'}: row 6 (id doc-5): the 'text' field is null, not a string\n"
        )
    )
    out = pq.ParquetFile(str(tmp_path / "out.parquet"))
    assert out.num_row_groups == 3 and out.metadata.num_rows == 13
    table = out.read().to_pylist()
    lines = read_jsonl(tmp_path / "out.jsonl")
    for row, line in zip(table, lines, strict=True):
        assert row == {**line, "m": json.dumps(line["m"], ensure_ascii=False)}
    assert [row["id"] for row in table] == [row["id"] for row in rows if row["text"] is not None]
    written = [row for row in rows if row["text"] is not None]
    assert [row["text"] for row in table] == [row["text"] for row in written]  # kept as it was
    # the exclusions get the whole row, the same from either output
    assert (tmp_path / "ex1.jsonl").read_bytes() == (tmp_path / "ex2.jsonl").read_bytes()
    excluded = read_jsonl(tmp_path / "ex1.jsonl")
    assert excluded[0]["meta"] == rows[excluded[0]["meta"]["crawl"]["n"]]["meta"]
    assert any(row["id"] == "doc-5" and row["text"] is None for row in excluded)


def test_an_unreadable_row_group_is_named_and_the_others_written(tmp_path):
    rows = [{"id": i, "text": f"Title {i}\n\nA body of text, number {i}."} for i in range(9)]
    path = tmp_path / "part.parquet"
    pq.write_table(pa.Table.from_pylist(rows), str(path), row_group_size=3, compression="none")
    column = pq.ParquetFile(str(path)).metadata.row_group(1).column(1)
    data = bytearray(path.read_bytes())
    start = column.data_page_offset
    data[start : start + 24] = b"\xff" * 24  # the page header of group 1's text column
    path.write_bytes(bytes(data))
    result = run("clean", str(path), "-o", str(tmp_path / "out.parquet"), "-q")
    assert result.exit_code == 123
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"cleaner: error: {path}: rows 4-6 (row group 1): unreadable (")
    assert [r["id"] for r in pq.read_table(str(tmp_path / "out.parquet")).to_pylist()] == [0, 1, 2, 6, 7, 8]


def test_parquet_errors(tmp_path):
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not parquet")
    done = cleaner("clean", "bad.parquet", "-o", "out.parquet", cwd=tmp_path)
    assert done.returncode == 123
    assert done.stderr.startswith("cleaner: error: bad.parquet: not a readable Parquet file (")
    assert len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "out.parquet").exists()
    rows = [{"id": 1, "text": PLAIN}, {"id": 2, "text": None}, {"id": 3, "text": PLAIN}]
    write_parquet(tmp_path / "nulls.parquet", rows, group=2)
    done = cleaner("clean", "nulls.parquet", "-o", "out.parquet", cwd=tmp_path)
    assert done.returncode == 123
    assert done.stderr == "cleaner: error: nulls.parquet: row 2: the 'text' field is null, not a string\n"
    assert [row["id"] for row in pq.read_table(str(tmp_path / "out.parquet")).to_pylist()] == [1, 3]
    numbers = [{"id": 1, "text": 5}]
    write_parquet(tmp_path / "numbers.parquet", numbers, group=2)
    result = run("clean", str(tmp_path / "numbers.parquet"))
    assert result.exit_code == 123 and "the 'text' field is int, not a string" in result.stderr


def test_exclusions_get_exactly_the_flagged_and_failed_records(tmp_path):
    rows = records(12)
    source = tmp_path / "shard.jsonl"
    write_jsonl(source, rows, {3: "oops"})
    options = Options()
    flagged = [row["id"] for row in rows if clean_text(row["text"], options).stats.removed_share > 0.1]
    assert 0 < len(flagged) < len(rows)
    result = run(
        "clean", str(source), "-o", str(tmp_path / "out.jsonl"), "--max-removed", "0.1", "--exclusions",
        str(tmp_path / "ex.jsonl.gz"), "-q",
    )  # fmt: skip
    assert result.exit_code == 123
    excluded = read_jsonl(tmp_path / "ex.jsonl.gz")
    before = [row["id"] for row in rows[:3] if row["id"] in flagged]
    after = [row["id"] for row in rows[3:] if row["id"] in flagged]
    assert [row.get("id") for row in excluded] == [*before, None, *after]
    bad = next(row for row in excluded if "raw" in row)
    assert bad["raw"] == "oops" and bad["cleaner_exclusion"]["location"] == f"{source}:4"
    suspicious = next(row for row in excluded if "id" in row)
    assert suspicious["cleaner_exclusion"]["reason"].startswith("suspicious: the rules would remove")
    assert suspicious["text"] == next(row["text"] for row in rows if row["id"] == suspicious["id"])
    # without --strict the suspicious records are still written; with it they are not
    assert len(read_jsonl(tmp_path / "out.jsonl")) == len(rows)
    strict = run("clean", str(source), "--max-removed", "0.1", "--strict", "-q")
    assert strict.exit_code == 123
    assert len(strict.stdout.splitlines()) == len(rows) - len(flagged)


def test_check_and_stats_json(tmp_path):
    source = tmp_path / "shard.jsonl"
    write_jsonl(source, records(6))
    clean = tmp_path / "clean.jsonl"
    write_jsonl(clean, [{"text": PLAIN.rstrip("\n")}])
    result = run("clean", "--check", str(source), str(clean), "--stats-json", str(tmp_path / "s.json"))
    assert result.exit_code == 1
    assert result.stdout == f"{source}\n"
    stats = json.loads((tmp_path / "s.json").read_text())
    assert (
        stats["documents"]["total"] == 7
        and stats["documents"]["unchanged"] >= 1
        and stats["documents"]["unit"] == "records"
    )
    assert stats["exit_code"] == 1 and sum(stats["removed_by_kind"].values()) == stats["removed_lines"]
    assert run("clean", "--check", str(clean)).exit_code == 0


def test_options_mean_the_same_as_for_text(tmp_path):
    mojibake = "CafÃ© News\n\nThe cafÃ© on the corner opened again this week after a long winter.\n"
    source = tmp_path / "m.jsonl"
    write_jsonl(source, [{"text": mojibake}])
    for flags in ([], ["--no-repair"], ["--favor", "recall"], ["--lang", "de"]):
        page = tmp_path / "m.txt"
        page.write_text(mojibake, encoding="utf-8")
        expected = run("clean", *flags, str(page)).stdout
        got = json.loads(run("clean", *flags, str(source)).stdout)["text"]
        assert got == expected.removesuffix("\n")


def test_library_function_is_the_same_everywhere():
    settings = RecordSettings(Options())
    outcome = clean_record({"text": PAGES[1], "k": 1}, settings, "x:1")
    assert outcome.error is None and outcome.record is not None
    assert outcome.record["text"] == cleaned_text(clean_text(PAGES[1], Options()))
    assert clean_record({"k": 1}, settings, "x:2").error == "x:2: no 'text' field"


def test_usage_errors(tmp_path):
    source = tmp_path / "s.jsonl"
    write_jsonl(source, records(1))
    page = tmp_path / "p.txt"
    page.write_text(PLAIN)
    assert run("clean", str(source), str(page)).exit_code == 2
    assert run("clean", str(source), "--format", "json").exit_code == 2
    assert run("clean", str(source), "--in-place").exit_code == 2
    assert run("clean", str(source), "-o", str(source)).exit_code == 2
    assert run("clean", str(page), "--input-format", "jsonl").exit_code == 123  # text lines, not JSON
    missing = run("clean", str(tmp_path / "nope.jsonl"))
    assert (
        missing.exit_code == 123
        and missing.stderr == f"cleaner: error: {tmp_path / 'nope.jsonl'}: no such file\n"
    )


def test_stdin_records():
    line = json.dumps({"id": 1, "text": PLAIN}) + "\n"
    result = CliRunner().invoke(cli, ["clean", "--input-format", "jsonl", "-"], input=line)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"id": 1, "text": PLAIN.rstrip("\n")}


def _readme_section(title: str) -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _blocks(section: str, language: str) -> list[str]:
    return [block.split("```", 1)[0] for block in section.split(f"```{language}\n")[1:]]


def test_readme_records_commands_work_as_written(tmp_path):
    section = _readme_section("Records")
    rows = records(6)
    write_jsonl(tmp_path / "shard.jsonl.zst", rows)
    write_jsonl(tmp_path / "shard.jsonl.gz", rows)
    write_jsonl(tmp_path / "records.jsonl", rows)
    write_jsonl(tmp_path / "crawl.jsonl.gz", [{"content": row["text"], "id": row["id"]} for row in rows])
    write_parquet(tmp_path / "part-0001.parquet", rows, group=4)
    bin_dir = Path(sys.executable).parent
    commands = [line for line in _blocks(section, "sh")[0].splitlines() if line.strip()]
    assert len(commands) == 5
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command.replace("cleaner ", f"{sys.executable} -m cleaner ", 1)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        )
        assert done.returncode == 0, (command, done.stderr)
    assert len(read_jsonl(tmp_path / "cleaned.jsonl.zst")) == len(rows)
    assert pq.ParquetFile(str(tmp_path / "cleaned.parquet")).num_row_groups == 2
    assert "clean" in read_jsonl(tmp_path / "crawl.cleaned.jsonl")[0]
    python, _datatrove = _blocks(section, "python")  # the datatrove one: tests/test_datatrove.py
    namespace: dict[str, Any] = {}
    exec(compile(python, "README.md", "exec"), namespace)
    assert namespace["outcome"].record["text"].startswith("A Quiet Day")


def test_output_to_a_fifo_is_written_not_replaced(tmp_path):
    import os
    import stat
    import threading

    source = tmp_path / "s.jsonl"
    write_jsonl(source, [{"id": 1, "text": PLAIN}])
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    done = cleaner("clean", str(source), "-o", str(fifo), cwd=tmp_path)
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(got[0]) == {"id": 1, "text": PLAIN.rstrip("\n")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "s.jsonl"]


def test_parquet_output_for_json_lines_input_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from cleaner.cli.main import cli

    shard = tmp_path / "in.jsonl"
    shard.write_text('{"id": 1, "text": "The bridge reopened on Monday after a month of repairs."}\n')
    result = CliRunner().invoke(cli, ["clean", str(shard), "-o", str(tmp_path / "out.parquet")])
    assert result.exit_code == 2
    assert "Parquet output needs Parquet input" in result.output
    assert not (tmp_path / "out.parquet").exists()
