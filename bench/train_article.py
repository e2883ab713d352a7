#!/usr/bin/env python3
"""Fit the article model's weights on labelled pages and write them into the rule file.

    python bench/train_article.py SET... [--half 0|1|all] [--write rules/generic/article.toml]

Each SET is `TEXT_DIR:LABELS_DIR:GOLD_DIR[:PAGES_JSONL]`: the scraped pages (ID.txt), one label
per input line (`a` article, `c` chrome, empty for blank), the true article texts, and the
pages' addresses. With an addresses file, the sites are split in two halves by a hash of the
host name: `--half 0` fits on the first half only, so that the second half shows how the model
does on sites it never saw (bench/quality.py --split reports both). Needs numpy (`pip install
'.[bench]'`).

The model (cleaner/engine/article.py) is a logistic regression over named line features, fitted by
Newton's method with an L2 penalty. Each line weighs its word count plus one, each page the
same in all. The thresholds of each --favor setting are then chosen on the same pages by
cleaning them as the rule would: `balanced` maximises F1 averaged over the sets, `precision`
maximises F1 among settings whose precision is higher still, `recall` the same for recall.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import mean
from urllib.parse import urlparse

from cleaner import Options, clean_bytes, load_rules
from cleaner.engine import structure
from cleaner.engine.article import page_features
from cleaner.engine.article_path import article_path, headline_candidates, headline_features
from cleaner.engine.page import PageLine
from cleaner.engine.structure import Favor

TOKEN = re.compile(r"\w+")
BEGIN = "# --- weights: written by bench/train_article.py, do not edit by hand ---"
END = "# --- end of weights ---"


@dataclass
class Page:
    set_name: str
    id: str
    round: int  # 0: the page as it came; 1 and on: as the rules of the rounds before left it
    half: int
    lines: list[PageLine]
    soft: list[bool]  # removed by a rule the article may overrule
    removed: list[bool]  # removed by a rule before the article rule ran
    labels: list[bool]
    gold: Counter[str]
    title: str  # the first line of the true text
    features: list[list[str]]


def host_half(url: str) -> int:
    host = urlparse(url).netloc.lower().removeprefix("www.")
    return int(hashlib.md5(host.encode()).hexdigest(), 16) % 2


def tokens(text: str) -> Counter[str]:
    return Counter(token.lower() for token in TOKEN.findall(text))


def capture_pages(spec: str) -> list[Page]:
    """Clean every page of one set with the built-in rules, capturing what the article rule sees."""
    text_dir, label_dir, gold_dir, *rest = spec.split(":")
    halves: dict[str, int] = {}
    if rest:
        for row in Path(rest[0]).read_text(encoding="utf-8").splitlines():
            record = json.loads(row)
            halves[record["id"]] = host_half(record["url"])
    captured: list[list] = []
    original_apply = structure.ArticleRule.apply

    def capture(self, lines, context):
        # Every round: the first sees the whole page, later ones the page the rules left,
        # which the model must leave as it is (cleaning twice is cleaning once).
        page = structure._page(lines, context, self.headings)
        features = page_features(
            page.lines,
            None,
            None,
            self.cluster_gap,
            self.cluster_plain_gap,
            self.cluster_main_share,
            self.cluster_parting_kinds,
        )
        captured[-1].append((page, page.soft, page.removed, features))
        return original_apply(self, lines, context)

    structure.ArticleRule.apply = capture  # type: ignore[method-assign]
    options = Options(rules=load_rules(check_examples=False))
    pages = []
    try:
        for path in sorted(Path(text_dir).glob("*.txt")):
            captured.append([])
            clean_bytes(path.read_bytes(), options, source=str(path))
            labels = (Path(label_dir) / path.name).read_text(encoding="utf-8").split("\n")
            for round_number, (page, soft, removed, features) in enumerate(captured[-1]):
                pages.append(
                    _page_of(
                        spec, path, round_number, page, soft, removed, features, labels, gold_dir, halves
                    )
                )
    finally:
        structure.ArticleRule.apply = original_apply  # type: ignore[method-assign]
    return pages


def _page_of(
    spec: str,
    path: Path,
    round_number: int,
    page: structure._Page,
    soft: list[bool],
    removed: list[bool],
    features: list[list[str]],
    labels: list[str],
    gold_dir: str,
    halves: dict[str, int],
) -> Page:
    wanted = [
        labels[line.number - 1] == "a" if line.number - 1 < len(labels) else False for line in page.source
    ]
    gold_text = (Path(gold_dir) / path.name).read_text(encoding="utf-8", errors="replace")
    title = " ".join(gold_text.split("\n", 1)[0].split())
    return Page(
        spec,
        path.stem,
        round_number,
        halves.get(path.stem, 0),
        page.lines,
        soft,
        removed,
        wanted,
        tokens(gold_text),
        title,
        features,
    )


def fit(pages: list[Page], l2: float) -> dict[str, float]:
    """Line weights: each line weighs its words plus one, each page the same in all."""
    examples = []
    for page in pages:
        total = sum(line.words + 1 for line in page.lines)
        for line, features, label in zip(page.lines, page.features, page.labels, strict=True):
            examples.append((features, label, (line.words + 1) / total))
    return logistic(examples, l2)


def headline_examples(page: Page, weights: dict[str, float], favor: Favor, lookback: int) -> list:
    """The headline candidates of a page as the rule sees them, labelled by the true title."""
    scores = [sum(weights.get(n, 0.0) for n in names) + favor.offset for names in page.features]
    path = article_path(scores, favor.enter_cost, favor.gap_cost, favor.gap_line_cost)
    inside = [i for i, keep in enumerate(path) if keep]
    if not inside or not page.title:
        return []
    start = next((i for i in inside if page.lines[i].prose), inside[0])
    candidates = [
        i for i in headline_candidates(page.lines, start, lookback) if not page.removed[i] or page.soft[i]
    ]
    wanted = [" ".join(page.lines[i].text.split()).lower() == page.title.lower() for i in candidates]
    if not any(wanted):
        return []
    features = headline_features(page.lines, candidates, start, scores, path)
    return [(names, label, 1 / len(candidates)) for names, label in zip(features, wanted, strict=True)]


def choose_headline_threshold(
    pages: list[Page], weights: dict[str, float], headline: dict[str, float], favor: Favor, lookback: int
) -> float:
    """The least score at which the best candidate is taken: the one that takes the most true
    titles less the wrong picks."""
    best: list[tuple[float, bool]] = []  # the best candidate's score, and whether it is the title
    for page in pages:
        scores = [sum(weights.get(n, 0.0) for n in names) + favor.offset for names in page.features]
        path = article_path(scores, favor.enter_cost, favor.gap_cost, favor.gap_line_cost)
        inside = [i for i, keep in enumerate(path) if keep]
        if not inside:
            continue
        start = next((i for i in inside if page.lines[i].prose), inside[0])
        candidates = [
            i for i in headline_candidates(page.lines, start, lookback) if not page.removed[i] or page.soft[i]
        ]
        if not candidates:
            continue
        features = headline_features(page.lines, candidates, start, scores, path)
        values = [sum(headline.get(n, 0.0) for n in names) for names in features]
        k = max(range(len(candidates)), key=values.__getitem__)
        best.append(
            (values[k], " ".join(page.lines[candidates[k]].text.split()).lower() == page.title.lower())
        )
    thresholds = [t / 4 for t in range(-16, 9)]
    gain = {t: sum(1 if right else -1 for value, right in best if value >= t) for t in thresholds}
    chosen = max(thresholds, key=lambda t: (gain[t], -t))
    right = sum(1 for value, ok in best if value >= chosen and ok)
    print(
        f"headline: least score {chosen}, {right} of {len(best)} pages get their true title", file=sys.stderr
    )
    return chosen


def logistic(examples: list[tuple[list[str], bool, float]], l2: float) -> dict[str, float]:
    """Weights of a logistic regression over named binary features, by Newton's method."""
    import numpy as np

    names = sorted({name for features, _, _ in examples for name in features})
    index = {name: i for i, name in enumerate(names)}
    rows = [[index[name] for name in features] for features, _, _ in examples]
    targets = [1.0 if label else 0.0 for _, label, _ in examples]
    weights = [weight for _, _, weight in examples]
    x = np.zeros((len(rows), len(names)))
    for row, columns in enumerate(rows):
        x[row, columns] = 1.0
    y = np.array(targets)
    w = np.array(weights) / sum(weights)
    theta = np.zeros(len(names))
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ theta)))
        gradient = x.T @ (w * (p - y)) + l2 * theta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(names))
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-7:
            break
    return {name: round(float(theta[i]), 3) for name, i in index.items() if abs(theta[i]) >= 0.005}


