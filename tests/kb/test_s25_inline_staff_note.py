"""A staff note written inside a sentence does not split the paragraph it sits in (review r1 L4,
b4ef41d): HTML has no block inside a <p>, so 'a <aside>note</aside> b' became
<p>a</p><aside>…</aside><p>b</p> and the portal, which leaves the note out, showed one sentence
as two paragraphs. The note now follows its paragraph, whose text is joined where it was."""

from __future__ import annotations

from hotline.kb.content import public_part, sanitise


def test_a_note_inside_a_plain_text_sentence_follows_its_paragraph():
    body = "办理时请携带身份证<aside>先核对是否本人</aside>原件。\n\n第二段 <aside>x</aside> 说明。"
    assert sanitise(body) == (
        "<p>办理时请携带身份证原件。</p><aside><p>先核对是否本人</p></aside>"
        "<p>第二段 说明。</p><aside><p>x</p></aside>"
    )
    assert public_part(sanitise(body)) == "<p>办理时请携带身份证原件。</p><p>第二段 说明。</p>"


def test_a_note_inside_an_html_paragraph_follows_it():
    body = "<p>甲 <aside>乙</aside> 丙</p><ul><li>丁</li></ul>"
    assert sanitise(body) == "<p>甲 丙</p><aside>乙</aside><ul><li>丁</li></ul>"
    assert public_part(sanitise(body)) == "<p>甲 丙</p><ul><li>丁</li></ul>"


def test_a_note_on_its_own_lines_stays_where_it_is():
    body = "甲\n\n<aside>乙\n\n丙</aside>\n\n丁"
    assert sanitise(body) == "<p>甲</p><aside><p>乙</p><p>丙</p></aside><p>丁</p>"


def test_the_marks_used_for_lifted_notes_cannot_be_typed_into_a_body():
    # Review, session 25, L2: a body holding the private-use marks was an IndexError (a 500).
    from hotline.kb.content import sanitise

    for body in (
        "<p>办理\ue0000\ue001居住证</p>",
        "办理\ue0000\ue001居住证 <aside>内部</aside> 需要材料",
    ):
        out = sanitise(body)
        assert "\ue000" not in out and "\ue001" not in out
        assert "居住证" in out
