"""A review page of a batch: one self-contained HTML file from the JSON results of a run.

The page needs nothing from the network (inline CSS and SVG, no script, and a content
security policy that forbids fetching anything), so it can be mailed or archived as it is.
It shows what a person needs to judge whether a rule pack is safe for a corpus: removed
lines by rule and by kind, a histogram of the share of words removed per document, the
suspicious documents, and for every rule samples of what it removed, among the lines
around them.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.errors import CleanerError

SAMPLES_PER_RULE = 5
CONTEXT_LINES = 2
POLICY = "default-src 'none'; style-src 'unsafe-inline'"  # nothing may be fetched
BINS = 20


@dataclass(slots=True)
class Sample:
    source: str
    title: str | None
    line: int
    lines: list[tuple[int, str, str | None]]  # (number, text, rule that removed it or None: not shown)


@dataclass(slots=True)
class Review:
    """What the page shows, gathered from the results one document at a time."""

    documents: int = 0
    suspicious: list[tuple[str, str | None, float]] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    kinds_of: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    documents_by_rule: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[Sample]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)

    def kind_label(self, rule: str) -> str:
        """The kinds a rule removed lines as (a structural rule names several), commonest first."""
        kinds = self.kinds_of.get(rule, Counter())
        return ", ".join(kind for kind, _ in sorted(kinds.items(), key=lambda item: (-item[1], item[0])))

    def add(self, result: dict[str, Any], where: str) -> None:
        """One result object, as `cleaner clean --format json` writes it."""
        removed = result.get("removed")
        stats = result.get("stats")
        if not isinstance(removed, list) or not isinstance(stats, dict):
            self.errors.append(f"{where}: not a cleaner result (no 'removed' and 'stats')")
            return
        self.documents += 1
        share = float(stats.get("removed_share") or 0.0)
        self.shares.append(share)
        source = str(result.get("source") or where)
        title = result.get("title")
        if result.get("suspicious"):
            self.suspicious.append((source, title, share))
        numbered = {entry["line"]: entry for entry in removed if isinstance(entry, dict) and "line" in entry}
        seen: set[str] = set()
        for number, entry in sorted(numbered.items()):
            rule, kind = str(entry.get("rule")), str(entry.get("kind"))
            self.by_rule[rule] += 1
            self.by_kind[kind] += 1
            self.kinds_of[rule][kind] += 1
            if rule in seen:
                continue  # one sample per rule and document: the first place it removed
            seen.add(rule)
            self.documents_by_rule[rule] += 1
            if len(self.samples[rule]) < SAMPLES_PER_RULE:
                self.samples[rule].append(_sample(numbered, number, source, title))


def _sample(numbered: dict[int, dict[str, Any]], number: int, source: str, title: str | None) -> Sample:
    lines: list[tuple[int, str, str | None]] = []
    for near in range(number - CONTEXT_LINES, number + CONTEXT_LINES + 1):
        if near < 1:
            continue
        entry = numbered.get(near)
        if entry is None:
            lines.append((near, "", None))
        else:
            lines.append((near, str(entry.get("text", "")), str(entry.get("rule"))))
    return Sample(source, title, number, lines)


# ---- reading results ----------------------------------------------------------------------


def result_files(paths: Iterable[str]) -> Iterator[Path]:
    """The files to read: each path, and the *.json / *.jsonl files under a folder, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and _is_result(p.name)]
            yield from sorted(found)
        else:
            yield path


def _is_result(name: str) -> bool:
    return name.endswith((".json", ".jsonl", ".jsonl.gz", ".jsonl.zst")) and name != "cleaner-summary.json"


