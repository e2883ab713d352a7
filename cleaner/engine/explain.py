"""Why each input line was kept or removed: one row per line, as plain rows, JSON or rich text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleaner.engine.result import CleanResult, Repair, Substitution
from cleaner.text.document import split_lines
from cleaner.text.normalization import normalize_line

if TYPE_CHECKING:  # rich is imported only when rendering
    from rich.console import Console

KEPT, REMOVED, TITLE, BLANK = "kept", "removed", "title", "blank"


@dataclass(frozen=True, slots=True)
class LineReport:
    """One input line: what happened to it, and the rule that did it."""

    number: int  # 1-based, as in the input file
    text: str  # the line as it came in
    status: str  # kept, removed, title or blank
    rule: str | None = None
    kind: str | None = None
    repair: Repair | None = None
    substitutions: tuple[Substitution, ...] = ()
    evidence: str | None = None  # for the first line of a structural removal: what it rests on


@dataclass(frozen=True, slots=True)
class Explanation:
    lines: tuple[LineReport, ...]
    result: CleanResult


def explain(text: str, result: CleanResult) -> Explanation:
    """Pair each line of `text` (the decoded input) with what cleaning it into `result` did.

    >>> from cleaner import Options, RuleSet, clean_text
    >>> page = "Big News\\n\\nIt rained all day and the river rose over the road.\\n"
    >>> [(r.number, r.status) for r in explain(page, clean_text(page, Options(rules=RuleSet()))).lines]
    [(1, 'title'), (2, 'blank'), (3, 'kept')]
    """
    removed = {line.number: removal for removal in result.removals for line in removal.lines}
    evidence = {removal.first_line: removal.evidence for removal in result.removals if removal.evidence}
    repairs = {repair.line: repair for repair in result.repairs}
    substituted: dict[int, list[Substitution]] = {}
    for substitution in result.substitutions:
        substituted.setdefault(substitution.line, []).append(substitution)
    reports = []
    title_pending = result.title is not None
    for number, raw in enumerate(split_lines(text), 1):
        repair = repairs.get(number)
        removal = removed.get(number)
        rule = kind = None
        if removal is not None:
            status, rule, kind = REMOVED, removal.rule, removal.kind
        elif not normalize_line(repair.after if repair else raw).strip():
            status = BLANK
        elif title_pending:
            # The title is the first paragraph left, so it starts on the first kept line.
            status, title_pending = TITLE, False
        else:
            status = KEPT
        reports.append(
            LineReport(
                number,
                raw,
                status,
                rule,
                kind,
                repair,
                tuple(substituted.get(number, ())),
                evidence.get(number) if removal is not None else None,
            )
        )
    return Explanation(tuple(reports), result)


def to_plain(explanation: Explanation) -> str:
    r"""Tab-separated rows: LINE, STATUS, RULE, KIND, TEXT (the rest of the row; '-' when empty).

    Each input line has one row with status kept, removed, title or blank and its text as it
    came in. A repaired line is followed by a `repaired` row (RULE: the fixes, TEXT: the
    repaired text), a substituted one by a `substituted` row (TEXT: the text after), and the
    first line of a structural removal by an `evidence` row (TEXT: what the decision rests on).

    >>> from cleaner import Options, RuleSet, clean_text
    >>> page = "Big News\n\nIt rained all day and the river rose over the road.\n"
    >>> rows = to_plain(explain(page, clean_text(page, Options(rules=RuleSet())))).splitlines()
    >>> [row.split("\t") for row in rows[:2]]
    [['1', 'title', '-', '-', 'Big News'], ['2', 'blank', '-', '-', '']]
    """
    rows = []
    for line in explanation.lines:
        rows.append(_row(line.number, line.status, line.rule, line.kind, line.text))
        if line.repair is not None:
            rows.append(_row(line.number, "repaired", ",".join(line.repair.fixes), None, line.repair.after))
        for substitution in line.substitutions:
            rows.append(
                _row(line.number, "substituted", substitution.rule, substitution.kind, substitution.after)
            )
        if line.evidence:
            rows.append(_row(line.number, "evidence", line.rule, line.kind, line.evidence))
    return "".join(rows)


def _row(number: int, status: str, rule: str | None, kind: str | None, text: str) -> str:
    return f"{number}\t{status}\t{rule or '-'}\t{kind or '-'}\t{text}\n"


def to_object(explanation: Explanation, source: str) -> dict[str, Any]:
    """The JSON object: the document's facts, then one entry per input line."""
    result = explanation.result
    return {
        "source": source,
        "title": result.title,
        "encoding": result.encoding,
        "sites": list(result.sites),
        "lines": [
            {
                "line": line.number,
                "status": line.status,
                "rule": line.rule,
                "kind": line.kind,
                "text": line.text,
                "repair": (
                    {
                        "fixes": list(line.repair.fixes),
                        "before": line.repair.before,
                        "after": line.repair.after,
                    }
                    if line.repair
                    else None
                ),
                "substitutions": [
                    {"rule": s.rule, "kind": s.kind, "before": s.before, "after": s.after}
                    for s in line.substitutions
                ],
                **({"evidence": line.evidence} if line.evidence else {}),
            }
            for line in explanation.lines
        ],
        "warnings": list(result.warnings),
        **({"article": result.article} if result.article is not None else {}),
    }


