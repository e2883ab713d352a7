"""Repair changes only what is broken: correct text in many scripts is left exactly as it is,
and the same text turned to mojibake (UTF-8 read as Windows-1252 or Latin-1) is restored."""

from __future__ import annotations

import pytest

from cleaner.engine.pipeline import Options, _prepare
from cleaner.text.repair import repair_line

# Correct text, as published: full-width punctuation, ZWNJ, combining vowel signs and all.
CORRECT = {
    "chinese": "国家统计局15日发布数据：前两个月，工业增加值同比增长5.3%。（记者 王芳）",
    "chinese-traditional": "台北市政府今天宣布，將調整公車路線；市民可上網查詢「新路線圖」！",
    "japanese": "東京都は１５日、新しい観光政策を発表した。「案内表示を多言語化する」と述べた。",
    "japanese-half-width": "ｶﾀｶﾅの看板が残る商店街で、住民は「昔のままでいい」と話した。",
    "korean": "서울시는 15일 새로운 대중교통 정책을 발표했다. “출퇴근 시간을 줄이겠다”고 밝혔다.",
    "arabic": "أعلنت الحكومة، يوم الاثنين، عن حزمة جديدة من الإجراءات الاقتصادية؛ فهل تنجح؟",
    "persian": "وزارت آموزش و پرورش می‌گوید که مدرسه‌ها از هفته‌ی آینده باز می‌شوند.",
    "hebrew": "הממשלה אישרה היום את התקציב החדש, כך נמסר בהודעה רשמית.",
    "hindi": "सरकार ने सोमवार को नई शिक्षा नीति की घोषणा की। मंत्री ने कहा, “यह ऐतिहासिक है।”",
    "bengali": "ঢাকায় সোমবার নতুন মেট্রো রেল লাইনের উদ্বোধন করা হয়েছে।",
    "tamil": "சென்னையில் இன்று கனமழை பெய்தது; பள்ளிகளுக்கு விடுமுறை அறிவிக்கப்பட்டது.",
    "thai": "กรุงเทพมหานครประกาศมาตรการใหม่เพื่อแก้ปัญหาการจราจรในช่วงเช้า",
    "greek": "Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα για την οικονομία· «Είναι αναγκαία», είπε.",
    "russian": "В понедельник в Москве прошло заседание правительства — «важное», как сказал министр.",
    "georgian": "თბილისში ორშაბათს ახალი მეტროს სადგური გაიხსნა.",
    "armenian": "Երևանում երկուշաբթի բացվեց նոր կամուրջը։",
    "amharic": "የአዲስ አበባ ከተማ አስተዳደር አዲስ የትራንስፖርት ፖሊሲ አስታወቀ።",
    "vietnamese": "Hà Nội hôm nay công bố kế hoạch mở rộng tuyến đường sắt đô thị số 3.",
    "emoji": "Die Brücke ist wieder offen 🎉 – endlich! 👨‍👩‍👧",
}


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_text_is_left_alone(name: str) -> None:
    text = CORRECT[name]
    assert repair_line(text) == (text, ())
    lines, repairs = _prepare(text + "\n", Options())
    assert [line.text for line in lines] == [text] and repairs == []


def test_the_corpus_covers_ten_scripts() -> None:
    assert len(CORRECT) >= 10


# Mojibake of each: the UTF-8 bytes read as Windows-1252 (as a browser does) or Latin-1.
MOJIBAKE_SCRIPTS = [
    "chinese",
    "japanese",
    "korean",
    "arabic",
    "persian",
    "hebrew",
    "hindi",
    "bengali",
    "thai",
    "greek",
    "russian",
    "georgian",
]


def _mojibake(text: str, codec: str) -> str:
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return text.encode("utf-8").decode(codec)


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "latin-1"])
@pytest.mark.parametrize("name", MOJIBAKE_SCRIPTS)
def test_mojibake_of_each_script_is_fixed(name: str, codec: str) -> None:
    text = CORRECT[name]
    broken = _mojibake(text, codec)
    assert broken != text
    fixed, fixes = repair_line(broken)
    assert fixed == text
    assert fixes
