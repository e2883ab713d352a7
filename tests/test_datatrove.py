"""The datatrove steps: the same cleaned text as `cleaner clean`, flagged documents excluded."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli.main import cli
from tests.conftest import CASES, sample_expected, sample_input

pytest.importorskip("datatrove")
pytest.importorskip("orjson")  # datatrove's JSON Lines reader and writer

from datatrove.data import Document

from cleaner.records.datatrove_steps import CleanerFilter, CleanerFormatter

PAGES = [sample_input(case).decode("utf-8") for case in CASES]
# The guard at 0.2 flags one sample (theduran-003 loses 24% of its words), not the others.
MAX_REMOVED = 0.2


def documents() -> list[Document]:
    return [Document(text=text, id=f"doc-{i}", metadata={"url": f"u{i}"}) for i, text in enumerate(PAGES)]


def flagged() -> list[str]:
    from cleaner.engine.pipeline import Options, clean_text

    shares = [clean_text(d.text, Options()).stats.removed_share for d in documents()]
    return [d.id for d, share in zip(documents(), shares, strict=True) if share > MAX_REMOVED]


def test_formatter_cleans_like_the_command(tmp_path):
    step = CleanerFormatter(meta_field="cleaner", max_removed=MAX_REMOVED)
    docs = list(step.run(iter(documents())))
    assert [d.id for d in docs] == [f"doc-{i}" for i in range(len(CASES))]
    for doc, case in zip(docs, CASES, strict=True):
        assert doc.text + "\n" == sample_expected(case)
        assert doc.metadata["url"] and doc.metadata["cleaner"]["removed_lines"] > 0
    # and the same as `cleaner clean shard.jsonl` for the same records
    source = tmp_path / "shard.jsonl"
    source.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in documents()))
    result = CliRunner().invoke(cli, ["clean", str(source), "-j", "1", "-q"])
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [d.text for d in docs]
    # a flagged document is cleaned and counted, not dropped
    assert [d.id for d in docs if d.metadata["cleaner"]["suspicious"]] == flagged() != []
    assert step.stats["cleaner_suspicious"].total == len(flagged())


def test_formatter_options_mean_the_same():
    from cleaner import Options, load_rules
    from cleaner.engine.pipeline import clean_text

    raw = PAGES[0]
    step = CleanerFormatter(repair=False)
    expected = clean_text(raw, Options(rules=load_rules(), repair=False)).text.removesuffix("\n")
    assert step.format(raw) == next(step.run(iter([Document(text=raw, id="x")]))).text == expected
    with pytest.raises(TypeError, match="unknown option"):
        CleanerFormatter(no_such_option=1)


def test_filter_in_a_pipeline_with_an_exclusion_writer(tmp_path):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    source = tmp_path / "in"
    source.mkdir()
    rows = [{"id": d.id, "text": d.text, "url": d.metadata["url"]} for d in documents()]
    (source / "shard.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(source)),
            CleanerFilter(
                exclusion_writer=JsonlWriter(str(tmp_path / "excluded")),
                meta_field="cleaner",
                max_removed=MAX_REMOVED,
            ),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()

    def written(folder: str) -> list[dict]:
        (path,) = sorted((tmp_path / folder).glob("*.jsonl.gz"))
        return [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]

    kept, excluded = written("out"), written("excluded")
    dropped_ids = flagged()
    assert [r["id"] for r in kept] == [d.id for d in documents() if d.id not in dropped_ids]
    expected = {f"doc-{i}": sample_expected(case) for i, case in enumerate(CASES)}
    for row in kept:
        assert row["text"] + "\n" == expected[row["id"]]
        assert row["metadata"]["url"] and row["metadata"]["cleaner"]["suspicious"] is False
    (dropped,) = excluded
    assert [dropped["id"]] == dropped_ids
    assert dropped["text"] == PAGES[int(dropped["id"].split("-")[1])]  # as it came in
    assert "cleaner" not in dropped["metadata"]
    entry = dropped["metadata"]["cleaner_exclusion"]
    assert entry["reason"].startswith("suspicious: the rules would remove")
    assert entry["removed_share"] > MAX_REMOVED and entry["removed_by_rule"]
    assert dropped["metadata"]["filter_reason"] == "cleaner_suspicious"
    stats = json.loads(next(Path(tmp_path / "logs" / "stats").glob("*.json")).read_text())
    assert any("cleaner_suspicious" in json.dumps(step) for step in stats)


def test_readme_datatrove_example(tmp_path, monkeypatch):
    from tests.test_records import _blocks, _readme_section

    (tmp_path / "crawl").mkdir()
    rows = [{"id": d.id, "text": d.text} for d in documents()]
    (tmp_path / "crawl" / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    python = _blocks(_readme_section("Records"), "python")[1]
    exec(compile(python, "README.md", "exec"), {})
    (written,) = (tmp_path / "cleaned").glob("*.jsonl.gz")
    cleaned = [json.loads(line) for line in gzip.decompress(written.read_bytes()).splitlines()]
    assert [row["text"] + "\n" for row in cleaned] == [sample_expected(case) for case in CASES]
