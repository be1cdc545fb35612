"""A staff note typed on its own line in the middle of a sentence does not split the paragraph
(r1 L4 leftover, session 27; 775bd63 joined a note written inside a line only). In plain text
a paragraph ends at a blank line and a line break is kept as one: '办理时请携带身份证⏎<aside>…
</aside>⏎原件。' was <p>办理时请携带身份证</p><aside>…</aside><p>原件。</p>: two paragraphs
on the portal."""

from __future__ import annotations

from hotline.kb.content import public_part, sanitise


def test_a_note_on_its_own_line_inside_a_paragraph_keeps_the_paragraph_whole():
    body = "办理时请携带身份证\n<aside>先核对是否本人\n再看有效期</aside>\n原件。"
    assert sanitise(body) == (
        "<p>办理时请携带身份证<br>原件。</p><aside><p>先核对是否本人<br>再看有效期</p></aside>"
    )
    assert public_part(sanitise(body)) == "<p>办理时请携带身份证<br>原件。</p>"


def test_the_text_around_the_note_is_still_escaped():
    body = "费用 < 10 元 & 免费\n<aside>内部：a > b</aside>\n另见 <说明>"
    assert sanitise(body) == (
        "<p>费用 &lt; 10 元 &amp; 免费<br>另见 &lt;说明&gt;</p><aside><p>内部：a &gt; b</p></aside>"
    )


def test_a_note_between_paragraphs_stays_between_them():
    assert sanitise("甲\n\n<aside>乙</aside>\n丙") == "<p>甲</p><aside><p>乙</p></aside><p>丙</p>"
    assert sanitise("甲\n<aside>乙</aside>\n\n丙") == "<p>甲</p><aside><p>乙</p></aside><p>丙</p>"
