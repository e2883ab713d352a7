"""Text that other extractors write: one paragraph per line, and Markdown.

Trafilatura's and most scrapers' plain output puts each paragraph on one line with no blank
line between; Markdown output adds `#` headings, `-` and `1.` lists, pipe tables, `**bold**`
and `[text](url)` links. Rules are written for the visible text, so a Markdown line is matched
as what a reader sees, and the marks are put back on the lines that stay.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.text.document import Line
from cleaner.text.patterns import compiled

_HEADING = compiled(r"^#{1,6}\s+")
_LIST_ITEM = compiled(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_TABLE_ROW = compiled(r"^\|.*\|$")
_TABLE_RULE = compiled(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_IMAGE = compiled(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = compiled(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = compiled(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_CODE = compiled(r"`([^`]*)`")


def paragraph_mode(lines: Sequence[Line], wanted: str = "auto") -> str:
    """`lines` when each paragraph is one line with no blank line between (most extractors'
    plain text): several lines, almost no blank ones, and some of them long."""
    if wanted != "auto":
        return wanted
    filled = [line for line in lines if line.text]
    blank = len(lines) - len(filled)
    if len(filled) < 4 or blank > 0.1 * len(filled):
        return "blank"
    long_lines = sum(1 for line in filled if len(line.text.split()) >= 20)
    return "lines" if long_lines >= 2 else "blank"


def one_paragraph_per_line(lines: Sequence[Line]) -> list[Line]:
    """A blank line between every two lines, so that each line is a paragraph of its own;
    but the items of a list and the rows of a table stay together."""
    out: list[Line] = []
    for line in lines:
        if line.text and out and out[-1].text and not _same_run(out[-1].text, line.text):
            out.append(Line(out[-1].number, ""))
        out.append(line)
    return out


def _same_run(previous: str, text: str) -> bool:
    """Whether two lines are items of one list or rows of one table."""
    if _LIST_ITEM.match(previous) and _LIST_ITEM.match(text):
        return True
    return previous.count("|") >= 2 and text.count("|") >= 2


def is_markdown(lines: Sequence[Line], wanted: str = "auto") -> bool:
    """Whether to read the text as Markdown: told so, or it has headings, links or tables and
    enough of its lines carry Markdown marks."""
    if wanted != "auto":
        return wanted == "markdown"
    filled = [line.text for line in lines if line.text]
    # Without a heading it is not Markdown, whatever else it holds: most text has none, and
    # a line without "#" first cannot be one.
    if not any(text.startswith("#") and _HEADING.match(text) for text in filled):
        return False
    strong = sum(
        1
        for text in filled
        if _HEADING.match(text) or _LINK.search(text) or _TABLE_ROW.match(text) or _EMPHASIS.search(text)
    )
    marked = strong + sum(1 for text in filled if _LIST_ITEM.match(text))
    return strong >= 2 and marked >= 0.1 * len(filled)


def visible(text: str) -> str:
    """What a reader of the rendered Markdown line sees, as rules are written for it.

    >>> visible("## Share this **story**")
    'Share this story'
    >>> visible("- [Follow us on X](https://x.com/example)")
    'Follow us on X'
    >>> visible("| Bridge | Year |")
    'Bridge | Year'
    """
    if _TABLE_RULE.match(text) and "-" in text:
        return ""
    text = _HEADING.sub("", text)
    text = _LIST_ITEM.sub("", text)
    if _TABLE_ROW.match(text):
        text = " | ".join(cell.strip() for cell in text.strip("|").split("|"))
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    return " ".join(text.split())


def visible_lines(
    lines: Sequence[Line], markdown: bool = True
) -> tuple[list[Line], dict[Line, str], list[Line]]:
    """The lines as rules see them, for each the Markdown text it came from, and the lines
    hidden from the rules: a table's rule row (`|---|---|`) shows nothing, so it is kept or
    dropped with the row above it. Without `markdown`, only those rows are hidden (plain
    text with a Markdown table in it, as extractors write tables)."""
    shown: list[Line] = []
    marks: dict[Line, str] = {}
    hidden: list[Line] = []
    for index, line in enumerate(lines):
        if not line.text:
            shown.append(line)
            continue
        if not markdown:
            if _TABLE_RULE.match(line.text) and "-" in line.text and index and "|" in lines[index - 1].text:
                hidden.append(line)
            else:
                shown.append(line)
            continue
        text = visible(line.text)
        if not text:
            hidden.append(line)
            continue
        seen = Line(line.number, text)
        if text != line.text:
            marks[seen] = line.text
        shown.append(seen)
    return shown, marks, hidden


def restore_marks(lines: Sequence[Line], marks: dict[Line, str], hidden: Sequence[Line] = ()) -> list[Line]:
    """The lines with their Markdown put back, and each hidden table rule row after the row it
    followed, if that row is among them."""
    after: dict[int, list[Line]] = {}
    for line in hidden:
        after.setdefault(line.number - 1, []).append(line)
    out: list[Line] = []
    for line in lines:
        out.append(Line(line.number, marks[line]) if line in marks else line)
        if line.text:
            out += after.pop(line.number, [])
    return out
