"""The closed set of rule types, by the name a rule file gives in `type`, in phase order."""

from __future__ import annotations

from cleaner.engine.repeated import RepeatedLineRule
from cleaner.engine.rules import Rule
from cleaner.engine.structure import ArticleRule
from cleaner.engine.vocabulary import BlockRule, LineRule, ParagraphRule, SubstituteRule

# Rules run by phase, in this order: repeated lines first, counted on the whole page, so that
# cleaning twice is cleaning once; blocks before lines, so that no line rule can eat a block's
# end marker; the vocabulary (block, paragraph, line) before the structural types, so that these
# see a page whose known chrome is gone and find nothing to do on a page the vocabulary cleaned.
TYPES: dict[str, type[Rule]] = {
    "repeated-line": RepeatedLineRule,
    "block": BlockRule,
    "paragraph": ParagraphRule,
    "line": LineRule,
    "article": ArticleRule,
    "substitute": SubstituteRule,
}
PHASES = tuple(TYPES)
