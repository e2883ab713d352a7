#!/usr/bin/env python3
"""Clean a directory of pages and score the result against the true article texts.

    python bench/quality.py PAGES_DIR GOLD_DIR [--per-page] [--out DIR] [--json FILE]
                            [--rules PATH]... [--show ID] [--favor NAME]
                            [--labels DIR] [--split PAGES_JSONL]

PAGES_DIR holds one ID.txt per page (the scraped text), GOLD_DIR one ID.txt per page (the
headline and the article body). Every gold page is scored; a page missing from PAGES_DIR
counts as an empty output.

Score: token precision, recall and F1, page-averaged as article-extraction benchmarks do.
Tokens are lower-cased runs of letters and digits (`\\w+`). Per page, tp is the multiset
overlap of the cleaned page's tokens with the gold tokens, P = tp / output tokens and
R = tp / gold tokens (both 1.0 when the output is exactly the gold bag). Overall P is the
mean of the per-page P over pages with a non-empty output, overall R the mean over all pages,
and F1 = 2PR / (P + R). The input pages are scored the same way, so that a page whose input
already lacks most of the article is told apart from a page that cleaning damaged.

--show ID prints each input line of the pages whose id starts with ID, with the rule that
removed it (or KEEP): the view to use when a rule misbehaves.

--labels DIR (one label per input line: `a` article, `c` chrome) adds, for every rule, the
article words and the chrome words it removed, as shares of all article and chrome words, and
how many pages lost more than a fifth of their article words. --split PAGES_JSONL (each page's
id and url) also scores the two halves of the sites apart, split by a hash of the host name as
bench/train_article.py splits them: the half the article model was not fitted on shows how it
does on sites it never saw.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from cleaner import Options, clean_bytes, load_rules
from cleaner.engine.result import CleanResult
from cleaner.text.document import word_count

TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(token.lower() for token in TOKEN.findall(text))


@dataclass(frozen=True)
class PageScore:
    id: str
    precision: float
    recall: float
    f1: float
    output_tokens: int
    input_recall: float  # recall of the uncleaned page: how much of the article it holds


def prf(output: Counter[str], gold: Counter[str]) -> tuple[float, float, float]:
    tp = sum((output & gold).values())
    fp = sum(output.values()) - tp
    fn = sum(gold.values()) - tp
    if fp == 0 and fn == 0:
        return 1.0, 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summarize(rows: list[PageScore]) -> dict[str, float]:
    scored = [row for row in rows if row.output_tokens]
    precision = mean(row.precision for row in scored) if scored else 0.0
    recall = mean(row.recall for row in rows) if rows else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pages": len(rows), "P": precision, "R": recall, "F1": f1}


def clean_pages(pages: Path, ids: list[str], options: Options) -> tuple[dict[str, CleanResult], float]:
    results = {}
    started = time.perf_counter()
    for page_id in ids:
        path = pages / f"{page_id}.txt"
        if path.exists():
            results[page_id] = clean_bytes(path.read_bytes(), options, source=str(path))
    return results, time.perf_counter() - started


def show(page_id: str, path: Path, result: CleanResult) -> None:
    """Each non-blank input line with the rule and kind that removed it, or KEEP."""
    reasons = {}
    for removal in result.removals:
        for line in removal.lines:
            reasons[line.number] = f"{removal.kind}/{removal.rule}"
    print(f"== {page_id}")
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            print(f"{reasons.get(number, 'KEEP')[:40]:40} {' '.join(line.split())[:150]}")


def site_halves(pages_jsonl: Path) -> dict[str, int]:
    """Each page's half of the sites, as bench/train_article.py splits them."""
    import hashlib
    from urllib.parse import urlparse

    halves = {}
    for row in pages_jsonl.read_text(encoding="utf-8").splitlines():
        record = json.loads(row)
        host = urlparse(record["url"]).netloc.lower().removeprefix("www.")
        halves[record["id"]] = int(hashlib.md5(host.encode()).hexdigest(), 16) % 2
    return halves


