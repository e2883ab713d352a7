"""`cleaner rules suggest` on records: one proposed pack per host of --url-field."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli.main import cli
from cleaner.engine.ruleset import RuleSet
from cleaner.records.documents import host_of, record_documents
from cleaner.rulebook.suggest import SuggestOptions, suggest

ARTICLES = [
    "The council met on Tuesday to discuss the new bridge over the river and its cost to the town.",
    "Farmers in the valley report an early harvest after a warm spring and a dry start to summer.",
    "The library will open on Sundays from next month, the first change to its hours in ten years.",
    "A local runner won the regional marathon in record time, beating last year's winner by a minute.",
    "Schools will receive new computers this autumn under a plan approved by the county last week.",
]
CHROME = {
    "alpha.example": ["Alpha Gazette home", "Follow Alpha Gazette on the socials"],
    "beta.example": ["Beta Times front page", "Beta Times: all rights kept by the owners"],
}


def page(host: str, index: int) -> str:
    head, tail = CHROME[host]
    title = f"Story number {index} from {host.split('.')[0]}"
    return f"{head}\n\n{title}\n\n{ARTICLES[index % len(ARTICLES)]}\n\n{ARTICLES[(index + 2) % len(ARTICLES)]}\n\n{tail}\n"


def write_records(path: Path) -> list[dict]:
    rows = []
    for index in range(8):
        for host in CHROME:
            prefix = "https://www." if index % 2 else "http://"
            rows.append({"url": f"{prefix}{host}/story/{index}", "text": page(host, index), "id": index})
    rows.append({"url": "https://gamma.example/only", "text": page("alpha.example", 0), "id": 99})
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return rows


def test_host_of():
    assert host_of("https://www.alpha.example/x") == "alpha.example"
    assert host_of("") is None and host_of(None) is None


def test_one_pack_per_host_with_enough_pages(tmp_path):
    source = tmp_path / "crawl.jsonl"
    write_records(source)
    out = tmp_path / "packs"
    result = CliRunner().invoke(
        cli, ["rules", "suggest", str(source), "--url-field", "url", "-o", str(out), "--no-builtin"]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["alpha-example.toml", "beta-example.toml"]
    assert "gamma.example: 1 pages, fewer than --min-docs; no pack" in result.stderr
    alpha = (out / "alpha-example.toml").read_text(encoding="utf-8")
    beta = (out / "beta-example.toml").read_text(encoding="utf-8")
    assert "Follow Alpha Gazette" in alpha and "Beta Times" not in alpha
    assert "Beta Times" in beta and "Alpha Gazette" not in beta
    # the same as the library's suggestion for that host's pages
    groups, errors = record_documents([str(source)], "text", "url")
    assert errors == []
    expected = suggest(groups["alpha.example"], RuleSet(), SuggestOptions(prefix="alpha-example"))
    assert alpha == expected.toml("alpha.example (8 pages)")


def test_records_without_hosts_and_bad_lines(tmp_path):
    source = tmp_path / "crawl.jsonl"
    rows = write_records(source)
    with source.open("a", encoding="utf-8") as handle:
        handle.write("not json\n")
        handle.write(json.dumps({"url": "nowhere", "text": "x"}) + "\n")
    result = CliRunner().invoke(cli, ["rules", "suggest", str(source), "--no-builtin"])
    assert result.exit_code == 123  # a bad line; the rest mined as one batch
    assert result.stderr.startswith(f"cleaner: error: {source}:{len(rows) + 1}: not JSON")
    assert "[[rule]]" in result.stdout or "[[rules]]" in result.stdout
    refused = CliRunner().invoke(cli, ["rules", "suggest", str(source), "--url-field", "url"])
    assert refused.exit_code == 2 and "give -o DIR" in refused.stderr
