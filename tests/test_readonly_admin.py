"""The admin reads what the apps write through their actions (hotline.readonly_admin): Ada, a
superuser, sees every such record and its history as text, and can add, change or delete none."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation

from hotline.dispatch.models import RetrainRun
from hotline.kb.models import Article
from hotline.org.models import Role, User
from hotline.readonly_admin import ReadOnlyAdmin
from hotline.security.models import Where
from hotline.security.phones import record_export
from tests.conftest import District, make_user
from tests.kb.factory import published

READ_ONLY = sorted(
    model._meta.label
    for model, page in admin.site._registry.items()
    if isinstance(page, ReadOnlyAdmin)
)


@pytest.fixture
def ada(client: Client, district: District) -> User:
    ada = district.ada
    ada.is_staff = ada.is_superuser = True
    ada.save()
    client.force_login(ada)
    return ada


def test_the_read_only_pages_are_the_ones_we_know() -> None:
    assert {
        "kb.Article",
        "kb.UpkeepTask",
        "hall.SelfServiceUse",
        "security.PhoneView",
        "dispatch.ModelChange",
        "dispatch.Prediction",
        "dispatch.RetrainRun",
        "ratings.Rating",
        "assistance.Assistance",
        "cases.Case",
        "cases.Submission",
        "prereview.PreReview",
        "prereview.PreReviewInvitation",
    } <= set(READ_ONLY)


@pytest.mark.parametrize("label", READ_ONLY)
def test_ada_lists_the_records_and_cannot_add_one(client: Client, ada: User, label: str) -> None:
    app, model = label.lower().split(".")
    assert client.get(f"/admin/{app}/{model}/").status_code == 200
    assert client.get(f"/admin/{app}/{model}/add/").status_code == 403


def test_a_record_shows_as_text_and_is_neither_changed_nor_deleted(
    client: Client, ada: User
) -> None:
    view = record_export(ada, Where.EXPORT, "export-history: 3 orders")
    page = f"/admin/security/phoneview/{view.pk}/"
    shown = client.get(page + "change/")
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "export-history: 3 orders" in text and 'name="detail"' not in text
    assert client.post(page + "change/", {"detail": "rubbed out"}).status_code == 403
    assert client.get(page + "delete/").status_code == 403
    assert client.post(page + "delete/", {"post": "yes"}).status_code == 403
    view.refresh_from_db()
    assert view.detail == "export-history: 3 orders"


def test_an_articles_revisions_and_events_show_under_it_as_text(
    client: Client, ada: User, district: District
) -> None:
    rita = make_user("rita", district.centre, Role.KNOWLEDGE_REVIEWER)
    with translation.override("en"):
        article = published(district.bureau, district.victor, rita, title="居住证积分申请")
    page = client.get(f"/admin/kb/article/{article.pk}/change/").content.decode()
    assert page.count("居住证积分申请") >= 2  # the article and its revision
    assert "victor" in page  # the revision's author and the events' actor
    assert 'name="revisions-0-title"' not in page and 'name="events-0-reason"' not in page
    assert Article.objects.get().revisions.count() == 1


def test_ada_may_still_release_the_retraining_claim(client: Client, ada: User) -> None:
    run = RetrainRun.objects.create(target="unit")
    page = f"/admin/dispatch/retrainrun/{run.pk}/"
    assert client.post(page + "change/", {}).status_code == 403
    assert client.post(page + "delete/", {"post": "yes"}).status_code == 302
    assert not RetrainRun.objects.exists()
