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

import difflib
import itertools
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import regex

from cleaner.engine.pipeline import Options, clean_text
from cleaner.engine.ruleset import RuleSet
from cleaner.errors import RuleFileError
from cleaner.rulebook.rulefiles import build_ruleset
from cleaner.text.document import ProseTest, split_lines, word_count
from cleaner.text.normalization import normalize_line
from cleaner.text.transliterate import short_hash, to_ascii

HEAD, TAIL, INSIDE = "head", "tail", "inside"

_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_AND_WORD = regex.compile(r"(\d+(?:[.,]\d+)*)(\s+)(\p{L}{3,})")
_PUNCTUATION = regex.compile(r"[^\w\s]+")
_SPECIAL = set(r"\.^$*+?()[]{}|")
# Words that name an obvious kind of chrome. Only the `kind` label of a proposal comes from
# here; what a rule matches always comes from the batch.
_KIND_WORDS = {
    "comment-widget": r"comments?|notify|feedbacks?|repl(?:y|ies)|discussion|guest|oldest|newest",
    "rating-widget": r"ratings?|votes?|stars?",
    "donation-plea": r"patreon|patrons?|donate|donations?|ko-?fi|paypal|support us",
    "disclaimer": r"views|opinions|expressed|disclaimer|advice",
    "share-buttons": r"share|tweet|facebook|whatsapp|pinterest|linkedin|telegram",
    "newsletter": r"newsletter|sign up|inbox",
    "related-links": r"related|read more|you may also like|recommended",
    "copyright": r"copyright|©|all rights reserved",
    "advertisement": r"advertisement|sponsored|advert",
}
# The same kinds in the languages that have packs (rules/lang): whole words, and words of the
# scripts written without spaces, which have no word boundaries to look for.
_KIND_WORDS_ABROAD = {
    "comment-widget": r"kommentare?|commentaires?|comentarios?|comentários?|comment[io]|reacties?|"
    r"komentarz\w*|skomentuj|yorum\w*|коммент\w*|تعليق\w*|التعليقات",
    "share-buttons": r"teilen|partager|compartir|compartilhar|partilhar|condividi|delen|deel|"
    r"udostępnij|paylaş|поделиться|вконтакте|شارك|مشاركة|واتساب|فيسبوك",
    "newsletter": r"nieuwsbrief|boletín|bülten\w*|рассылк\w*|النشرة|abonnieren|s'inscrire|"
    r"suscríbete|assine|iscriviti|zapisz się",
    "related-links": r"lesen sie auch|mehr zum thema|à lire aussi|lire aussi|sur le même sujet|"
    r"te puede interesar|noticias relacionadas|leia também|notícias relacionadas|leggi anche|"
    r"articoli correlati|lees ook|czytaj (?:też|także)|polecamy|ilgili haberler|читайте также|"
    r"по теме|اقرأ أيضا\w*|الأكثر قراءة",
    "copyright": r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
    r"todos os direitos reservados|tutti i diritti riservati|riproduzione riservata|"
    r"alle rechten voorbehouden|wszelkie prawa zastrzeżone|tüm hakları saklıdır|"
    r"все права защищены|جميع الحقوق محفوظة",
    "advertisement": r"anzeige|werbung|publicité|publicidad|publicidade|pubblicità|advertentie|"
    r"reklama|reklam|реклама|إعلان",
    "consent": r"cookies?|куки|çerez\w*|ملفات تعريف الارتباط",
}
_KIND_CHARACTERS = {
    "comment-widget": r"评论|評論|留言|コメント|댓글",
    "share-buttons": r"分享|シェア|ツイート|공유|카카오톡|微信|微博",
    "newsletter": r"订阅|訂閱|メルマガ|メールマガジン|ニュースレター|뉴스레터",
    "related-links": r"相关阅读|相關閱讀|相关新闻|猜你喜欢|関連記事|あわせて読みたい|관련\s*기사|"
    r"많이 본 뉴스",
    "copyright": r"版权所有|版權所有|无断转载|無断転載|저작권|무단\s*전재",
    "advertisement": r"广告|廣告|広告|광고|スポンサー",
    "consent": r"クッキー|쿠키",
}


def _kind_pattern(kind: str) -> regex.Pattern[str]:
    words = "|".join(filter(None, (_KIND_WORDS.get(kind), _KIND_WORDS_ABROAD.get(kind))))
    characters = _KIND_CHARACTERS.get(kind)
    return regex.compile(rf"(?i)\b(?:{words})\b" + (f"|{characters}" if characters else ""))


