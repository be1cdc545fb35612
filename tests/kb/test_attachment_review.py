"""A file attached to a published article waits for review, as a text change does.

Victor (区民政局) keeps the published 低保 article. Before, attaching a file to it put the file
on the article at once: every member of staff reading the published article saw and downloaded
it, though nobody had reviewed it — the review workflow bypassed. Files are now part of a
revision: adding, replacing or removing one writes a new revision (an attach or detach event)
and makes the article a draft; the published revision keeps its files until Rita, the
knowledge reviewer, publishes the change."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hotline.kb import actions
from hotline.kb.models import ArticleAttachment
from tests.kb.factory import published
from tests.kb.test_pages import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf(name: str = "低保办法.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def _publish(article, district, rita):
    actions.submit(article, district.victor)
    actions.publish(article, rita)
    article.refresh_from_db()


def test_a_file_added_to_a_published_article_waits_for_review(client, district, rita):
    article = published(district.bureau, district.victor, rita)
    before = article.published_id
    pdf = actions.attach(article, district.victor, upload=_pdf(), note="政策原文")
    article.refresh_from_db()
    assert article.state == "draft" and article.published_id == before
    assert not article.published.attachments.exists()
    assert list(article.head.attachments.all()) == [pdf]
    assert article.head.changed == ["attachments"] and article.head.reason == "政策原文"
    event = article.events.last()
    assert event.action == "attach" and event.revision_id == article.head_id
    assert event.payload["attachment"] == "低保办法.pdf"
    # Olga the operator reads the published article: no file yet, and none to download.
    page = login(client, district.olga).get(f"/kb/{article.pk}/").content.decode()
    assert "低保办法.pdf" not in page
    assert client.get(f"/kb/{article.pk}/attachments/{pdf.pk}").status_code == 404
    _publish(article, district, rita)
    assert list(article.published.attachments.all()) == [pdf]
    assert "低保办法.pdf" in client.get(f"/kb/{article.pk}/").content.decode()
    assert client.get(f"/kb/{article.pk}/attachments/{pdf.pk}").status_code == 200


def test_replacing_and_removing_a_file_are_reviewed_too(district, rita):
    article = published(district.bureau, district.victor, rita)
    old = actions.attach(article, district.victor, upload=_pdf("2023版.pdf"))
    _publish(article, district, rita)
    new = actions.attach(article, district.victor, upload=_pdf("2024版.pdf"), replaces=old.pk)
    article.refresh_from_db()
    assert list(article.published.attachments.all()) == [old]
    assert list(article.head.attachments.all()) == [new]
    assert article.events.last().payload["replaces"] == "2023版.pdf"
    _publish(article, district, rita)
    actions.detach(article, district.victor, attachment=new.pk, note="政策已废止")
    article.refresh_from_db()
    assert article.state == "draft" and list(article.published.attachments.all()) == [new]
    assert not article.head.attachments.exists()
    assert article.events.last().action == "detach"
    _publish(article, district, rita)
    assert not article.published.attachments.exists()
    assert ArticleAttachment.objects.count() == 2  # earlier revisions keep their files


def test_an_edit_of_the_text_keeps_the_files(district, rita):
    article = published(district.bureau, district.victor, rita)
    pdf = actions.attach(article, district.victor, upload=_pdf())
    article.refresh_from_db()
    changed = actions.Content(
        title=article.head.title,
        body="<p>新的正文。</p>",
        unit=district.bureau,
        keywords=article.head.keywords,
        public=True,
    )
    actions.edit(article, district.victor, changed, reason="标准调整")
    article.refresh_from_db()
    assert list(article.head.attachments.all()) == [pdf]


def test_another_units_file_or_a_file_of_another_article_is_refused(district, rita):
    article = published(district.bureau, district.victor, rita)
    other = published(district.bureau, district.victor, rita, title="另一条")
    pdf = actions.attach(other, district.victor, upload=_pdf())
    with pytest.raises(actions.InvalidInput):
        actions.detach(article, district.victor, attachment=pdf.pk)
    with pytest.raises(actions.InvalidInput):
        actions.attach(article, district.victor, upload=_pdf("b.pdf"), replaces=pdf.pk)
    with pytest.raises(actions.NotAllowed):
        actions.detach(other, district.una, attachment=pdf.pk)
    article.refresh_from_db()
    assert article.state == "published"


def test_the_page_adds_and_removes_a_file_as_a_proposed_change(client, district, rita):
    article = published(district.bureau, district.victor, rita)
    login(client, district.victor)
    response = client.post(f"/kb/{article.pk}/attach", {"file": _pdf(), "version": article.version})
    assert response.status_code == 302
    article.refresh_from_db()
    pdf = article.head.attachments.get()
    page = client.get(f"/kb/{article.pk}/").content.decode()
    assert 'data-testid="kb-pending"' in page and "低保办法.pdf" in page
    diff = client.get(f"/kb/{article.pk}/diff").content.decode()
    assert "低保办法.pdf" in diff
    client.post(f"/kb/{article.pk}/detach", {"attachment": pdf.pk, "version": article.version})
    article.refresh_from_db()
    assert not article.head.attachments.exists()
    assert [e.action for e in article.events.order_by("seq")][-2:] == ["attach", "detach"]


def test_files_attached_before_the_change_stay_on_what_people_see(district, rita):
    """The migration puts each existing file on its article's newest and published revisions."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("hotline.kb.migrations.0005_attachments_per_revision")
    article = published(district.bureau, district.victor, rita)
    event = article.events.last()
    old = ArticleAttachment.objects.create(
        article=article, event=event, file="kb/x.pdf", name="x.pdf"
    )
    migration.carry_existing_files(apps, None)
    article.refresh_from_db()
    assert list(article.published.attachments.all()) == [old]
    assert list(article.head.attachments.all()) == [old]


