"""Plain text with a staff note keeps its paragraphs (walk-through, session 24, M2).

The edit page says a blank line starts a new paragraph and that notes for staff go in
<aside>…</aside>; doing both published one run-together paragraph, because any tag made the
whole body read as HTML.
"""

from __future__ import annotations

from hotline.kb.content import public_part, sanitise

BODY = (
    "江宁路街道为老人提供应急援助服务。\n\n申请方式：电话预约。\n周一至周五\n\n"
    "<aside>接线时先确认年龄。\n\n再问住址。</aside>"
)


def test_paragraphs_outside_and_inside_the_note_are_kept():
    assert sanitise(BODY) == (
        "<p>江宁路街道为老人提供应急援助服务。</p><p>申请方式：电话预约。<br>周一至周五</p>"
        "<aside><p>接线时先确认年龄。</p><p>再问住址。</p></aside>"
    )


def test_the_citizen_reads_the_paragraphs_without_the_note():
    assert public_part(sanitise(BODY)) == (
        "<p>江宁路街道为老人提供应急援助服务。</p><p>申请方式：电话预约。<br>周一至周五</p>"
    )


def test_html_bodies_and_an_unclosed_note_are_left_to_the_sanitiser():
    assert sanitise("<p>甲</p>\n\n<aside>乙</aside>") == "<p>甲</p>\n\n<aside>乙</aside>"
    assert sanitise("甲 <aside>乙") == "甲 <aside>乙</aside>"
    assert sanitise("甲 & <b>乙</b>") == "甲 &amp; <b>乙</b>"
