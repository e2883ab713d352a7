"""What the article rule reports of its choice: the region it chose (for the JSON and explain)
and, for each line it left out, the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.engine.article_ends import Cut
    from cleaner.engine.structure import _Page


def _region(page: _Page, scores: list[float], path: list[bool], first: int, last: int, favor: str) -> dict:
    gaps: list[list[int]] = []
    for i in range(first, last + 1):
        if not path[i]:
            number = page.source[i].number
            if gaps and gaps[-1][1] == page.source[i - 1].number:
                gaps[-1][1] = number
            else:
                gaps.append([number, number])
    return {
        "first_line": page.source[first].number,
        "last_line": page.source[last].number,
        "score": round(sum(s for s, keep in zip(scores, path, strict=True) if keep), 2),
        "lines": sum(path),
        "gaps": gaps,
        "favor": favor,
    }


def _evidence(
    page: _Page,
    i: int,
    span: tuple[int, int],
    cuts: tuple[Cut | None, Cut | None],
    scores: list[float],
    names: list[str],
    weights: dict[str, float],
) -> str:
    """Why the article model left line `i` out: where it stands (and, above or below the
    article, what begins or ends it there, when that is more than the scores), its score, its
    strongest features."""
    first, last = span
    begins, end = cuts
    where = (
        "before the article" if i < first else "after the article" if i > last else "a gap inside the article"
    )
    strongest = sorted(
        ((weights.get(name, 0.0), name) for name in names if name != "bias"), key=lambda x: x[0]
    )[:3]
    reasons = ", ".join(f"{name} {weight:+.1f}" for weight, name in strongest)
    where += f" (lines {page.source[first].number}-{page.source[last].number}"
    if i < first and begins is not None:
        where += f", which begins at line {begins.line}: {begins.why}"
    elif i > last and end is not None and page.source[i].number >= end.line:
        where += f", which ends at line {end.line}: {end.why}"
    return f"{where}); score {scores[i]:+.1f}: {reasons}"
