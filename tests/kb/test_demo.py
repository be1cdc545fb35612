"""The demo district's knowledge base: about 200 articles in their states, a clean reset."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine

from hotline.kb.models import Article, ArticleState, Revision, SynonymEvent, SynonymGroup
from hotline.kb.upkeep import overdue_reviews
from hotline.org import demo
from tests.conftest import at


@pytest.mark.django_db(transaction=True)
def test_the_demo_loads_the_knowledge_base_and_resets_it():
    with time_machine.travel(at("2027-03-01 10:00"), tick=False):
        demo.load_district()
        states = Counter(Article.objects.values_list("state", flat=True))
        assert 180 <= sum(states.values()) <= 260
        assert states[ArticleState.IN_REVIEW] >= 3 and states[ArticleState.DRAFT] >= 1
        assert Article.objects.filter(public=True, state=ArticleState.PUBLISHED).count() >= 50
        # Dates follow the day the demo is loaded: some are past their review date now.
        assert 3 <= overdue_reviews(None, dt.date(2027, 3, 1)).count() <= 20
        assert all(a.head.categories.exists() for a in Article.objects.select_related("head")[:20])
        # The default synonyms list, each group with its event by the system.
        assert SynonymGroup.objects.count() == SynonymEvent.objects.count() == 70
        demo.reset()
    assert not Article.objects.exists() and not Revision.objects.exists()
    assert not SynonymGroup.objects.exists() and not SynonymEvent.objects.exists()
