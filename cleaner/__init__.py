"""cleaner: strip site chrome from scraped article text, with rules kept as data.

>>> from cleaner import clean_text, Options
>>> result = clean_text("Headline\\n\\nThe body of the story goes here.\\n")
>>> result.title, result.paragraphs
('Headline', ('The body of the story goes here.',))
"""

from cleaner.pipeline import Options, clean_bytes, clean_text
from cleaner.result import CleanResult, Removal, Repair, Stats, Substitution
from cleaner.rulefiles import load_rules
from cleaner.ruleset import RuleSet

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Options",
    "Removal",
    "Repair",
    "RuleSet",
    "Stats",
    "Substitution",
    "__version__",
    "clean_bytes",
    "clean_text",
    "load_rules",
]
