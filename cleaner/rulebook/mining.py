"""Mining a batch for chrome: every line counted by the documents it occurs in, the body marked,
and chrome lines that follow each other in one order found as blocks."""

from __future__ import annotations

import difflib
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cleaner.rulebook.proposal import (
    HEAD,
    INSIDE,
    SuggestOptions,
    _Doc,
    line_key,
)
from cleaner.text.document import ProseTest, word_count


class _Mining:
    """Counting the lines of a batch and finding the blocks of chrome: the first half of a run."""

    def __init__(self, docs: list[_Doc], options: SuggestOptions, prose: ProseTest) -> None:
        self.docs = docs
        self.options = options
        self.prose = prose
        self.total = len(docs)

    # -- counting ---------------------------------------------------------------------------

    def _key_lines(self) -> None:
        for doc in self.docs:
            for index, text in enumerate(doc.lines):
                if not text:
                    continue
                key = line_key(text)
                if word_count(text) > self.options.max_words:
                    # Long lines vary at their ends (a site name, a date): group by the start.
                    key = "long:" + " ".join(key.split()[: self.options.max_words])
                doc.keys[index] = key

    def _occurrences(self) -> dict[str, list[tuple[int, int]]]:
        places: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, doc in enumerate(self.docs):
            for index, key in enumerate(doc.keys):
                if key is not None:
                    places[key].append((number, index))
        return places

    def _enough(self, doc_numbers: set[int]) -> bool:
        count = len(doc_numbers)
        return count >= self.options.min_docs and count >= self.options.min_share * self.total

    def _mark_body(self, frequent: set[str]) -> None:
        """Body lines are prose that is not frequent; they bound the head and the tail."""
        for doc in self.docs:
            doc.body = [
                bool(text) and key not in frequent and self.prose.is_prose(text)
                for text, key in zip(doc.lines, doc.keys, strict=True)
            ]
            doc.set_bounds()

    def _strong(self, key: str, places: list[tuple[int, int]]) -> bool:
        if not key.startswith("long:"):
            return True
        # A long line counts only where it sits outside the body: that is what tells a
        # disclaimer from a paragraph two articles quote.
        return self._enough({d for d, i in places if self.docs[d].position(i) != INSIDE})

    # -- blocks -----------------------------------------------------------------------------

    def _blocks(
        self, strong: set[str], weak: set[str], occurrences: dict[str, list[tuple[int, int]]]
    ) -> tuple[list[_Block], set[str]]:
        """Group chrome lines that follow each other into blocks; drop weak lines found alone.

        A weak line (recurring, but in too few documents) may join a block only where it is
        never found outside one, and never above the article: a short line there that a few
        pages share is most likely their title or byline.
        """
        weak = {key for key in weak if all(self.docs[d].position(i) != HEAD for d, i in occurrences[key])}
        while True:
            segments = self._segments(strong | weak)
            instances = [s for s in segments if len(s.keys) >= 2 and any(k in strong for k in s.keys)]
            inside = {place for s in instances for place in s.places}
            lonely = {key for key in weak if any(place not in inside for place in occurrences[key])}
            if not lonely:
                break
            weak -= lonely
        # The same line can sit at the head and at the tail (a disclaimer): one block each.
        grouped: dict[tuple[str, str], list[_Segment]] = defaultdict(list)
        for instance in instances:
            where = Counter(self.docs[d].position(i) for d, i in instance.places).most_common(1)[0][0]
            grouped[(instance.component, where)].append(instance)
        blocks = []
        for found in grouped.values():
            blocks += [_Block(same, strong) for same in _in_one_order(self._joined(found), strong)]
        return blocks, weak

    def _joined(self, instances: list[_Segment]) -> list[_Segment]:
        """Instances of one block that follow each other on a page (blank lines between) as
        one: the block's rule takes them in one run, so its example must show them so."""
        joined: list[_Segment] = []
        for instance in sorted(instances, key=lambda s: s.places[0]):
            if joined:
                last = joined[-1]
                (doc, end), (next_doc, start) = last.places[-1], instance.places[0]
                lines = self.docs[doc].lines
                if doc == next_doc and not any(lines[i] for i in range(end + 1, start)):
                    joined[-1] = _Segment(
                        last.places + instance.places, last.keys + instance.keys, last.component
                    )
                    continue
            joined.append(instance)
        return joined

    def _segments(self, labelled: set[str]) -> list[_Segment]:
        """Runs of consecutive chrome lines (blank lines skipped), split where the pair of
        neighbours does not recur in at least two documents."""
        runs: list[list[tuple[int, int]]] = []
        for number, doc in enumerate(self.docs):
            run: list[tuple[int, int]] = []
            for index, key in enumerate(doc.keys):
                if key is None:
                    continue
                if key in labelled:
                    run.append((number, index))
                    continue
                if run:
                    runs.append(run)
                run = []
            if run:
                runs.append(run)
        pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
        for run in runs:
            for (d, a), (_, b) in itertools.pairwise(run):
                pairs[(self._key(d, a), self._key(d, b))].add(d)
        linked = {pair for pair, doc_numbers in pairs.items() if len(doc_numbers) >= 2}
        components = _Components()
        for first, second in linked:
            components.join(first, second)
        segments = []
        for run in runs:
            start = 0
            for position in range(1, len(run) + 1):
                if (
                    position == len(run)
                    or (self._key(*run[position - 1]), self._key(*run[position])) not in linked
                ):
                    part = run[start:position]
                    keys = [self._key(d, i) for d, i in part]
                    segments.append(_Segment(part, keys, components.find(keys[0])))
                    start = position
        return segments

    def _key(self, number: int, index: int) -> str:
        key = self.docs[number].keys[index]
        assert key is not None
        return key


