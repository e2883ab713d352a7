"""`cleaner rules suggest`: rules mined from a batch remove its chrome and none of its articles."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Options, clean_text, load_rules
from cleaner.cli.main import cli
from cleaner.rulebook.examples import _lines
from cleaner.rulebook.suggest import SuggestOptions, generalise, line_key, suggest
from cleaner.text.document import paragraph_spans, split_lines
from tests.conftest import CASES, SAMPLES, sample_expected, sample_input, sample_spec

# The chrome the suggested rules must remove (the samples' specification names its kinds).
REQUIRED_KINDS = {"category-residue", "comment-widget", "disclaimer", "rating-widget", "donation-plea"}


def paragraphs(text: str) -> list[str]:
    lines = _lines(text)
    return ["\n".join(line.text for line in lines[a:b]) for a, b in paragraph_spans(lines)]


def body(case: str) -> list[str]:
    """The sample's article paragraphs, title excluded."""
    return paragraphs(sample_expected(case))[1:]


def shared_paragraphs() -> set[str]:
    """Paragraphs found in more than one sample article (one article quotes another)."""
    seen: dict[str, set[str]] = {}
    for case in CASES:
        for paragraph in body(case):
            seen.setdefault(line_key(paragraph), set()).add(case)
    return {key for key, cases in seen.items() if len(cases) > 1}


