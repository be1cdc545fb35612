"""Lists inside a sentence use each language's separator: a draw filtered on two states reads
已归档、审核通过 in zh-Hans and "Closed, Reply approved" in English (it read
Closed、Reply approved). The refused form's "what you typed" and the report's note on idle
units join their lists the same way."""

from __future__ import annotations

from django.utils import translation

from hotline.orders.models import State
from hotline.web.sampling import describe_filters

FILTERS = {"states": [State.CLOSED, State.REVIEWED]}


def test_a_draws_states_are_listed_in_each_language():
    with translation.override("zh-hans"):
        assert dict(describe_filters(FILTERS))["状态"] == "已归档、审核通过"
    with translation.override("en"):
        assert dict(describe_filters(FILTERS))["States"] == "Closed, Reply approved"