_KIND_PATTERNS = {kind: _kind_pattern(kind) for kind in dict.fromkeys([*_KIND_WORDS, *_KIND_WORDS_ABROAD])}


@dataclass(frozen=True, slots=True)
class SuggestOptions:
    min_docs: int = 3  # a candidate recurs in at least this many documents
    min_share: float = 0.5  # ... and in at least this share of them
    max_words: int = 12  # longer lines must also sit outside the body
    prefix: str = "site"  # rule ids start with this


@dataclass(slots=True)
class _Doc:
    name: str
    lines: list[str]  # normalised text per line; "" for blank lines and those loaded rules removed
    keys: list[str | None]
    body: list[bool] = field(default_factory=list)
    first_body: int = 0
    last_body: int = -1

    def set_bounds(self) -> None:
        indexes = [index for index, is_body in enumerate(self.body) if is_body]
        self.first_body, self.last_body = (indexes[0], indexes[-1]) if indexes else (0, -1)

    def position(self, index: int) -> str:
        if not any(self.body) or index < self.first_body:
            return HEAD
        return TAIL if index > self.last_body else INSIDE


@dataclass(frozen=True, slots=True)
class Evidence:
    """A recurring line that was not proposed, and why."""

    text: str
    documents: int
    reason: str


@dataclass(frozen=True, slots=True)
class ProposedRule:
    id: str
    toml: str
    documents: int
    lines_removed: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    documents: int
    rules: tuple[ProposedRule, ...]
    not_proposed: tuple[Evidence, ...]
    dropped: tuple[str, ...]  # rules refused by the final checks, with the reason
    options: SuggestOptions

    def toml(self, source: str = "the batch") -> str:
        return render_file(self, source)


def line_key(text: str) -> str:
    """What two occurrences of the same chrome line have in common.

    >>> line_key("12 Comments") == line_key("1 comment")
    True
    >>> line_key("in ,")
    'in'
    """
    key = _NUMBER_AND_WORD.sub(lambda m: "0 " + m.group(3).casefold().removesuffix("s"), text)
    key = _NUMBER.sub("0", key.casefold())
    key = " ".join(_PUNCTUATION.sub(" ", key).split())
    return key or "\0" + "".join(text.split())


def generalise(text: str) -> str:
    r"""A pattern for `text`: numbers become \d+, the word after a number may be plural.

    >>> generalise("12 Comments")
    '\\d+ Comments?'
    >>> generalise("0 0 vote")
    '\\d+ \\d+ votes?'
    >>> generalise("Help us grow. Support us!")
    'Help us grow\\. Support us!'
    """
    parts: list[str] = []
    position = 0
    for number in _NUMBER.finditer(text):
        parts.append(_escape(text[position : number.start()]))
        parts.append(r"\d+" if number.group().isdigit() else r"\d[\d,.]*")
        position = number.end()
        word = _NUMBER_AND_WORD.match(text, number.start())
        if word is not None and word.end(1) == number.end():
            parts.append(word.group(2) + _escape(word.group(3).removesuffix("s")) + "s?")
            position = word.end()
    parts.append(_escape(text[position:]))
    return "".join(parts)


def _escape(text: str) -> str:
    return "".join("\\" + char if char in _SPECIAL else char for char in text)


def read_document(name: str, text: str, ruleset: RuleSet) -> _Doc:
    """The document's lines as the rules see them, with the lines `ruleset` removes blanked."""
    result = clean_text(text, Options(rules=ruleset))
    removed = {line.number for removal in result.removals for line in removal.lines}
    repaired = {repair.line: repair.after for repair in result.repairs}
    lines: list[str] = []
    for number, raw in enumerate(split_lines(text), 1):
        if number in removed:
            lines.append("")
            continue
        fixed = repaired.get(number, raw)
        lines += [normalize_line(part) for part in (split_lines(fixed) or [""])]
    return _Doc(name, lines, [None] * len(lines))


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