@dataclass(frozen=True, slots=True)
class _Segment:
    places: list[tuple[int, int]]
    keys: list[str]
    component: str


class _Block:
    def __init__(self, instances: list[_Segment], strong: set[str]) -> None:
        self.instances = sorted(instances, key=lambda s: s.places[0])
        self.strong = strong
        self.keys = {key for instance in instances for key in instance.keys}

    def places(self) -> list[tuple[int, int]]:
        return [place for instance in self.instances for place in instance.places]

    def keys_strong(self, key: str) -> bool:
        return key in self.strong

    def steps(self) -> list[tuple[str, bool]]:
        """The keys in an order every instance follows; optional unless in every instance."""
        ordered = sorted((s.keys for s in self.instances), key=len, reverse=True)
        merged = list(ordered[0])
        for keys in ordered[1:]:
            merged = _supersequence(merged, keys)
        present = Counter(key for instance in self.instances for key in set(instance.keys))
        required = {key for key in merged if present[key] == len(self.instances) and key in self.strong}
        if not required:
            required = {max((k for k in merged if k in self.strong), key=lambda k: present[k])}
        return [(key, key not in required) for key in merged]


def _in_one_order(instances: list[_Segment], strong: set[str]) -> list[list[_Segment]]:
    """The instances in groups that one list of steps fits: their lines come in one order,
    and some chrome line is in every one of them, for a step they all require.

    Pages with the same lines in another order (the comments above the rating on some, below
    it on others) would merge into steps that name a line twice, both times required; an
    instance without the line the others share would be required to have it. Either way the
    block would miss pages it was made from, down to its own example. Instances are merged
    in the order _Block.steps() merges them.
    """
    groups: list[tuple[list[_Segment], list[str], set[str]]] = []
    ordered = sorted(sorted(instances, key=lambda s: s.places[0]), key=lambda s: len(s.keys), reverse=True)
    for instance in ordered:
        keys = set(instance.keys)
        for members, merged, shared in groups:
            candidate = _supersequence(merged, instance.keys)
            no_line_twice = Counter(candidate) == Counter(merged) | Counter(instance.keys)
            if no_line_twice and shared & keys:
                members.append(instance)
                merged[:] = candidate
                shared &= keys
                break
        else:
            groups.append(([instance], list(instance.keys), keys & strong))
    return [members for members, _, _ in groups]


def _run_around(keys: list[str | None], steps: list[tuple[str, bool]], indexes: list[int]) -> list[int]:
    """The lines of a page a block of `steps` takes where it takes `indexes`, found as the
    rule finds them (first start that matches, a line for each step it fits, an optional
    step skipped when that is what lets the rest match), on the lines' keys instead of
    their patterns. `indexes` itself when no such run covers them."""
    filled = [index for index, key in enumerate(keys) if key is not None]
    memo: dict[tuple[int, int], int | None] = {}  # (step, at) -> end; any start reaches the same

    def match(step: int, at: int) -> int | None:
        if step == len(steps):
            return at
        if (step, at) not in memo:
            key, optional = steps[step]
            found = None
            if at < len(filled) and keys[filled[at]] == key:
                found = match(step + 1, at + 1)
            if found is None and optional:
                found = match(step + 1, at)
            memo[step, at] = found
        return memo[step, at]

    position = 0
    while position < len(filled):
        end = match(0, position)
        if end is None or end <= position:
            position += 1
            continue
        run = filled[position:end]
        if run[0] <= indexes[0] and indexes[-1] <= run[-1]:
            return run
        position = end
    return indexes


def _supersequence(first: list[str], second: list[str]) -> list[str]:
    """A sequence that has both `first` and `second` as subsequences."""
    merged: list[str] = []
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        merged += first[a1:a2]
        if tag != "equal":
            merged += second[b1:b2]
    return merged


class _Components:
    """Union-find over line keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def _doc_set(places: Iterable[tuple[int, int]]) -> set[int]:
    return {doc for doc, _ in places}
