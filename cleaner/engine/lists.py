"""Which rows of a page read as a list of things or a table: the article's own lists, tables and
schedules, told from lists of links by what their rows hold."""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.engine.page import _DIGIT, PageLine, TextCache
from cleaner.text.patterns import compiled

_VALUE = compiled(r"[\p{Sc}\p{N}]")  # what a value cell begins with: $1,595, 7:00AM


def block_ranges(lines: Sequence[PageLine]) -> list[range]:
    """The indexes of each paragraph block's lines, in page order."""
    ranges = []
    start = 0
    for i in range(1, len(lines) + 1):
        if i == len(lines) or lines[i].block != lines[start].block:
            ranges.append(range(start, i))
            start = i
    return ranges


def reads_as_list(lines: Sequence[PageLine], rows: range, cache: TextCache) -> bool:
    """Whether the lines `rows` read as a table (rows of as many cells, or of figures) or as a
    list of things: marked items with function words, numbers or sentences in them, not a
    stack of marked title-case headlines (a list of links)."""
    texts = [lines[k].text for k in rows]
    cells = [max(text.count("|"), text.count("\t")) for text in texts]
    if min(cells) >= 1 and max(cells) - min(cells) <= 1:
        return True
    if sum(1 for k in rows if lines[k].data) >= 0.6 * len(texts):
        return True
    figures = texts[1:] if len(texts) >= 4 and not _DIGIT.search(texts[0]) else texts  # under a header row
    if len(figures) >= 3 and all(_DIGIT.search(text) for text in figures):
        # rows of figures with as many fields each: "1/1/2013 +13.1%"
        sizes = sorted(len(text.split()) for text in figures)
        middle = sizes[len(sizes) // 2]
        if middle <= 12 and all(abs(size - middle) <= 1 for size in sizes):
            return True
    shapes = [cache.shape(lines[k].text, lines[k].words) for k in rows]
    if sum(1 for shape in shapes if "marker" in shape) < 0.8 * len(texts):
        return False
    plain = sum(
        1 for k, shape in zip(rows, shapes, strict=True) if lines[k].sentence or "function:0" not in shape
    )
    return plain >= 0.5 * len(texts)


def list_ranges(lines: Sequence[PageLine], cache: TextCache) -> list[range]:
    """The rows that read as a list of things or a table (see reads_as_list): a block of two
    lines or more, or a run of three one-line blocks or more, none of them prose (a list or a
    table written one row per paragraph, as pages of dates and prices are, or one cell per
    paragraph, label then value: _label_value_rows)."""
    found: list[range] = []
    run: list[range] = []  # consecutive one-line blocks, none prose

    def rows_of_fields(rows: range) -> bool:
        # Rows of a few fields each ("September 10 12pm-1pm Room 217"), not a ticker of
        # single figures ("+0.9%").
        sizes = sorted(lines[k].words for k in rows)
        return len(rows) >= 3 and sizes[len(sizes) // 2] >= 3 and reads_as_list(lines, rows, cache)

    def close() -> None:
        if len(run) >= 3:
            rows = range(run[0].start, run[-1].stop)
            if rows_of_fields(rows):
                found.append(rows)
            elif (pairs := _label_value_rows(lines, rows)) is not None:
                found.append(pairs)
            else:
                # Rows of figures among other short lines: a schedule under a menu.
                figures: list[int] = []
                for k in [*rows, rows.stop]:
                    if k < rows.stop and _DIGIT.search(lines[k].text):
                        figures.append(k)
                        continue
                    if figures and rows_of_fields(range(figures[0], k)):
                        found.append(range(figures[0], k))
                    figures = []
        run.clear()

    for rows in block_ranges(lines):
        if len(rows) == 1 and not lines[rows.start].prose:
            run.append(rows)
            continue
        close()
        if len(rows) >= 2 and reads_as_list(lines, rows, cache):
            found.append(rows)
    close()
    return found


def list_blocks(
    lines: Sequence[PageLine], cache: TextCache, ranges: Sequence[range] | None = None
) -> list[bool]:
    """For each line, whether it is one of the rows of list_ranges (`ranges`, when the caller
    has them already)."""
    marked = [False] * len(lines)
    for rows in ranges if ranges is not None else list_ranges(lines, cache):
        marked[rows.start : rows.stop] = [True] * len(rows)
    return marked


def _label_value_rows(lines: Sequence[PageLine], rows: range, least: int = 3) -> range | None:
    """The stretch of `rows` (one-line blocks, none prose) that reads as a table written one
    cell per paragraph, a label then its value: "Replacing electrical panels", "$1,595 -
    $3,000+". A value is a short line that begins with a figure or a currency sign and that no
    rule took; at least `least` of them each follow a label with no figure in it, and values
    are at most half of the lines (a ticker of figures is not a table of labels)."""
    values = [
        k for k in rows if lines[k].words <= 8 and lines[k].evidence is None and _VALUE.match(lines[k].text)
    ]
    labelled = [
        k for k in values if k - 1 in rows and k - 1 not in values and not _DIGIT.search(lines[k - 1].text)
    ]
    if len(labelled) < least or len(values) > 0.5 * len(rows) or len(labelled) < 0.6 * len(values):
        return None
    return range(labelled[0] - 1, labelled[-1] + 1)