def suggest_file(directory: Path, *args: str) -> Path:
    target = directory.parent / "suggested.toml"
    result = CliRunner().invoke(
        cli, ["rules", "suggest", "--no-builtin", str(directory), "-o", str(target), *args]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return target


def check_batch(documents: dict[str, tuple[str, list[tuple[str, str]], list[str]]], rules_path: Path):
    """Clean each document with the suggested rules alone: the chrome goes, every paragraph stays."""
    ruleset = load_rules([rules_path], builtin=False)
    for name, (text, chrome, article) in documents.items():
        result = clean_text(text, Options(rules=ruleset))
        removed = {line.text for removal in result.removals for line in removal.lines}
        for kind, line in chrome:
            if kind in REQUIRED_KINDS:
                assert line in removed, f"{name}: {kind} line {line!r} was kept"
        kept = set(result.paragraphs) | {result.title}
        for paragraph in article:
            assert paragraph in kept, f"{name}: title or body paragraph removed: {paragraph[:60]!r}"


def test_shared_paragraph_exists_in_the_samples():
    # The guard below means something only if two articles do share a paragraph.
    assert len(shared_paragraphs()) >= 1


def test_samples_batch_yields_rules_that_remove_the_chrome_and_keep_every_paragraph(tmp_path):
    batch = tmp_path / "pages"
    batch.mkdir()
    for case in CASES:
        shutil.copy(SAMPLES / f"{case}.input.txt", batch / f"{case}.txt")
    path = suggest_file(batch)
    text = path.read_text(encoding="utf-8")
    assert CliRunner().invoke(cli, ["rules", "test", "--no-builtin", str(path)]).exit_code == 0
    documents = {}
    for case in CASES:
        spec = sample_spec(case)["removed"]
        article = [sample_spec(case)["title"], *body(case)]
        documents[case] = (sample_input(case).decode(), [(r["kind"], r["text"]) for r in spec], article)
    check_batch(documents, path)
    # The quoted paragraph is reported as evidence, and no rule pattern quotes it.
    assert "in fewer than 3 documents (--min-docs)" in text
    rules_part = text.split("# Recurring lines not proposed")[0]
    assert "Lavrov and Kerry" not in rules_part
    assert re.search(r"^# in \d+ of 5 documents \(\d+%\), (head|tail|inside)", text, re.MULTILINE)


def variant_batch(count: int, seed: int) -> dict[str, tuple[str, list[tuple[str, str]], list[str]]]:
    """Pages built from the samples' chrome around bodies drawn from every sample's paragraphs,
    with their own titles and related links, other comment counts and ratings; the shared
    quoted paragraph is in 40% of them."""
    rng = random.Random(seed)
    shared = shared_paragraphs()
    pool = [p for case in CASES for p in body(case) if line_key(p) not in shared]
    quoted = next(p for case in CASES for p in body(case) if line_key(p) in shared)
    links = [
        r["text"] for case in CASES for r in sample_spec(case)["removed"] if r["kind"] == "related-links"
    ]
    links += [sample_spec(case)["title"] for case in CASES]
    documents = {}
    for number in range(count):
        case = CASES[number % len(CASES)]
        lines = split_lines(sample_input(case).decode())
        chrome_lines = {r["line"] for r in sample_spec(case)["removed"]}
        content = [n for n, line in enumerate(lines, 1) if line.strip() and n not in chrome_lines]
        first, last = content[1], content[-1]  # content[0] is the title
        article = rng.sample(pool, rng.randint(4, 9))
        if number % 5 < 2:
            article.insert(rng.randint(0, len(article)), quoted)
        chrome = []
        out = []
        title = " ".join(rng.choice(pool).split()[:8]).rstrip(",.")
        related = iter(rng.sample(links, 4))
        for n, line in enumerate(lines, 1):
            if n == content[0]:
                line = title
            if n == first:
                out.append("\n\n".join(article))
            if first <= n <= last and n not in chrome_lines:
                continue
            line = re.sub(r"^\d+ Comments$", f"{rng.choice([0, 1, 3, 12, 101])} Comments", line)
            line = re.sub(r"^\d+ \d+ vote$", f"{rng.randint(0, 5)} {rng.choice([0, 1, 7, 24])} votes", line)
            if n in chrome_lines:
                kind = next(r["kind"] for r in sample_spec(case)["removed"] if r["line"] == n)
                line = next(related) if kind == "related-links" else line
                chrome.append((kind, " ".join(line.split())))
            out.append(line)
        documents[f"variant-{number:02}"] = ("\n".join(out) + "\n", chrome, [title, *article])
    return documents


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_variants_yield_rules_that_remove_the_chrome_and_keep_every_paragraph(tmp_path, seed):
    documents = variant_batch(30, seed)
    batch = tmp_path / "pages"
    batch.mkdir()
    for name, (text, _, _) in documents.items():
        (batch / f"{name}.txt").write_text(text, encoding="utf-8")
    path = suggest_file(batch)
    text = path.read_text(encoding="utf-8")
    assert r"\d+ Comments?" in text
    assert CliRunner().invoke(cli, ["rules", "test", "--no-builtin", str(path)]).exit_code == 0
    check_batch(documents, path)


def test_lines_the_loaded_rules_remove_are_not_proposed_again():
    documents = [(case, sample_input(case).decode()) for case in CASES]
    assert suggest(documents, load_rules()).rules == ()
    assert suggest(documents, None).rules


def test_thresholds_are_honoured():
    documents = [(case, sample_input(case).decode()) for case in CASES]
    assert suggest(documents, None, SuggestOptions(min_docs=6)).rules == ()
    strict = suggest(documents, None, SuggestOptions(min_share=1.0))
    assert strict.rules and all(rule.documents == 5 for rule in strict.rules)


def test_numbers_are_generalised_and_keys_ignore_case_digits_and_punctuation():
    assert generalise("101 Comments") == r"\d+ Comments?"
    assert generalise("1,217 views") == r"\d[\d,.]* views?"
    assert generalise("(Video) *") == r"\(Video\) \*"
    assert line_key("“The Russians are here.”") == line_key("the russians are here")
    assert line_key("0 Comments") == line_key("12 comments") == line_key("1 Comment")


def test_stdout_and_the_installed_script(tmp_path):
    batch = tmp_path / "pages"
    batch.mkdir()
    for case in CASES:
        shutil.copy(SAMPLES / f"{case}.input.txt", batch / f"{case}.txt")
    script = str(Path(sys.executable).with_name("cleaner"))
    done = subprocess.run(
        [script, "rules", "suggest", "--no-builtin", str(batch)], capture_output=True, check=True
    )
    assert done.stdout.decode().startswith("# Rules proposed by `cleaner rules suggest` from 5 documents")
    assert done.stderr == b""
    assert 'id = "pages-' in done.stdout.decode()


def test_too_few_documents_is_a_usage_error(tmp_path):
    (tmp_path / "one.txt").write_text("A page.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["rules", "suggest", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == "cleaner: error: need at least 2 readable documents, found 1\n"