def test_an_operator_reads_a_published_article_as_published_while_a_change_waits(
    client, district, rita
):
    """Olga answers citizens with the published revision (a unit's proposed change, a text edit
    or a file, is not hers to read; the page says one is waiting): it called the article a
    draft."""
    article = published(district.bureau, district.victor, rita)
    actions.attach(article, district.victor, upload=_pdf())
    page = login(client, district.olga).get(f"/kb/{article.pk}/").content.decode()
    assert 'kb-state-published" data-testid="kb-state">已发布</span>' in page
    assert "低保办法.pdf" not in page
    own = login(client, district.victor).get(f"/kb/{article.pk}/").content.decode()
    assert 'kb-state-draft" data-testid="kb-state">草稿</span>' in own


def test_a_file_sent_twice_is_added_once_and_said_done(client, district, rita):
    article = published(district.bureau, district.victor, rita)
    login(client, district.victor)
    version = article.version
    for _ in range(2):  # a double click on 上传
        response = client.post(f"/kb/{article.pk}/attach", {"file": _pdf(), "version": version})
    assert ArticleAttachment.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "已保存为新版本" in page and "被他人修改" not in page


def test_a_second_different_file_from_a_stale_page_is_not_said_saved(client, district, rita):
    """r1's review of session 17: after attaching A.pdf, Back and attaching B.pdf from the same
    page was refused (the article changed since) but said "saved as a new revision" — the
    double-click answer — though B was dropped. Only the same file sent again is said done."""
    article = published(district.bureau, district.victor, rita)
    login(client, district.victor)
    version = article.version
    first = client.post(f"/kb/{article.pk}/attach", {"file": _pdf("通知A.pdf"), "version": version})
    assert "已保存为新版本" in client.get(first["Location"]).content.decode()
    response = client.post(
        f"/kb/{article.pk}/attach", {"file": _pdf("通知B.pdf"), "version": version}
    )
    assert list(ArticleAttachment.objects.values_list("name", flat=True)) == ["通知A.pdf"]
    page = client.get(response["Location"]).content.decode()
    assert "已保存为新版本" not in page
