"""What citizens told the hotline never answers another citizen's search.

An order answered with an article lends the article its wording, so the next caller who puts the
same trouble in the same words finds it at intake (tests/kb/test_search.py). The portal's search
matched that wording too: a citizen typing someone's mobile number, name or a word only their
complaint held got back the article their call was answered with — that they called, and about
what (security review, session 18). Citizens' searches (the portal's page and its as-you-type
suggestions) now read the articles' own text only; the operators' intake suggestions keep the
orders' wording, and the staff's search and API, which every unit reads, leave it out as well.
"""

from __future__ import annotations

import pytest

from hotline.kb import actions
from hotline.kb.models import UseKind
from hotline.kb.search import index
from tests.kb.factory import published
from tests.orders.factory import new_order

pytestmark = pytest.mark.django_db

SECRETS = ("zxq9173", "13912345678", "欧阳锋")


@pytest.fixture
def answered(district, rita, monkeypatch):
    monkeypatch.setattr(index, "STAMP_CHECK_SECONDS", 0)
    article = published(district.bureau, district.victor, rita)
    order = new_order(
        district,
        title="家里吃不上饭能领补助吗",
        description="失业后吃不上饭，联系人欧阳锋 zxq9173 13912345678",
    )
    actions.record_use(article, district.olga, UseKind.ANSWER, order=order)
    return article


@pytest.mark.parametrize("secret", SECRETS)
def test_the_portal_search_does_not_match_a_callers_words(client, answered, secret):
    page = client.get("/portal/kb/", {"q": secret}).content.decode()
    assert f"/portal/kb/{answered.pk}/" not in page
    assert index.search(secret, public_only=True) == []


@pytest.mark.parametrize("secret", SECRETS)
def test_the_portal_suggestions_do_not_match_a_callers_words(client, answered, secret):
    page = client.get("/portal/kb/suggest", {"description": secret}).content.decode()
    assert f"/portal/kb/{answered.pk}/" not in page


def test_the_staff_search_leaves_the_orders_wording_out_too(answered):
    assert index.search("zxq9173 欧阳锋", public_only=False) == []


def test_the_intake_suggestions_still_learn_the_callers_words(answered):
    found = index.search("吃不上饭 补助", public_only=False, with_orders=True)
    assert [r.article_id for r in found] == [answered.pk]
