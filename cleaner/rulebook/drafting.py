"""Drafting rules from mined chrome: a line rule or a block rule each, named, with examples of
both kinds from the batch, and the checks a draft must pass against the batch."""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import regex

from cleaner.engine.pipeline import Options, clean_text
from cleaner.engine.ruleset import RuleSet
from cleaner.errors import RuleFileError
from cleaner.rulebook.mining import (
    _Block,
    _doc_set,
    _Mining,
    _run_around,
)
from cleaner.rulebook.proposal import (
    Evidence,
    ProposedRule,
    _quote,
    _toml,
    _toml_pattern,
    _toml_text,
    generalise,
    line_key,
)
from cleaner.rulebook.rulefiles import build_ruleset
from cleaner.text.document import word_count
from cleaner.text.transliterate import short_hash, to_ascii


class _Drafting(_Mining):
    """Rules from what the mining found, with examples from the batch, and the final checks."""

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


def _share(count: int, total: int) -> str:
    return f"{count} of {total} documents ({count / total:.0%})"


def _variants(texts: list[str]) -> str:
    counted = Counter(texts).most_common()
    shown = ", ".join(f"{_quote(text)} ×{count}" for text, count in counted[:3])
    return shown + (f" and {len(counted) - 3} more" if len(counted) > 3 else "")


def _tidy(lines: Iterable[str]) -> str:
    """Lines joined, with runs of blank lines collapsed to one and none at the ends."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""