# Styles of the rich layout; tests check for them by name.
STYLES = {
    "number": "dim",
    REMOVED: "dim strike",
    "rule": "bold red",
    TITLE: "bold cyan",
    "repair": "yellow",
    "changed": "bold black on yellow",
    "substituted": "magenta",
    "evidence": "italic blue",
}
MARKS = {KEPT: " ", REMOVED: "✗", TITLE: "T", BLANK: " "}


def render_rich(explanation: Explanation, console: Console, source: str) -> None:
    """Print the document as it came in: removed lines struck through with their rule beside,
    the title marked, and what repair changed highlighted under the line it changed."""
    from rich.text import Text

    result = explanation.result
    removed = sum(1 for line in explanation.lines if line.status == REMOVED)
    console.print(
        Text.assemble(
            (source, "bold"),
            f": {len(explanation.lines)} lines, {removed} removed, {len(result.repairs)} repaired",
            f"; site packs: {', '.join(result.sites)}" if result.sites else "",
            _article_note(result),
        )
    )
    width = len(str(len(explanation.lines)))
    for line in explanation.lines:
        row = Text()
        row.append(f"{line.number:>{width}} ", style=STYLES["number"])
        row.append(f"{MARKS[line.status]} ", style=STYLES.get(line.status, ""))
        if line.repair is not None:
            row.append_text(_changed(line.repair.before, line.repair.after, STYLES.get(line.status, "")))
        else:
            row.append(line.text, style=STYLES.get(line.status, ""))
        if line.status == REMOVED:
            row.append(f"  ← {line.rule} · {line.kind}", style=STYLES["rule"])
        elif line.status == TITLE:
            row.append("  ← title", style=STYLES[TITLE])
        console.print(row)
        indent = " " * (width + 3)
        if line.repair is not None:
            fixes = ", ".join(line.repair.fixes)
            note = Text()
            note.append(f"{indent}↳ repaired ({fixes}): ", style=STYLES["repair"])
            note.append_text(_changed(line.repair.after, line.repair.before, ""))
            console.print(note)
        for substitution in line.substitutions:
            note = Text()
            note.append(f"{indent}↳ {substitution.rule} · {substitution.kind}: ", style=STYLES["substituted"])
            note.append(substitution.after)
            console.print(note)
        if line.evidence:
            console.print(Text(f"{indent}↳ {line.evidence}", style=STYLES["evidence"]))


def _article_note(result: CleanResult) -> str:
    """Where the article model found the article, for the heading line."""
    region = result.article
    if not region:
        return ""
    gaps = len(region.get("gaps") or [])
    return (
        f"; article: lines {region['first_line']}-{region['last_line']}, score {region['score']}"
        f", {gaps} gap{'s' if gaps != 1 else ''} ({region['favor']})"
    )


def _changed(text: str, other: str, style: str):
    """`text` with the characters that differ from `other` highlighted."""
    from rich.text import Text

    rendered = Text(text, style=style)
    matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag != "equal" and end > start:
            rendered.stylize(STYLES["changed"], start, end)
    return rendered