def print_attribution(pages: Path, labels: Path, ids: list[str], results: dict[str, CleanResult]) -> None:
    """Per rule: the article and chrome words it removed; and the pages that lost a fifth."""
    article: Counter[str] = Counter()
    chrome: Counter[str] = Counter()
    hit_pages: Counter[str] = Counter()
    total_article = total_chrome = damaged = 0
    for page_id in ids:
        result = results.get(page_id)
        label_path = labels / f"{page_id}.txt"
        if result is None or not label_path.exists():
            continue
        marks = label_path.read_text(encoding="utf-8").split("\n")
        lines = (pages / f"{page_id}.txt").read_text(encoding="utf-8", errors="replace").splitlines()
        words = [word_count(line) for line in lines]
        page_article = sum(w for w, mark in zip(words, marks, strict=False) if mark == "a")
        total_article += page_article
        total_chrome += sum(w for w, mark in zip(words, marks, strict=False) if mark == "c")
        lost = 0
        rules_hit = set()
        for removal in result.removals:
            for line in removal.lines:
                index = line.number - 1
                mark = marks[index] if index < len(marks) else ""
                count = words[index] if index < len(words) else 0
                if mark == "a":
                    article[removal.rule] += count
                    lost += count
                    rules_hit.add(removal.rule)
                elif mark == "c":
                    chrome[removal.rule] += count
        hit_pages.update(rules_hit)
        if page_article and lost > 0.2 * page_article:
            damaged += 1
    print(f"article words {total_article}, chrome words {total_chrome}")
    print(
        f"pages that lost more than 20% of their article words: {damaged} of {len(ids)}"
        f" ({damaged / len(ids):.1%})"
    )
    print(f"{'rule':32} {'article words removed':>24} {'pages':>6} {'chrome words removed':>24}")
    for rule in sorted(set(article) | set(chrome), key=lambda r: (-article[r], -chrome[r])):
        a_share = article[rule] / total_article if total_article else 0.0
        c_share = chrome[rule] / total_chrome if total_chrome else 0.0
        print(
            f"{rule:32} {article[rule]:>14} ({a_share:6.2%}) {hit_pages[rule]:>6}"
            f" {chrome[rule]:>14} ({c_share:6.2%})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="directory of scraped pages, ID.txt")
    parser.add_argument("gold", type=Path, help="directory of true article texts, ID.txt")
    parser.add_argument("--per-page", action="store_true", help="print a line per page, worst first")
    parser.add_argument("--out", type=Path, help="also write each cleaned page to this directory")
    parser.add_argument("--json", type=Path, help="also write the per-page scores to this file")
    parser.add_argument("--rules", action="append", default=[], help="extra rule file or folder")
    parser.add_argument("--show", metavar="ID", help="print the removal reason of each line of page ID")
    parser.add_argument("--favor", default="balanced", help="the article model's setting")
    parser.add_argument("--labels", type=Path, help="per-line labels: report what each rule removed")
    parser.add_argument("--split", type=Path, help="pages.jsonl: also score the two halves of the sites")
    args = parser.parse_args()

    ids = sorted(path.stem for path in args.gold.glob("*.txt"))
    if not ids:
        print(f"quality: error: {args.gold}: no *.txt gold pages", file=sys.stderr)
        return 2
    options = Options(rules=load_rules(args.rules), favor=args.favor)
    results, seconds = clean_pages(args.pages, ids, options)

    rows = []
    for page_id in ids:
        gold = tokens((args.gold / f"{page_id}.txt").read_text(encoding="utf-8", errors="replace"))
        result = results.get(page_id)
        output = tokens(result.text) if result else Counter()
        page = args.pages / f"{page_id}.txt"
        raw = tokens(page.read_text(encoding="utf-8", errors="replace")) if page.exists() else Counter()
        precision, recall, f1 = prf(output, gold)
        rows.append(PageScore(page_id, precision, recall, f1, sum(output.values()), prf(raw, gold)[1]))
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{page_id}.txt").write_text(result.text if result else "", encoding="utf-8")
        if args.show and page_id.startswith(args.show) and result:
            show(page_id, page, result)

    if args.per_page:
        print("id      P      R      F1     input-R")
        for row in sorted(rows, key=lambda row: row.f1):
            scores = (row.precision, row.recall, row.f1, row.input_recall)
            print(row.id[:6], *(f"{score:.3f}" for score in scores), sep="  ")
    cleaned, raw = summarize(rows), summarize([PageScore(r.id, 0, r.input_recall, 0, 1, 0) for r in rows])
    damaged = [row for row in rows if row.recall < 0.5 <= row.input_recall]
    short = [row for row in rows if row.input_recall < 0.5]
    print(
        f"pages {cleaned['pages']}  cleaned in {seconds:.2f}s  "
        f"P {cleaned['P']:.3f}  R {cleaned['R']:.3f}  F1 {cleaned['F1']:.3f}  (input R {raw['R']:.3f})"
    )
    print(
        f"pages whose recall cleaning lowered below 0.5: {len(damaged)}"
        + "".join(f" {row.id[:6]} ({row.recall:.2f})" for row in damaged)
    )
    if short:
        print(
            f"pages whose input already has recall below 0.5: {len(short)}"
            + "".join(f" {row.id[:6]} ({row.input_recall:.2f})" for row in short)
        )
    if args.split:
        halves = site_halves(args.split)
        for half in (0, 1):
            part = summarize([row for row in rows if halves.get(row.id, 0) == half])
            print(
                f"sites of half {half}: pages {part['pages']}"
                f"  P {part['P']:.3f}  R {part['R']:.3f}  F1 {part['F1']:.3f}"
            )
    if args.labels:
        print_attribution(args.pages, args.labels, ids, results)
    if args.json:
        args.json.write_text(
            json.dumps({"summary": cleaned, "pages": [row.__dict__ for row in rows]}, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