class _Miner:
    """One run of the method on one batch: counts, candidates, blocks, rules."""

    def __init__(self, docs: list[_Doc], options: SuggestOptions, prose: ProseTest) -> None:
        self.docs = docs
        self.options = options
        self.prose = prose
        self.total = len(docs)

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

    # -- rules ------------------------------------------------------------------------------

    def _line_rule(self, key: str, places: list[tuple[int, int]], names: _Names) -> _Draft:
        texts = [self.docs[d].lines[i] for d, i in places]
        kind = guess_kind(texts)
        patterns = _patterns(texts)
        words = max(word_count(t) for t in texts)
        removes = [(d, [i]) for d, i in places]
        change = self._change_example(removes)
        keep = self._keep_example(texts, set(places))
        doc_numbers = _doc_set(places)
        lines = [
            f"# in {_share(len(doc_numbers), self.total)}, {self._where(places)}; {_variants(texts)}",
            f"id = {_toml(names.new(texts[0], kind))}",
            'type = "line"',
            f"kind = {_toml(kind)}",
            f"description = {_toml(f'The recurring line {_quote(Counter(texts).most_common(1)[0][0])}.')}",
            f"pattern = {_toml_pattern(patterns)}",
            f"max_words = {words + 2}" if len(patterns) > 1 or any("\\d" in p for p in patterns) else "",
        ]
        return _Draft(lines, change, keep, len(doc_numbers), len(places), places[0])

    def _block_rule(
        self, block: _Block, names: _Names, occurrences: dict[str, list[tuple[int, int]]]
    ) -> _Draft:
        places = [place for instance in block.instances for place in instance.places]
        texts = [self.docs[d].lines[i] for d, i in places]
        kind = guess_kind([self.docs[d].lines[i] for d, i in places if block.keys_strong(self._key(d, i))])
        rest = self._rest(block)
        removes = []
        steps = block.steps()
        for instance in block.instances:
            doc = instance.places[0][0]
            # What the rule will take around this occurrence, which can be more than the
            # occurrence: a neighbouring chrome line that fits one of the steps goes too.
            indexes = _run_around(self.docs[doc].keys, steps, [i for _, i in instance.places])
            if rest is not None:
                indexes += [
                    i for i in range(indexes[-1] + 1, len(self.docs[doc].lines)) if self.docs[doc].lines[i]
                ]
            removes.append((doc, indexes))
        change = self._change_example(removes)
        placed = set(places)  # once, not once per element below
        keep = self._keep_example(texts, placed)
        doc_numbers = {instance.places[0][0] for instance in block.instances}
        step_lines = []
        for key, optional in steps:
            inside = [place for place in occurrences[key] if place in placed]
            members = [self.docs[d].lines[i] for d, i in inside]
            flag = ", optional = true" if optional else ""
            count = len(_doc_set(inside))
            step_lines.append(
                f"  {{ pattern = {_toml_pattern(_patterns(members))}{flag} }},  # {count} documents"
            )
        first, last = texts[0], texts[len(block.instances[0].places) - 1]
        description = f"A recurring block of lines from {_quote(first)} to {_quote(last)}"
        if rest is not None:
            description += ", and the short lines after it to the end of the page"
        lines = [
            f"# in {_share(len(doc_numbers), self.total)}, {self._where(places)}; "
            f"{len(block.keys)} kinds of line, {len(block.instances)} occurrences",
            f"id = {_toml(names.new(kind, kind))}",
            'type = "block"',
            f"kind = {_toml(kind)}",
            f"description = {_toml(description + '.')}",
            "steps = [",
            *step_lines,
            "]",
        ]
        if rest is not None:
            lines += ['rest_kind = "related-links"', f"rest_max_lines = {rest}"]
        return _Draft(lines, change, keep, len(doc_numbers), len(places), places[0])

    def _rest(self, block: _Block) -> int | None:
        """How many short lines follow the block to the end of the page, when every
        occurrence is followed by nothing but a few short lines that are not chrome."""
        counts = []
        for instance in block.instances:
            doc_number, last = instance.places[-1]
            doc = self.docs[doc_number]
            after = [i for i in range(last + 1, len(doc.lines)) if doc.lines[i]]
            # Related-article titles: short, and not sentences.
            if any(word_count(doc.lines[i]) > 2 * self.options.max_words or doc.body[i] for i in after):
                return None
            counts.append(len(after))
        if sum(1 for count in counts if count) < max(2, self.options.min_share * len(counts)):
            return None
        return max(counts) * 2

    def _where(self, places: list[tuple[int, int]]) -> str:
        positions = Counter(self.docs[d].position(i) for d, i in places)
        relative = [i / max(1, len(self.docs[d].lines) - 1) for d, i in places]
        named = ", ".join(f"{name} {count}" for name, count in positions.most_common())
        return f"{named} (relative position {min(relative):.2f}–{max(relative):.2f})"

    def _change_example(self, removes: list[tuple[int, list[int]]]) -> tuple[str, str]:
        """The occurrence with the shortest neighbours, with one line of context each side."""

        def context(doc: int, indexes: list[int]) -> tuple[int, int]:
            lines = self.docs[doc].lines
            before = [i for i in range(indexes[0] - 1, -1, -1) if lines[i] and i not in indexes][:1]
            after = [i for i in range(indexes[-1] + 1, len(lines)) if lines[i] and i not in indexes][:1]
            return (before or [indexes[0]])[0], (after or [indexes[-1]])[0]

        def size(item: tuple[int, list[int]]) -> int:
            doc, indexes = item
            start, end = context(doc, indexes)
            return sum(len(self.docs[doc].lines[i]) for i in range(start, end + 1) if i not in indexes)

        doc, indexes = min(removes, key=size)
        start, end = context(doc, indexes)
        span = range(min(start, indexes[0]), max(end, indexes[-1]) + 1)
        lines = self.docs[doc].lines
        before = _tidy(lines[i] for i in span)
        after = _tidy(lines[i] for i in span if i not in indexes)
        return before, after

    def _keep_example(self, texts: list[str], places: set[tuple[int, int]]) -> str:
        """A body line from the batch, preferring one that shares words with the rule's lines."""
        words = {word for text in texts for word in line_key(text).split()}
        candidates = [
            (-len(words & set(line_key(text).split())), word_count(text), d, i)
            for d, doc in enumerate(self.docs)
            for i, text in enumerate(doc.lines)
            if doc.body[i] and (d, i) not in places and word_count(text) <= 60
        ]
        if not candidates:
            own = {line_key(text) for text in texts}
            candidates = [
                (0, word_count(text), d, i)
                for d, doc in enumerate(self.docs)
                for i, text in enumerate(doc.lines)
                if text and (d, i) not in places and doc.keys[i] not in own
            ]
        if not candidates:
            return ""
        _, _, d, i = min(candidates)
        return self.docs[d].lines[i] + "\n"

    def _evidence(
        self, occurrences: dict[str, list[tuple[int, int]]], proposed: set[str], frequent: set[str]
    ) -> tuple[Evidence, ...]:
        found = []
        for key, places in occurrences.items():
            doc_numbers = _doc_set(places)
            if key in proposed or len(doc_numbers) < 2:
                continue
            text = Counter(self.docs[d].lines[i] for d, i in places).most_common(1)[0][0]
            if len(doc_numbers) < self.options.min_docs:
                reason = f"in fewer than {self.options.min_docs} documents (--min-docs)"
            elif key not in frequent:
                reason = f"in less than {self.options.min_share:.0%} of the documents (--min-share)"
            elif key.startswith("long:"):
                reason = f"a long line ({word_count(text)} words) inside the article body"
            else:
                reason = "its occurrences are already covered by a block"
            found.append(Evidence(text, len(doc_numbers), reason))
        found.sort(key=lambda item: (-item.documents, item.text))
        return tuple(found)

    # -- checks -----------------------------------------------------------------------------

    def _checked(self, drafts: list[_Draft]) -> tuple[list[_Draft], list[str]]:
        """Keep the rules whose examples pass and that remove no body line from the batch."""
        kept, dropped = [], []
        with tempfile.TemporaryDirectory(prefix="cleaner-suggest-") as folder:
            path = Path(folder) / "rule.toml"
            for draft in drafts:
                path.write_text(draft.proposal.toml, encoding="utf-8")
                try:
                    # Built, not loaded: a draft has no business in the user's rule cache.
                    ruleset = build_ruleset([path])
                except RuleFileError as problem:
                    dropped.append(f"{draft.proposal.id}: {problem.reason}")
                    continue
                draft.removes = self._removed_by(ruleset)
                eaten = [self.docs[d].lines[i] for d, i in draft.removes if self.docs[d].body[i]]
                if eaten:
                    dropped.append(f"{draft.proposal.id}: would remove a body line: {_quote(eaten[0])}")
                    continue
                kept.append(draft)
        return kept, dropped

    def _removed_by(self, ruleset: RuleSet) -> set[tuple[int, int]]:
        """The (document, line index) places `ruleset` removes from the batch."""
        removed = set()
        for number, doc in enumerate(self.docs):
            text = "\n".join(doc.lines) + "\n"
            for removal in clean_text(text, Options(rules=ruleset, repair=False)).removals:
                removed |= {(number, line.number - 1) for line in removal.lines}
        return removed


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


