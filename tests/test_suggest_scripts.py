"""`rules suggest` on pages in scripts without ASCII: ids transliterated or hashed, kinds
guessed from the words of those languages."""

from __future__ import annotations

import re

from cleaner.rulebook.suggest import guess_kind, kebab, suggest
from cleaner.text.transliterate import to_ascii

ARTICLES = [
    "市政府表示，这座大桥在经过一个月的维修后于周一重新通车，附近居民都松了一口气。",
    "今年前两个月，全市规模以上工业增加值同比增长百分之五，比去年全年加快零点六个百分点。",
    "气象台预计，本周末将有一次明显的降雨过程，请市民出行时注意交通安全并携带雨具。",
    "新的公交线路将于下月开通，连接火车东站和钱塘江边的几个新建住宅小区，方便居民出行。",
]


def page(article: str) -> str:
    return f"分享到：微信 微博\n\n{article}\n\n{article[::-1]}\n\n评论（12）\n我要评论\n\nПоделиться\n"


def test_ids_are_never_empty_slugs_and_kinds_come_from_the_words() -> None:
    documents = [(f"page-{i}.txt", page(article)) for i, article in enumerate(ARTICLES)]
    suggestion = suggest(documents)
    ids = [rule.id for rule in suggestion.rules]
    assert ids
    for rule_id in ids:
        assert not re.fullmatch(r"site-boilerplate(?:-\d+)?", rule_id), ids
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule_id), rule_id
    assert any("comment-widget" in rule.toml for rule in suggestion.rules)


def test_transliteration_and_kind_words() -> None:
    assert kebab("Читайте также") == "chitayte-takzhe"
    assert kebab("댓글 쓰기") == "daetgeul-sseugi"
    assert kebab("اقرأ أيضاً") == "aqra-ayda"
    assert to_ascii("评论") == ""
    assert guess_kind(["评论（12）", "我要评论"]) == "comment-widget"
    assert guess_kind(["Kommentare (12)", "Jetzt kommentieren"]) == "comment-widget"
    assert guess_kind(["Поделиться"]) == "share-buttons"
    assert guess_kind(["Alle Rechte vorbehalten."]) == "copyright"
    assert guess_kind(["関連記事"]) == "related-links"
