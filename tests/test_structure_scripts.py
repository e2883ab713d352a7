"""Structure without spaces: words, sentences, headline and body of Chinese, Japanese and
Thai text, counted by characters."""

from __future__ import annotations

from cleaner import clean_text
from cleaner.engine.pipeline import default_rules
from cleaner.text.document import ProseTest, word_count

THAI_ARTICLE = [
    "หลังจากใช้เวลาซ่อมแซมนานกว่าหนึ่งปี สะพานข้ามแม่น้ำเจ้าพระยาได้เปิดให้รถยนต์สัญจรอีกครั้งเมื่อวันศุกร์ที่ผ่านมา "
    "ผู้ว่าราชการกรุงเทพมหานครกล่าวว่าวันนี้เป็นวันสำคัญสำหรับประชาชนในย่านนี้ที่รอคอยมานาน",
    "สะพานเดิมถูกปิดตั้งแต่ปลายปีสองพันห้าร้อยหกสิบห้า หลังจากเจ้าหน้าที่ตรวจพบรอยร้าวที่ตอม่อสองต้น "
    "ตั้งแต่นั้นมาผู้ขับขี่ต้องใช้เส้นทางอ้อมเกือบสี่กิโลเมตร และรถประจำทางต้องหยุดอยู่ที่อีกฝั่งของแม่น้ำ",
    "การซ่อมแซมครั้งนี้ใช้งบประมาณราวหกร้อยล้านบาท สูงกว่าที่วางแผนไว้เล็กน้อย "
    "กรุงเทพมหานครระบุว่าค่าใช้จ่ายที่เพิ่มขึ้นมาจากราคาเหล็กและคอนกรีตที่สูงขึ้น รวมถึงฝนที่ตกหนักจนทำให้งานฐานรากล่าช้า",
    "ชาวบ้านในละแวกนั้นต่างรู้สึกโล่งใจ หญิงคนหนึ่งที่อาศัยอยู่ในย่านนี้มายี่สิบปีบอกว่าในที่สุดเธอก็สามารถปั่นจักรยานไปทำงานได้อีกครั้ง "
    "และรถประจำทางจะกลับมาวิ่งผ่านสะพานตั้งแต่วันจันทร์",
]
THAI_HEADLINE = "กรุงเทพฯ เปิดสะพานข้ามแม่น้ำเจ้าพระยาอีกครั้งหลังซ่อมนานหนึ่งปี"


def test_words_are_counted_by_characters_where_there_are_no_spaces() -> None:
    assert word_count("国家统计局发布数据") == 5  # nine ideographs
    assert word_count("コーヒーを飲む") == 4  # the length mark counts with its kana
    assert word_count("กรุงเทพมหานคร") == 3  # thirteen characters, vowel signs included
    assert word_count("Die Brücke ist offen") == 4


def test_sentence_ends_in_cjk_and_thai() -> None:
    prose = default_rules().settings.prose_test()
    assert isinstance(prose, ProseTest)
    assert prose.is_sentence("市政府表示，大桥已经重新通车。")
    assert prose.is_sentence("「橋は月曜日に再開通した」と市は発表した！")
    assert not prose.is_sentence("杭州复兴大桥经过一年维修重新通车")
    assert prose.is_prose(THAI_ARTICLE[0])  # Thai ends a sentence with a space, not a mark
    assert not prose.is_sentence(THAI_HEADLINE)  # a headline is short


def test_a_thai_page_keeps_its_headline_and_body() -> None:
    page = "\n".join(["หน้าแรก", "ข่าว", "การเมือง", "เศรษฐกิจ", "", THAI_HEADLINE, "", ""])
    page += "\n\n".join(THAI_ARTICLE) + "\n\nข่าวที่เกี่ยวข้อง\nรถไฟฟ้าสายใหม่เปิดปีหน้า\nทางจักรยานริมแม่น้ำ\n"
    result = clean_text(page)
    assert result.language == "th"
    assert result.title == THAI_HEADLINE
    assert list(result.paragraphs) == THAI_ARTICLE
