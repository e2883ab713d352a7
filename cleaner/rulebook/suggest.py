"""Propose a rule file for a site's chrome from a batch of its pages, for a person to review.

Each line is normalised (case, numbers, punctuation, spacing) and counted by the documents it
occurs in. A line is chrome when it recurs in at least `min_docs` documents and `min_share` of
them; a long line must also sit outside the article body (before the first or after the last
prose line that is not chrome), so that a paragraph quoted in several articles is not proposed.
Chrome lines that follow each other in the same order become one block rule; short lines that
recur in fewer documents join a block as optional steps, but only when every one of their
occurrences is inside that block. Every rule gets examples from the batch and is checked by
loading it, and the whole file is checked against the batch: no rule may remove a body line.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.engine.ruleset import RuleSet
from cleaner.rulebook.drafting import _Drafting, _Names, guess_kind, kebab
from cleaner.rulebook.mining import (
    _doc_set,
)
from cleaner.rulebook.proposal import (
    Evidence,
    ProposedRule,
    Suggestion,
    SuggestOptions,
    generalise,
    line_key,
    read_document,
    render_file,
)


def suggest(
    documents: Sequence[tuple[str, str]],
    ruleset: RuleSet | None = None,
    options: SuggestOptions | None = None,
) -> Suggestion:
    """Propose rules for the chrome that recurs across `documents` (name, text) pairs.

    `ruleset` holds the rules already in use: what they remove is not proposed again.
    """
    options = options or SuggestOptions()
    ruleset = ruleset if ruleset is not None else RuleSet()
    prose = ruleset.settings.prose_test()
    docs = [read_document(name, text, ruleset) for name, text in documents]
    return _Miner(docs, options, prose).run()


class _Miner(_Drafting):
    """One run of the method on one batch: counts, candidates, blocks, rules."""

    def run(self) -> Suggestion:
        self._key_lines()
        occurrences = self._occurrences()
        frequent = {key for key, places in occurrences.items() if self._enough(_doc_set(places))}
        self._mark_body(frequent)
        strong = {key for key in frequent if self._strong(key, occurrences[key])}
        weak = {
            key
            for key, places in occurrences.items()
            if key not in strong and len(_doc_set(places)) >= 2 and not key.startswith("long:")
        }
        blocks, weak = self._blocks(strong, weak, occurrences)
        for block in blocks:
            for d, i in block.places():
                # A short chrome line can read like a sentence ("Support us on Patreon!").
                self.docs[d].body[i] = False
        for doc in self.docs:
            doc.set_bounds()
        names = _Names(self.options.prefix)
        drafts, dropped = self._checked([self._block_rule(block, names, occurrences) for block in blocks])
        # What the blocks really remove, not what they were built from: a line they miss
        # somewhere may still need a rule of its own.
        covered = {place for draft in drafts for place in draft.removes}
        singles = sorted(
            (
                key
                for key in strong
                if self._enough({d for d, i in occurrences[key] if (d, i) not in covered})
            ),
            key=lambda k: (-len(_doc_set(occurrences[k])), occurrences[k][0]),
        )
        lines, line_dropped = self._checked(
            [self._line_rule(key, occurrences[key], names) for key in singles]
        )
        drafts = sorted(drafts + lines, key=lambda draft: draft.order)
        proposed = set(singles) | {key for block in blocks for key in block.keys}
        evidence = self._evidence(occurrences, proposed, frequent)
        return Suggestion(
            self.total,
            tuple(draft.proposal for draft in drafts),
            evidence,
            tuple(dropped + line_dropped),
            self.options,
        )


__all__ = [
    "Evidence",
    "ProposedRule",
    "SuggestOptions",
    "Suggestion",
    "generalise",
    "guess_kind",
    "kebab",
    "line_key",
    "read_document",
    "render_file",
    "suggest",
]
