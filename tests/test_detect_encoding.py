"""Encoding detection where UTF-8 fails: legacy CJK and Cyrillic encodings, UTF-16 without a
BOM, and Western text still read as Windows-1252; --encoding always wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli.main import cli
from cleaner.engine.pipeline import clean_bytes
from cleaner.text.decoding import decode_bytes

CHINESE = (
    "国家统计局十五日发布最新数据。数据显示，今年前两个月，全国规模以上工业增加值同比增长百分之五点三，"
    "比去年全年加快零点六个百分点。\n\n"
    "分析人士认为，消费和投资的回升是经济企稳的主要原因，但外部环境仍然复杂多变。\n"
)
JAPANESE = (
    "東京都は十五日、新しい観光政策を発表した。外国人旅行者の増加に対応するため、主要な駅の案内表示を"
    "多言語化し、相談窓口を設ける。\n\n"
    "担当者は「誰もが安心して街を歩けるようにしたい」と話している。\n"
)
RUSSIAN = (
    "В понедельник в Москве прошло заседание правительства, на котором обсуждались вопросы развития "
    "транспортной инфраструктуры.\n\n"
    "Министр заявил, что строительство новой линии метро начнётся уже в следующем году.\n"
)
KOREAN = "서울시는 15일 새로운 대중교통 정책을 발표했다. 시민들의 출퇴근 시간을 줄이기 위해 버스 노선을 개편한다.\n"
ENGLISH = "The bridge over the river reopened on Monday after a month of repairs, the council said.\n"


@pytest.mark.parametrize(
    ("text", "codec", "family"),
    [
        (CHINESE, "gbk", {"gb18030", "gbk"}),
        (JAPANESE, "shift_jis", {"cp932", "shift_jis"}),
        (RUSSIAN, "cp1251", {"cp1251"}),
        (KOREAN, "euc-kr", {"cp949", "euc_kr"}),
        (RUSSIAN, "utf-16-le", {"utf-16-le"}),
        (ENGLISH, "utf-16-be", {"utf-16-be"}),
        (ENGLISH + RUSSIAN, "utf-32-le", {"utf-32-le"}),
    ],
)
def test_legacy_encodings_decode_to_the_right_text(text: str, codec: str, family: set[str]) -> None:
    decoded = decode_bytes(text.encode(codec), "page.txt")
    assert decoded.text == text
    assert decoded.encoding in family
    assert decoded.confidence is not None and 0.5 <= decoded.confidence <= 1.0
    assert len(decoded.warnings) == 1 and "detected" in decoded.warnings[0]


def test_western_text_that_is_not_utf8_stays_windows_1252() -> None:
    for text in (
        "Caf\u00e9\n",
        "Le caf\u00e9 a rouvert apr\u00e8s des travaux tr\u00e8s longs, p\u00e8re et m\u00e8re.\n",
    ):
        decoded = decode_bytes(text.encode("latin-1"))
        assert (decoded.text, decoded.encoding, decoded.confidence) == (text, "windows-1252", None)
    german = "Die Stra\u00dfe \u00fcber den Fluss wurde am Montag wieder ge\u00f6ffnet \u2013 endlich.\n"
    assert decode_bytes(german.encode("cp1252")).text == german


def test_utf8_is_not_guessed() -> None:
    decoded = decode_bytes(CHINESE.encode("utf-8"))
    assert (decoded.encoding, decoded.confidence, decoded.warnings) == ("utf-8", None, ())


def test_binary_is_still_refused() -> None:
    from cleaner.errors import InputError

    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")


def test_an_explicit_encoding_wins() -> None:
    data = RUSSIAN.encode("cp1251")
    decoded = decode_bytes(data, encoding="latin-1")
    assert decoded.encoding == "iso8859-1" and decoded.confidence is None and not decoded.warnings


def test_json_reports_the_encoding_and_its_confidence(tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(CHINESE.encode("gbk"))
    result = CliRunner().invoke(cli, ["clean", "--format", "json", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["encoding"] == "gb18030" and data["encoding_confidence"] >= 0.5
    assert "国家统计局" in data["text"] and "，" in data["text"]
    assert "detected gb18030" in result.stderr
    forced = CliRunner().invoke(cli, ["clean", "--format", "json", "--encoding", "cp1252", str(page)])
    assert "encoding_confidence" not in json.loads(forced.stdout)


def test_clean_bytes_carries_the_confidence() -> None:
    result = clean_bytes(JAPANESE.encode("shift_jis"))
    assert result.encoding == "cp932" and result.encoding_confidence is not None
    assert result.text.startswith("東京都は十五日、")


def test_a_large_file_uses_the_same_policy(tmp_path) -> None:
    page = tmp_path / "big.txt"
    # sixty copies, each sentence numbered, so that no line repeats
    text = "".join(RUSSIAN.replace(".", f" ({n}).") + "\n" for n in range(60))
    page.write_bytes(text.encode("cp1251"))
    result = CliRunner().invoke(cli, ["clean", "--format", "json", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["encoding"] == "cp1251"
    assert "Министр заявил" in data["text"]


PAGES = Path(__file__).parent / "languages"


@pytest.mark.parametrize("code", ["de", "fr", "es", "pt", "it", "nl"])
def test_western_pages_in_windows_1252_are_not_taken_for_another_script(code: str) -> None:
    # Portuguese in Windows-1252 reads almost as well as Windows-1256 (Arabic) to the detector.
    text = (PAGES / f"{code}.page.txt").read_text(encoding="utf-8")
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("windows-1252", text)
    for paragraph in text.split("\n\n"):
        assert decode_bytes(paragraph.encode("cp1252")).text == paragraph


@pytest.mark.parametrize(
    ("code", "codec", "name"),
    [
        ("ru", "cp1251", "cp1251"),
        ("ar", "cp1256", "cp1256"),
        ("pl", "cp1250", "cp1250"),
        ("tr", "cp1254", "cp1254"),
    ],
)
def test_legacy_pages_decode_to_the_right_text(code: str, codec: str, name: str) -> None:
    text = (PAGES / f"{code}.page.txt").read_text(encoding="utf-8")
    decoded = decode_bytes(text.encode(codec))
    assert (decoded.encoding, decoded.text) == (name, text)
