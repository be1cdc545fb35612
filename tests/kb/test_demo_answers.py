"""The leader's dashboard read 0 % of consultations answered with a knowledge-base article in the
demo: the demo loaded its articles after its three months of orders (and dated them today), so no
answer in the history could cite one. The articles now load first, each published on the day its
policy took effect, and the demo's operator answers from the intake's suggestions as she would:
an article of the order's category, published by the time of the answer."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.kb.assist import answered_with_article_share
from hotline.kb.models import Article, ArticleUse, Revision, UseKind
from hotline.orders.models import Action, Event, Kind
from hotline.org import demo
from tests.conftest import at


@pytest.fixture
def loaded(db, settings):
    settings.DEMO_ORDERS = 300  # through the load hooks, in their order
    with time_machine.travel(at("2027-03-01 10:00"), tick=False):
        demo.load_district()
    return at("2027-03-01 10:00")


def test_the_demo_s_consultations_are_answered_from_articles(loaded):
    start = loaded - dt.timedelta(days=91)
    figure = answered_with_article_share(start, loaded)  # what the leader's dashboard shows
    assert figure["consultations"] >= 40
    assert 0.3 <= figure["share"] <= 0.8
    assert figure["with_article"] <= figure["answered"]


def test_an_answer_cites_an_article_published_before_it(loaded):
    answers = Event.objects.filter(action=Action.ANSWER, payload__has_key="kb_article")
    assert answers.exists()
    # Questions only: a praise answered at intake is answered in the operator's own words.
    assert set(answers.values_list("order__kind", flat=True)) == {Kind.CONSULTATION}
    published = dict(Revision.objects.values_list("pk", "at"))
    for event in answers:
        revision = event.payload["kb_revision"]
        assert published[revision] <= event.at
        assert Revision.objects.get(pk=revision).article_id == event.payload["kb_article"]
    # The use is recorded as the intake page records it (the search learns from it).
    uses = ArticleUse.objects.filter(kind=UseKind.ANSWER)
    assert uses.count() == answers.count()
    assert set(uses.values_list("order_id", flat=True)) == set(
        answers.values_list("order_id", flat=True)
    )


def test_the_articles_were_published_over_the_years_before(loaded):
    published = Article.objects.filter(published__isnull=False)
    dates = sorted(published.values_list("published__at", flat=True))
    assert dates[0] < loaded - dt.timedelta(days=365)
    assert dates[-1] < loaded
    # A few took effect during the orders' three months: answered only after they existed.
    assert published.filter(published__at__gte=loaded - dt.timedelta(days=91)).count() >= 1
