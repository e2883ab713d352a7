"""`cleaner report`: the review page, its content, and how a real headless Chromium renders it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.batch.review import Review, histogram_svg, read_results, render
from cleaner.cli.main import cli
from tests.conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    """Results of cleaning the samples and the language pages, some of them suspicious."""
    folder = tmp_path_factory.mktemp("results")
    inputs = [*sorted(map(str, SAMPLES.glob("*.input.txt")))]
    inputs += sorted(map(str, (SAMPLES.parent / "tests" / "languages").glob("*.page.txt")))[:4]
    target = folder / "results.jsonl"
    result = CliRunner().invoke(
        cli,
        ["clean", *inputs, "--format", "jsonl", "--max-removed", "0.3", "-o", str(target), "-q", "-j", "1"],
    )
    assert result.exit_code == 0, result.stderr
    return target


def test_review_counts_and_samples(results):
    review = read_results([str(results)], Review())
    objects = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert review.documents == len(objects) == 9
    assert sum(review.by_rule.values()) == sum(len(o["removed"]) for o in objects)
    assert len(review.suspicious) == sum(1 for o in objects if o.get("suspicious")) > 0
    assert set(review.samples) == {entry["rule"] for o in objects for entry in o["removed"]}
    sample = review.samples["theduran-category-residue"][0]
    assert any(by == "theduran-category-residue" and text == "in ," for _, text, by in sample.lines)


def test_histogram_bins():
    svg = histogram_svg([0.0, 0.01, 0.5, 0.99, 1.0], bins=4)
    assert svg.count('class="bin"') == 4
    assert "0%-25%: 2 documents" in svg and "75%-100%: 2 documents" in svg and "50%-75%: 1 documents" in svg


def test_page_is_self_contained():
    page = render(Review())
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "default-src 'none'" in page


def test_command_reads_files_and_folders_and_names_bad_lines(results, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(results.read_text(encoding="utf-8") + "oops\n", encoding="utf-8")
    (folder / "cleaner-summary.json").write_text("{}", encoding="utf-8")
    done = CliRunner().invoke(cli, ["report", str(folder), "-o", str(tmp_path / "r.html")])
    assert done.exit_code == 123
    assert (
        done.stderr
        == f"cleaner: error: {folder / 'a.jsonl'}:10: not JSON (Expecting value: line 1 column 1 (char 0))\n"
    )
    assert "9</b>documents" in (tmp_path / "r.html").read_text(encoding="utf-8")
    nothing = CliRunner().invoke(cli, ["report", str(tmp_path / "empty"), "-o", str(tmp_path / "x.html")])
    assert nothing.exit_code == 123 and "no such file" in nothing.stderr


def test_command_in_a_subprocess(results, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cleaner", "report", str(results), "-o", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == done.stderr == ""
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _chromium(*arguments: str) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_headless_chromium_renders_the_page(results, tmp_path):
    page = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", str(results), "-o", str(page)]).exit_code == 0
    dumped = _chromium("--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    # The browser parsed the whole page: every section, the SVG and the per-rule samples.
    for heading in (
        "Removed share per document",
        "Removed lines by kind",
        "Removed lines by rule",
        "Suspicious",
    ):
        assert heading in dom
    assert dom.count('class="bin"') == 20
    assert 'id="rule-theduran-category-residue"' in dom and 'id="rule-wpdiscuz-comment-widget"' in dom
    assert "What do you think?" in dom  # a line the comment widget rule removed, shown in its sample
    assert "</html>" in dom and "Uncaught" not in dumped.stderr
    shot = tmp_path / "report.png"
    taken = _chromium("--hide-scrollbars", "--window-size=1280,900", f"--screenshot={shot}", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_readme_report_commands_work_as_written(tmp_path):
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Reviewing a batch\n", 1)[1]
    commands = section.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(commands) == 2
    (tmp_path / "pages").mkdir()
    for path in sorted(SAMPLES.glob("*.input.txt"))[:3]:
        shutil.copy(path, tmp_path / "pages" / path.name.replace(".input", ""))
    program = f"{sys.executable} -m cleaner "
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command.replace("cleaner ", program)], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, (command, done.stderr)
        assert "3</b>documents" in (tmp_path / "report.html").read_text(encoding="utf-8")
        (tmp_path / "report.html").unlink()