class _Names:
    """Unique kebab-case rule ids with a common prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = kebab(prefix) or "site"
        self.used: set[str] = set()

    def new(self, text: str, fallback: str) -> str:
        words = kebab(text).split("-")[:4]
        slug = "-".join(w for w in words if w)
        if not regex.search(r"[a-z]", slug) and regex.search(r"\p{L}", text):
            # A script with no transliteration (评论, コメント): the kind and a hash of the text.
            slug = f"{fallback}-{short_hash(text)}"
        base = f"{self.prefix}-{slug or fallback}"
        name, number = base, 2
        while name in self.used:
            name, number = f"{base}-{number}", number + 1
        self.used.add(name)
        return name


@dataclass
class _Draft:
    lines: list[str]
    change: tuple[str, str]
    keep: str
    documents: int
    removed: int
    order: tuple[int, int]
    proposal: ProposedRule = field(init=False)
    removes: set[tuple[int, int]] = field(default_factory=set)  # set by the checks

    def __post_init__(self) -> None:
        body = ["[[rule]]", *(line for line in self.lines if line)]
        before, after = self.change
        body += ["", "[[rule.example]]", f"input = {_toml_text(before)}", f"output = {_toml_text(after)}"]
        if self.keep:
            body += ["", "[[rule.example]]", f"input = {_toml_text(self.keep)}"]
        rule_id = next(line for line in self.lines if line.startswith("id = ")).split('"')[1]
        self.proposal = ProposedRule(rule_id, "\n".join(body) + "\n", self.documents, self.removed)


def kebab(text: str) -> str:
    """ASCII kebab-case words, transliterated from Cyrillic, Greek, Arabic and Hangul.

    >>> kebab("What do you think?"), kebab("Читайте также"), kebab("Über den Autor")
    ('what-do-you-think', 'chitayte-takzhe', 'uber-den-autor')
    """
    return "-".join(regex.findall(r"[a-z0-9]+", to_ascii(text).lower()))


def guess_kind(texts: Iterable[str]) -> str:
    """The chrome kind most of the lines' words point to, or "boilerplate".

    >>> guess_kind(["What do you think?", "12 Comments", "Article Rating"])
    'comment-widget'
    """
    votes: Counter[str] = Counter()
    for text in texts:
        for kind, pattern in _KIND_PATTERNS.items():
            if pattern.search(text):
                votes[kind] += 1
    return votes.most_common(1)[0][0] if votes else "boilerplate"


def _patterns(texts: list[str]) -> list[str]:
    """The distinct generalised forms of the lines, most frequent first."""
    counted = Counter(generalise(text) for text in texts)
    return [pattern for pattern, _ in sorted(counted.items(), key=lambda item: (-item[1], item[0]))]


def _doc_set(places: Iterable[tuple[int, int]]) -> set[int]:
    return {doc for doc, _ in places}


def _share(count: int, total: int) -> str:
    return f"{count} of {total} documents ({count / total:.0%})"


def _variants(texts: list[str]) -> str:
    counted = Counter(texts).most_common()
    shown = ", ".join(f"{_quote(text)} ×{count}" for text, count in counted[:3])
    return shown + (f" and {len(counted) - 3} more" if len(counted) > 3 else "")


def _quote(text: str, limit: int = 70) -> str:
    return "“" + (text if len(text) <= limit else text[: limit - 1] + "…") + "”"


def _tidy(lines: Iterable[str]) -> str:
    """Lines joined, with runs of blank lines collapsed to one and none at the ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def _toml(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _toml_pattern(patterns: list[str]) -> str:
    def one(pattern: str) -> str:
        return f"'{pattern}'" if "'" not in pattern and "\n" not in pattern else _toml(pattern)

    return one(patterns[0]) if len(patterns) == 1 else "[" + ", ".join(one(p) for p in patterns) + "]"


def _toml_text(text: str) -> str:
    if not text:
        return '""'
    if "'''" not in text and not text.endswith("'"):
        return f"'''\n{text}'''"
    return _toml(text)


def render_file(suggestion: Suggestion, source: str) -> str:
    """The rule file: a header, each rule with its evidence, then what was not proposed."""
    options = suggestion.options
    head = [
        f"# Rules proposed by `cleaner rules suggest` from {suggestion.documents} documents in {source}",
        f"# (a line recurs in at least {options.min_docs} documents and {options.min_share:.0%} of them).",
        "# Review each rule before use, then test it: cleaner rules test FILE",
        "# To apply these rules to one site only, add a [site] table with its name and detect patterns.",
    ]
    parts = ["\n".join(head) + "\n"]
    parts += [rule.toml for rule in suggestion.rules]
    if suggestion.not_proposed:
        notes = ["# Recurring lines not proposed (documents: line, reason):"]
        notes += [f"#   {e.documents}: {_quote(e.text)}: {e.reason}" for e in suggestion.not_proposed[:30]]
        if len(suggestion.not_proposed) > 30:
            notes.append(f"#   ... and {len(suggestion.not_proposed) - 30} more")
        parts.append("\n".join(notes) + "\n")
    return "\n".join(parts)
