"""The order page's possible duplicates each carry a button that opens the merge dialog with
that order's number filled in: merging no longer means retyping the number the hint shows
(h5, session 23, M2)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from hotline.dispatch import duplicates
from hotline.orders import actions
from hotline.orders.models import State, WorkOrder
from tests.orders.factory import new_order


@pytest.fixture(autouse=True)
def _fresh_features():
    duplicates.invalidate()
    yield
    duplicates.invalidate()


def _merge_dialog(html: str) -> str:
    found = re.search(r'<details[^>]*data-action="merge"[^>]*>.*?</details>', html, re.S)
    assert found, "no merge dialog"
    return found.group(0)


def test_each_possible_duplicate_opens_the_merge_dialog_with_its_number(district):
    first = new_order(district, street=district.street)
    second = new_order(district, street=district.street)
    dan = Client(HTTP_ACCEPT_LANGUAGE="en")
    dan.force_login(district.dan)
    page = dan.get(reverse("order_detail", args=[second.number])).content.decode()
    button = re.search(r'<a [^>]*data-testid="merge-into"[^>]*>', page)
    assert button, "no merge button beside the possible duplicate"
    href = re.search(r'href="([^"]+)"', button.group(0)).group(1).replace("&amp;", "&")
    assert href.startswith(reverse("order_detail", args=[second.number]) + "?")
    # The dialog is closed until the button is used, and its box empty.
    assert " open" not in _merge_dialog(page).split(">", 1)[0]

    opened = dan.get(href).content.decode()
    dialog = _merge_dialog(opened)
    assert " open" in dialog.split(">", 1)[0]
    assert f'name="parent" value="{first.number}"' in dialog
    assert 'id="action-merge"' in dialog  # the button's #anchor scrolls to it

    # One click more and the order is merged into the one the hint named.
    response = dan.post(
        reverse("order_act", args=[second.number, "merge"]),
        {"parent": first.number, "version": second.version},
    )
    assert response.status_code in (200, 302)
    second.refresh_from_db()
    assert (second.state, second.parent_id) == (State.MERGED, first.pk)


def test_no_button_for_those_who_may_not_merge(district):
    new_order(district, street=district.street)
    second = new_order(district, street=district.street)
    actions.dispatch(second, district.dan, lead_unit=district.street)
    una = Client()
    una.force_login(district.una)
    response = una.get(reverse("order_detail", args=[second.number]) + "?merge=x")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="merge-into"' not in page
    assert 'data-action="merge"' not in page
    assert WorkOrder.objects.get(pk=second.pk).state == State.DISPATCHED