def read_results(paths: Iterable[str], review: Review) -> Review:
    """Add every result in `paths` to `review`; unreadable ones become its errors."""
    from cleaner.records.formats import compression_of, read_lines
    from cleaner.records.locations import RecordFileError

    for path in result_files(paths):
        name = str(path)
        if not path.exists():
            review.errors.append(f"{name}: no such file")
            continue
        if name.endswith(".json"):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as problem:
                review.errors.append(f"{name}: not JSON ({problem})")
                continue
            for index, item in enumerate(data if isinstance(data, list) else [data], 1):
                review.add(
                    item if isinstance(item, dict) else {},
                    f"{name}[{index}]" if isinstance(data, list) else name,
                )
            continue
        try:
            for number, line in read_lines(name, compression_of(name)):
                try:
                    item = json.loads(line)
                except ValueError as problem:
                    review.errors.append(f"{name}:{number}: not JSON ({problem})")
                    continue
                review.add(item if isinstance(item, dict) else {}, f"{name}:{number}")
        except RecordFileError as problem:
            review.errors.append(str(problem))
    return review


# ---- the page -----------------------------------------------------------------------------

CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #1d1d1f; }
body { padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.facts { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.fact { background: #f4f5f7; border-radius: 6px; padding: .6rem 1rem; }
.fact b { display: block; font-size: 1.4rem; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .25rem .5rem; text-align: left; }
tr:nth-child(even) td { background: #fafafa; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #4a78c2; height: .7rem; display: inline-block; vertical-align: middle; }
.rule { margin: 1.2rem 0 .4rem; } .rule code { font-size: 1rem; font-weight: 600; }
.kind { color: #666; margin-left: .5rem; }
.sample { border-left: 3px solid #c9d4e8; margin: .5rem 0 .8rem; padding: .2rem .6rem; }
.where { color: #666; font-size: .85rem; }
.line { font-family: ui-monospace, monospace; font-size: .85rem; white-space: pre-wrap; }
.line .no { color: #999; display: inline-block; width: 3.5rem; }
.hit { background: #ffe3e3; } .other { color: #8a6d3b; } .kept { color: #aaa; font-style: italic; }
.suspicious td:first-child { color: #b00020; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def histogram_svg(shares: list[float], bins: int = BINS) -> str:
    """Inline SVG: how many documents had each share of their words removed."""
    counts = [0] * bins
    for share in shares:
        counts[min(bins - 1, int(max(0.0, min(1.0, share)) * bins))] += 1
    width, height, pad = 640, 200, 30
    top = max(counts) or 1
    bar = (width - 2 * pad) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="removed share histogram" '
        f'width="{width}" height="{height + 2 * pad}" viewBox="0 0 {width} {height + 2 * pad}">',
        f'<line x1="{pad}" y1="{pad + height}" x2="{width - pad}" y2="{pad + height}" stroke="#999"/>',
    ]
    for index, count in enumerate(counts):
        h = height * count / top
        x = pad + index * bar
        low, high = index / bins, (index + 1) / bins
        parts.append(
            f'<rect class="bin" x="{x + 1:.1f}" y="{pad + height - h:.1f}" width="{bar - 2:.1f}" '
            f'height="{h:.1f}" '
            f'fill="#4a78c2"><title>{low:.0%}-{high:.0%}: {count} documents</title></rect>'
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{pad + height - h - 4:.1f}" font-size="10" '
                f'text-anchor="middle">{count}</text>'
            )
    for tick in range(0, 101, 25):
        x = pad + (width - 2 * pad) * tick / 100
        parts.append(
            f'<text x="{x:.1f}" y="{pad + height + 16}" font-size="11" text-anchor="middle">{tick}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _count_table(counts: Counter[str], label: str, extra: dict[str, str] | None = None) -> str:
    if not counts:
        return "<p>None.</p>"
    top = max(counts.values())
    rows = []
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        width = max(1, round(160 * count / top))
        more = f"<td>{_e(extra.get(name, ''))}</td>" if extra is not None else ""
        rows.append(
            f'<tr><td><code>{_e(name)}</code></td>{more}<td class="n">{count}</td>'
            f'<td><span class="bar" style="width:{width}px"></span></td></tr>'
        )
    head = "<th>kind</th>" if extra is not None else ""
    return f"<table><tr><th>{_e(label)}</th>{head}<th>lines</th><th></th></tr>{''.join(rows)}</table>"


def _sample_html(sample: Sample, rule: str) -> str:
    lines = []
    for number, text, by in sample.lines:
        if by is None:
            lines.append(f'<div class="line kept"><span class="no">{number}</span>(kept or blank)</div>')
        elif by == rule:
            lines.append(f'<div class="line hit"><span class="no">{number}</span>{_e(text)}</div>')
        else:
            lines.append(
                f'<div class="line other"><span class="no">{number}</span>{_e(text)}  [{_e(by)}]</div>'
            )
    title = f" · {_e(sample.title)}" if sample.title else ""
    return (
        f'<div class="sample"><div class="where">{_e(sample.source)}, line {sample.line}{title}</div>'
        f"{''.join(lines)}</div>"
    )


def render(review: Review, title: str = "cleaner review") -> str:
    """The page, as one string of HTML."""
    documents = review.documents
    removed = sum(review.by_rule.values())
    mean = sum(review.shares) / len(review.shares) if review.shares else 0.0
    facts = [
        ("documents", documents),
        ("lines removed", removed),
        ("rules that removed", len(review.by_rule)),
        ("suspicious", len(review.suspicious)),
        ("mean removed share", f"{mean:.1%}"),
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<div class="facts">'
        + "".join(
            f'<div class="fact" id="fact-{i}"><b>{_e(v)}</b>{_e(k)}</div>' for i, (k, v) in enumerate(facts)
        )
        + "</div>",
        '<h2 id="share">Removed share per document</h2>',
        "<p>The share of each document's words that the rules removed.</p>",
        histogram_svg(review.shares),
        '<h2 id="kinds">Removed lines by kind</h2>',
        _count_table(review.by_kind, "kind"),
        '<h2 id="rules">Removed lines by rule</h2>',
        _count_table(review.by_rule, "rule", {rule: review.kind_label(rule) for rule in review.by_rule}),
        f'<h2 id="suspicious">Suspicious documents ({len(review.suspicious)})</h2>',
    ]
    if review.suspicious:
        rows = "".join(
            f'<tr class="suspicious"><td>{_e(source)}</td><td>{_e(title or "")}</td>'
            f'<td class="n">{share:.0%}</td></tr>'
            for source, title, share in sorted(review.suspicious, key=lambda item: (-item[2], item[0]))
        )
        parts.append(f"<table><tr><th>document</th><th>title</th><th>removed</th></tr>{rows}</table>")
    else:
        parts.append("<p>None: no document lost more than --max-removed of its words.</p>")
    parts.append('<h2 id="samples">What each rule removed</h2>')
    parts.append(
        "<p>For each rule, the first place it removed a line in up to "
        f"{SAMPLES_PER_RULE} documents, with {CONTEXT_LINES} lines either side: "
        '<span class="hit">removed by the rule</span>, <span class="other">removed by another rule</span>, '
        '<span class="kept">kept or blank</span>.</p>'
    )
    for rule in sorted(review.samples, key=lambda name: (-review.by_rule[name], name)):
        in_docs = review.documents_by_rule[rule]
        parts.append(
            f'<div class="rule" id="rule-{_e(rule)}"><code>{_e(rule)}</code>'
            f'<span class="kind">{_e(review.kind_label(rule))} · {review.by_rule[rule]} lines in '
            f"{in_docs} documents</span></div>"
        )
        parts.extend(_sample_html(sample, rule) for sample in review.samples[rule])
    if review.errors:
        parts.append(f'<h2 id="errors">Inputs that could not be read ({len(review.errors)})</h2><ul>')
        parts.extend(f"<li>{_e(message)}</li>" for message in review.errors)
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def build(paths: Iterable[str]) -> tuple[str, list[str]]:
    """The page for the results in `paths`, and the problems met reading them."""
    review = read_results(paths, Review())
    if review.documents == 0 and not review.errors:
        raise CleanerError("no results found (expected the JSON of `cleaner clean --format json|jsonl`)")
    return render(review), review.errors
