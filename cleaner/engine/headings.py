"""Section headings the article rule reads: short lines that open a list of other stories,
end the article (comments, the author box) or begin the author's biography."""

from __future__ import annotations

from typing import NamedTuple

from cleaner.engine.rules import Pattern
from cleaner.text.patterns import compiled

HEADING_ROLES = ("list", "end", "bio")

# Emoji and symbols a heading may open with ("👉 You might also like", "▶ Related").
_LEADING_SYMBOLS = compiled(r"^[\p{So}\p{Sk}\p{Cf}\s]+")


class Heading(NamedTuple):
    """A short line that opens a list (`list`: related, most read) or ends the article (`end`:
    comments, about the author). A final colon or full stop is ignored ("Keep exploring this
    topic."), and so are emoji and symbols before it ("👉 You might also like:")."""

    role: str
    kind: str
    pattern: Pattern
    max_words: int

    def matches(self, text: str, words: int, folded: str | None = None) -> bool:
        """`folded` (prefilter.fold(text)), when given, lets a text without the pattern's
        required strings go unmatched; the stripped text is part of `text`, so that is sound."""
        if words > self.max_words:
            return False
        stripped = text.rstrip(":.").rstrip()
        if stripped[:1] and not stripped[0].isalnum():
            stripped = _LEADING_SYMBOLS.sub("", stripped)
        if folded is not None and not self.pattern.may_match(folded, stripped):
            return False
        return self.pattern.fullmatch(stripped)


# "Related: TITLE", "Leia também: TITLE": a label, then the link's own text.
_LABEL_THEN_TEXT = compiled(r":\s*\S")


def names_one_link(text: str) -> bool:
    """Whether a heading-like line is a label and one link ("Related: TITLE"), not a heading."""
    return _LABEL_THEN_TEXT.search(text) is not None
