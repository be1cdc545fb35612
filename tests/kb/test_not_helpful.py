"""'This did not help': the portal's submit form showed articles, the citizen sent the request
anyway. Each shown article records a not-helpful use (once a day per address, like a click), and
the staff see it among the article's use figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from hotline import clock
from hotline.kb import actions
from hotline.kb.models import ArticleUse, UseKind
from hotline.orders.models import WorkOrder
from tests.kb.factory import content, published


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def low_income(district, rita):
    return published(district.bureau, district.victor, rita)


def send(client: Client, district, shown, **extra):
    data = {
        "category": district.category.pk,
        "description": "申请低保需要什么条件，家里收入不高。",
        "address": "静安区江宁路 500 号",
        "phone": "13601234567",
        "kb_shown": [str(pk) for pk in shown],
    }
    response = client.post("/portal/submit/", data, **extra)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_the_suggestions_name_the_articles_they_show(client, district, low_income):
    box = client.get("/portal/kb/suggest", {"title": "申请低保", "description": "条件"})
    assert f'name="kb_shown" value="{low_income.pk}"' in box.content.decode()


def test_sending_the_request_after_the_suggestions_records_each_as_not_helpful(
    client, district, rita, low_income
):
    internal = published(district.bureau, district.victor, rita, title="低保内部口径", public=False)
    draft = actions.create(district.victor, content(district.bureau, title="低保草稿"))
    send(client, district, [low_income.pk, internal.pk, draft.pk, "x", "²"])
    uses = ArticleUse.objects.filter(kind=UseKind.NOT_HELPFUL)
    # Only what a citizen could have been shown: the public published article.
    assert [(u.article_id, u.order_id, u.user_id) for u in uses] == [
        (low_income.pk, WorkOrder.objects.get().pk, None)
    ]


def test_not_helpful_counts_once_a_day_per_address_and_article(client, district, low_income):
    for _ in range(3):
        send(client, district, [low_income.pk, low_income.pk])
    uses = ArticleUse.objects.filter(article=low_income, kind=UseKind.NOT_HELPFUL)
    assert WorkOrder.objects.count() == 3 and uses.count() == 1
    send(client, district, [low_income.pk], REMOTE_ADDR="10.0.0.7")  # another citizen
    assert uses.count() == 2
    with time_machine.travel(clock.now() + dt.timedelta(days=1, minutes=1), tick=False):
        send(client, district, [low_income.pk])
    assert uses.count() == 3


def test_a_request_without_suggestions_records_nothing(client, district, low_income):
    send(client, district, [])
    assert not ArticleUse.objects.filter(kind=UseKind.NOT_HELPFUL).exists()


def test_the_article_page_shows_its_use_figures(client, district, low_income):
    send(client, district, [low_income.pk])
    client.get(f"/portal/kb/{low_income.pk}/", {"q": "低保"})
    client.force_login(district.victor)
    page = client.get(f"/kb/{low_income.pk}/").content.decode()
    assert 'data-testid="kb-uses"' in page
    assert 'data-testid="kb-uses-not_helpful">1<' in page
    assert 'data-testid="kb-uses-click">1<' in page


def test_the_article_pages_did_not_help_link_carries_the_article_to_the_form(
    client, district, low_income
):
    article_page = client.get(f"/portal/kb/{low_income.pk}/").content.decode()
    link = f'href="/portal/submit/?kb={low_income.pk}"'
    assert link in article_page
    form = client.get("/portal/submit/", {"kb": low_income.pk}).content.decode()
    assert f'name="kb_shown" value="{low_income.pk}"' in form
    # Sent from there (the form posts to its own address), the article did not help.
    data = {
        "category": district.category.pk,
        "description": "看了说明还是不清楚，想请工作人员联系我。",
        "address": "静安区江宁路 500 号",
        "phone": "13601234567",
        "kb_shown": str(low_income.pk),
    }
    assert client.post(f"/portal/submit/?kb={low_income.pk}", data).status_code == 302
    use = ArticleUse.objects.get(kind=UseKind.NOT_HELPFUL)
    assert use.article == low_income


def test_junk_in_the_forms_article_parameter_is_harmless(client, district):
    form = client.get("/portal/submit/", {"kb": '"><script>alert(1)</script>'})
    assert form.status_code == 200 and "<script>alert(1)" not in form.content.decode()
