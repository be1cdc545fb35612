"""The lead unit's handler is offered the sub-units the model thinks the order belongs to."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel
from hotline.orders import actions
from hotline.org.models import Role
from tests.conftest import make_user
from tests.dispatch.history import register

WAGES = "公司拖欠工资，已经三个月没发了，要求给个说法。"  # b4, under 西街道


def test_the_street_is_offered_its_own_neighbourhood_committees(district, tree, tree_model):
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=tree["west"])

    found = services.suggest_inside(order)

    assert found[0][0].code == "b4"
    assert {unit.code for unit, _p in found} <= {"b3", "b4", "b5"}
    assert all(0.0 < p <= 1.0 for _u, p in found)
    assert [p for _u, p in found] == sorted((p for _u, p in found), reverse=True)
    # Shares of the street's probability: the best is far more likely than any other.
    assert found[0][1] > 0.5


def test_a_unit_without_sub_units_gets_no_suggestions(district, tree, tree_model):
    # A first-level unit with nothing below it (区民政局). The centre no longer makes a 居委会
    # the lead unit: naming b4 dispatches to 西街道 and assigns b4 (issue 16 item 1).
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=district.bureau)
    assert services.suggest_inside(order) == []


def test_an_undispatched_order_gets_no_suggestions(district, tree, tree_model):
    assert services.suggest_inside(register(district, WAGES)) == []


@pytest.mark.parametrize("k", [1, 2])
def test_at_most_k_suggestions(district, tree, tree_model, k):
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=tree["west"])
    assert len(services.suggest_inside(order, k=k)) <= k


def test_without_an_active_model_nothing_is_suggested(district, tree, tree_model):
    DispatchModel.objects.update(active=False)
    cache.clear()  # the "which model is active" answer is cached
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=tree["west"])
    assert services.suggest_inside(order) == []


def test_inactive_sub_units_are_not_offered(district, tree, tree_model):
    tree["b4"].active = False
    tree["b4"].save(update_fields=["active"])
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=tree["west"])
    assert "b4" not in {unit.code for unit, _p in services.suggest_inside(order)}


def test_the_order_page_names_the_figure_as_the_models_in_each_language(
    client, district, tree, tree_model
):
    # The sub-unit suggestions read '建议：b4居委会 (97%)' with ASCII brackets in the Chinese page
    # and 'Suggested：' with the Chinese colon in the English one; the dispatch suggestions read
    # '（模型 97%）' and 'Suggested units: … (model 97%)'.
    wes = make_user("wes", tree["west"], Role.UNIT_HANDLER)
    order = register(district, WAGES)
    actions.dispatch(order, district.dan, lead_unit=tree["west"])
    client.force_login(wes)
    url = reverse("order_detail", args=[order.number])
    name = tree["b4"].name
    zh = client.get(url).content.decode()
    line = re.search(r'data-testid="inside-suggestions">(.*?)</p>', zh, re.S)
    assert line and line.group(1).startswith("建议：")
    found = re.search(r'data-testid="inside-suggestion" data-unit="b4"[^>]*>([^<]+)</button>', zh)
    assert found and re.fullmatch(rf"{name}（模型 \d+%）", found.group(1))
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    line = re.search(r'data-testid="inside-suggestions">(.*?)</p>', en, re.S)
    assert line and line.group(1).startswith("Suggested units: ") and "：" not in line.group(1)
    assert re.search(rf'data-unit="b4"[^>]*>{name} \(model \d+%\)</button>', en)
