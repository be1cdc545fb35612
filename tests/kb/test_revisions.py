"""Every edit is a new revision; nothing is overwritten; any two revisions compare."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hotline.kb import actions
from hotline.kb.content import diff_lines, plain_text
from hotline.kb.models import ArticleEvent, ArticleState, Revision
from tests.kb.factory import content, published


def test_editing_a_published_article_keeps_the_published_revision_live(district, rita):
    article = published(district.bureau, district.victor, rita)
    first = article.published

    second = actions.edit(
        article,
        district.victor,
        content(district.bureau, body="<p>家庭人均月收入低于1510元。</p>"),
        reason="2025年标准调整",
    )

    article.refresh_from_db()
    assert article.state == ArticleState.DRAFT
    assert article.published == first
    assert article.head == second
    assert second.number == 2 and second.changed == ["body"]
    assert second.reason == "2025年标准调整"
    assert Revision.objects.get(pk=first.pk).body == first.body


def test_revisions_and_events_cannot_be_changed_or_deleted(district, rita):
    article = published(district.bureau, district.victor, rita)
    revision = article.head
    revision.title = "改过的标题"
    with pytest.raises(ValidationError):
        revision.save()
    with pytest.raises(ValidationError):
        Revision.objects.filter(article=article).update(title="x")
    with pytest.raises(ValidationError):
        ArticleEvent.objects.filter(article=article).delete()
    assert list(article.events.values_list("action", flat=True)) == ["create", "submit", "publish"]


def test_an_edit_that_changes_nothing_is_refused(district):
    article = actions.create(district.victor, content(district.bureau))
    with pytest.raises(actions.InvalidInput, match="Nothing was changed"):
        actions.edit(article, district.victor, content(district.bureau))


def test_any_two_revisions_compare_line_by_line(district, rita):
    article = published(district.bureau, district.victor, rita)
    new = actions.edit(
        article,
        district.victor,
        content(district.bureau, body="<h2>申请条件</h2><p>家庭人均月收入低于1510元。</p>"),
        reason="标准调整",
    )
    old = article.revisions.get(number=1)
    diff = diff_lines(plain_text(old.body), plain_text(new.body))
    assert (" ", "申请条件") in diff
    assert ("-", "家庭人均月收入低于本市最低生活保障标准。") in diff
    assert ("+", "家庭人均月收入低于1510元。") in diff


def test_body_is_sanitised_and_plain_text_becomes_paragraphs(district):
    article = actions.create(
        district.victor,
        content(
            district.bureau,
            body='<h2>办理</h2><script>alert(1)</script><a href="javascript:x()">点此</a>'
            '<table><tr><td onclick="x()">材料</td></tr></table>',
        ),
    )
    body = article.head.body
    assert "<script" not in body and "javascript:" not in body and "onclick" not in body
    assert "<h2>办理</h2>" in body and "<td>材料</td>" in body

    plain = actions.create(district.victor, content(district.bureau, body="第一段\n\n第二段 <b"))
    assert plain.head.body == "<p>第一段</p><p>第二段 &lt;b</p>"


def test_a_missing_title_or_review_date_before_effective_date_is_refused(district):
    with pytest.raises(actions.InvalidInput, match="title"):
        actions.create(district.victor, content(district.bureau, title="  "))
    with pytest.raises(actions.InvalidInput, match="review date"):
        actions.create(
            district.victor,
            content(
                district.bureau, review_by=content(district.bureau).effective_on.replace(year=2023)
            ),
        )


@pytest.mark.parametrize(
    "body",
    [
        "<p></p>",
        "<p>\u3000</p>",
        "<p>&nbsp;</p>",
        "<b></b><br>",
        "<table><tr><td></td></tr></table>",
    ],
)
def test_a_body_with_markup_but_no_text_is_refused(district, body):
    with pytest.raises(actions.InvalidInput, match="text") as refused:
        actions.create(district.victor, content(district.bureau, body=body))
    assert refused.value.field == "body"
