"""A staff note written inside another, inside a sentence, stays a staff note (attack, session 26,
h5 F5; 775bd63). The note lifted out of its paragraph ended at the inner note's end, so the rest
of the outer note ("再拨内线 8123") joined the citizen's sentence: on the portal, in the search
index and in "answer with this article"."""

from __future__ import annotations

from hotline.kb.content import public_part, sanitise


def test_the_rest_of_an_outer_note_is_not_published():
    body = sanitise(
        "<p>办理居住证 <aside>内部：先查 <aside>系统A</aside> 再拨内线 8123</aside> 带身份证</p>"
    )
    public = public_part(body)
    assert "8123" not in public and "系统A" not in public and "内部" not in public
    assert "办理居住证" in public and "带身份证" in public
    assert "8123" in body  # the staff page still shows the whole note


def test_a_single_note_inside_a_sentence_is_still_lifted_whole():
    body = sanitise("<p>办理居住证 <aside>内部：内线 8123</aside> 带身份证</p>")
    assert body == "<p>办理居住证 带身份证</p><aside>内部：内线 8123</aside>"
