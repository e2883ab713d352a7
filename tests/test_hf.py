"""The batch adapter (cleaner.records.hf): plain batches, Hugging Face datasets, and the README's
Ray and Spark examples where those engines are installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import cleaner.records.hf
from cleaner.cli.main import cli
from cleaner.errors import CleanerError
from tests.conftest import CASES, sample_expected, sample_input

PAGES = [sample_input(case).decode("utf-8") for case in CASES]


def batch() -> dict[str, list[Any]]:
    return {
        "id": list(range(len(PAGES))),
        "text": PAGES,
        "url": [f"https://example.org/{i}" for i in range(len(PAGES))],
    }


def command_records(tmp_path: Path, rows: list[dict[str, Any]], *flags: str) -> list[dict[str, Any]]:
    source = tmp_path / "records.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(source), *flags])
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_plain_batch_keeps_columns_and_cleans_like_the_command(tmp_path):
    out = cleaner.records.hf.clean_batch(batch())
    assert list(out) == ["id", "text", "url"]
    assert out["id"] == batch()["id"] and out["url"] == batch()["url"]
    assert [text + "\n" for text in out["text"]] == [sample_expected(case) for case in CASES]
    rows = [dict(zip(batch(), values, strict=True)) for values in zip(*batch().values(), strict=True)]
    assert [row["text"] for row in command_records(tmp_path, rows)] == out["text"]


def test_options_output_and_meta_fields(tmp_path):
    out = cleaner.records.hf.clean_batch(
        batch(), output_field="clean", meta_field="facts", repair=False, favor="recall"
    )
    assert out["text"] == PAGES
    facts = [json.loads(item) for item in out["facts"]]
    assert all(isinstance(item["removed_share"], float) for item in facts)
    rows = [{"text": page} for page in PAGES]
    expected = command_records(tmp_path, rows, "--no-repair", "--favor", "recall")
    assert out["clean"] == [row["text"] for row in expected]
    with pytest.raises(TypeError, match="unknown option 'colour'"):
        cleaner.records.hf.clean_batch(batch(), colour="red")


def test_bad_rows_raise_or_are_kept():
    bad = {"id": [1, 2], "text": [PAGES[0], None]}
    with pytest.raises(CleanerError, match="row 1: the 'text' field is null, not a string"):
        cleaner.records.hf.clean_batch(bad)
    kept = cleaner.records.hf.clean_batch(bad, on_error="keep", meta_field="m")
    assert kept["text"][1] is None and "null" in json.loads(kept["m"][1])["error"]


def test_hugging_face_datasets_map(tmp_path):
    datasets = pytest.importorskip("datasets", reason="datasets is the optional extra hf")
    dataset = datasets.Dataset.from_dict(batch())
    cleaned = dataset.map(
        cleaner.records.hf.clean_batch,
        batched=True,
        batch_size=2,
        fn_kwargs={"meta_field": "cleaner"},
        keep_in_memory=True,
    )
    assert cleaned.column_names == ["id", "text", "url", "cleaner"]
    assert cleaned["text"] == cleaner.records.hf.clean_batch(batch())["text"]
    assert cleaned["id"] == batch()["id"]


def _readme_python_blocks() -> list[str]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Hugging Face datasets, Ray and Spark\n", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def _crawl(tmp_path: Path) -> None:
    rows = [{"id": i, "text": page} for i, page in enumerate(PAGES)]
    (tmp_path / "crawl.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def test_readme_datasets_example():
    pytest.importorskip("datasets", reason="datasets is the optional extra hf")
    namespace: dict[str, Any] = {}
    exec(compile(_readme_python_blocks()[0], "README.md", "exec"), namespace)
    cleaned = namespace["cleaned"]
    assert cleaned["text"][0] == "A Quiet Day\n\nNothing happened."
    assert json.loads(cleaned["cleaner"][0])["title"] == "A Quiet Day"


def test_readme_ray_example(tmp_path, monkeypatch):
    pytest.importorskip("ray", reason="Ray is not installed")
    _crawl(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(_readme_python_blocks()[1], "README.md", "exec"), namespace)
    texts = [row["text"] for row in namespace["cleaned"].take_all()]
    assert texts == cleaner.records.hf.clean_batch({"text": PAGES})["text"]


def test_readme_spark_example(tmp_path, monkeypatch):
    pytest.importorskip("pyspark", reason="PySpark is not installed")
    _crawl(tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(_readme_python_blocks()[2], "README.md", "exec"), namespace)
    texts = [row["text"] for row in namespace["cleaned"].orderBy("id").collect()]
    assert texts == cleaner.records.hf.clean_batch({"text": PAGES})["text"]
