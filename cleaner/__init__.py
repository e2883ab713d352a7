"""cleaner: strip site chrome from scraped article text, with rules kept as data.

>>> from cleaner import clean_text, Options
>>> result = clean_text("Headline\\n\\nThe body of the story goes here.\\n")
>>> result.title, result.paragraphs
('Headline', ('The body of the story goes here.',))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names and the modules that define them. They are imported on first use, so
# that `cleaner --version` and `import cleaner` stay fast (see cleaner/entry.py).
_EXPORTS = {
    "CleanResult": "cleaner.engine.result",
    "Options": "cleaner.engine.pipeline",
    "Removal": "cleaner.engine.result",
    "Repair": "cleaner.engine.result",
    "RuleSet": "cleaner.engine.ruleset",
    "Stats": "cleaner.engine.result",
    "Substitution": "cleaner.engine.result",
    "clean_bytes": "cleaner.engine.pipeline",
    "clean_text": "cleaner.engine.pipeline",
    "load_rules": "cleaner.rulebook.rulefiles",
}

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

if TYPE_CHECKING:
    from cleaner.engine.pipeline import Options, clean_bytes, clean_text
    from cleaner.engine.result import CleanResult, Removal, Repair, Stats, Substitution
    from cleaner.engine.ruleset import RuleSet
    from cleaner.rulebook.rulefiles import load_rules


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
