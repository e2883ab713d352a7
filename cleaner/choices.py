"""The values of the options that say how a document is read and how its article is found.

Kept apart, with no imports, so that the command line can offer them without loading the engine.
"""

from __future__ import annotations

FAVORS = ("precision", "balanced", "recall")  # --favor: the article model's thresholds
PARAGRAPHS = ("auto", "blank", "lines")  # --paragraphs: what parts the paragraphs
MARKUPS = ("auto", "plain", "markdown")  # --markup: whether the text is Markdown