def evaluate(
    pages: list[Page], weights: dict[str, float], favor: Favor
) -> dict[str, tuple[float, float, float]]:
    """P, R, F1 per set, page-averaged, of the text the article rule would keep."""
    by_set: dict[str, list[tuple[float | None, float]]] = {}
    for page in pages:
        scores = [sum(weights.get(n, 0.0) for n in names) + favor.offset for names in page.features]
        path = article_path(scores, favor.enter_cost, favor.gap_cost, favor.gap_line_cost)
        kept = Counter()
        for line, keep, removed, soft, value in zip(
            page.lines, path, page.removed, page.soft, scores, strict=True
        ):
            gone = removed and not (soft and value >= favor.restore_min_score)
            if keep and not gone:
                kept += tokens(line.text)
        tp = sum((kept & page.gold).values())
        fp = sum(kept.values()) - tp
        fn = sum(page.gold.values()) - tp
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else 1.0
        by_set.setdefault(page.set_name, []).append((precision, recall))
    result = {}
    for name, rows in by_set.items():
        p = mean(x for x, _ in rows if x is not None)
        r = mean(y for _, y in rows)
        result[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return result


RECALL_FLOOR = 0.95


def choose_favors(pages: list[Page], weights: dict[str, float]) -> dict[str, Favor]:
    candidates = [
        Favor(offset, 0.0, gap, gap_line, restore)
        for offset in (-1.5, -1.0, -0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
        for gap in (1.0, 3.0)
        for gap_line in (0.3, 0.6, 1.0)
        for restore in (0.0, 1.0)
    ]
    results = []
    for favor in candidates:
        figures = evaluate(pages, weights, favor).values()
        results.append(
            (favor, mean(f[0] for f in figures), mean(f[1] for f in figures), mean(f[2] for f in figures))
        )
    # When in doubt, keep: balanced is the best F1 that keeps 95% of the article words, if
    # any setting does; precision and recall lean clearly one way each.
    balanced = max(
        (r for r in results if r[2] >= RECALL_FLOOR),
        key=lambda r: r[3],
        default=max(results, key=lambda r: r[3]),
    )
    precise = max((r for r in results if r[1] >= balanced[1] + 0.015), key=lambda r: r[3], default=balanced)
    recalling = max((r for r in results if r[2] >= balanced[2] + 0.015), key=lambda r: r[3], default=balanced)
    for name, row in (("precision", precise), ("balanced", balanced), ("recall", recalling)):
        print(f"favor {name:9} P {row[1]:.3f} R {row[2]:.3f} F1 {row[3]:.3f}  {row[0]}", file=sys.stderr)
    return {"precision": precise[0], "balanced": balanced[0], "recall": recalling[0]}


def weights_toml(
    weights: dict[str, float], headline: dict[str, float], favors: dict[str, Favor], note: str
) -> str:
    lines = [BEGIN, f"# {note}"]
    for name, favor in favors.items():
        lines.append(f"[rule.favor.{name}]")
        for key in (
            "offset",
            "enter_cost",
            "gap_cost",
            "gap_line_cost",
            "restore_min_score",
            "headline_min_score",
            "prose_min_score",
            "header_keep_score",
        ):
            lines.append(f"{key} = {getattr(favor, key)}")
    lines.append("[rule.weights]")
    lines += [f'"{name}" = {weight}' for name, weight in sorted(weights.items())]
    lines.append("[rule.headline_weights]")
    lines += [f'"{name}" = {weight}' for name, weight in sorted(headline.items())]
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_weights(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", help="TEXT_DIR:LABELS_DIR:GOLD_DIR[:PAGES_JSONL]")
    parser.add_argument(
        "--half", default="0", choices=["0", "1", "all"], help="which half of the sites to fit on"
    )
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--write", type=Path, help="rule file whose weights block to replace")
    args = parser.parse_args()

    pages = [page for spec in args.sets for page in capture_pages(spec)]
    train = pages if args.half == "all" else [p for p in pages if p.half == int(args.half)]
    held = [] if args.half == "all" else [p for p in pages if p.half != int(args.half)]
    weights = fit(train, args.l2)
    favors = choose_favors([p for p in train if p.round == 0], weights)
    lookback = structure.ArticleRule.__dataclass_fields__["headline_lookback"].default
    examples = [
        e
        for page in train
        if page.round == 0
        for e in headline_examples(page, weights, favors["balanced"], lookback)
    ]
    headline = logistic(examples, args.l2) if examples else {}
    least = choose_headline_threshold(
        [p for p in train if p.round == 0], weights, headline, favors["balanced"], lookback
    )
    favors = {name: replace(favor, headline_min_score=least) for name, favor in favors.items()}
    for name, group in (("fitted on", train), ("held out", held)):
        if group:
            first_round = [p for p in group if p.round == 0]
            for set_name, (p, r, f) in sorted(evaluate(first_round, weights, favors["balanced"]).items()):
                print(f"{name:9} {set_name.split(':')[0]:45} P {p:.3f} R {r:.3f} F1 {f:.3f}", file=sys.stderr)
    count = sum(1 for page in train if page.round == 0)
    note = f"fitted on half {args.half} of the sites of {len(args.sets)} sets: {count} pages"
    note += f", {len(train)} with the later rounds"
    block = weights_toml(weights, headline, favors, note)
    if args.write:
        write_weights(args.write, block)
    else:
        sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
