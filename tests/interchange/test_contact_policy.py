"""One contact-details policy for the API and exports (issue 13, items 10 and 11).

Dan (dispatcher) sees the caller whole. Una (the unit) and Leo (leader) see the name and a masked
phone but never the e-mail; of an anonymous caller they see nothing — in the API and in an export
alike (the API showed the e-mail, the export showed an anonymous caller's masked phone).
"""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.orders import actions
from hotline.org.models import ApiToken
from tests.interchange.conftest import read_xlsx, run
from tests.orders.factory import new_order

EMAIL = "zhang.san@example.com"
PHONE = "13812345678"


def at_the_street(district, **fields):
    order = new_order(district, citizen_email=EMAIL, citizen_phone=PHONE, **fields)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    return order


def api_view(user, order) -> dict:
    _token, raw = ApiToken.issue(user, name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client.get(f"/api/v1/orders/{order.number}").json()


def export_view(username: str, tmp_path) -> dict:
    out = tmp_path / f"orders-{username}.xlsx"
    run("export_data", "orders", "--out", str(out), "--user", username)
    header, row = read_xlsx(out)[:2]
    return dict(zip(header, row, strict=False))


@pytest.mark.parametrize("who", ["una", "leo"])
def test_units_and_leaders_never_see_the_email(district, tmp_path, who):
    order = at_the_street(district)
    api = api_view(getattr(district, who), order)
    exported = export_view(who, tmp_path)

    assert (api["citizen_name"], api["citizen_phone"], api["citizen_email"]) == (
        "张先生",
        "*******5678",
        "",
    )
    assert (exported["citizen_name"], exported["citizen_phone"]) == ("张先生", "*******5678")
    assert not exported["citizen_email"]


@pytest.mark.parametrize("who", ["una", "leo"])
def test_of_an_anonymous_caller_nothing_is_shown_anywhere(district, tmp_path, who):
    order = at_the_street(district, anonymous=True)
    api = api_view(getattr(district, who), order)
    exported = export_view(who, tmp_path)

    assert (api["citizen_phone"], api["citizen_email"]) == ("", "")
    assert "张" not in api["citizen_name"]
    assert not exported["citizen_name"] and not exported["citizen_phone"]
    assert not exported["citizen_email"]


def test_dan_sees_the_caller_whole_in_both(district, tmp_path):
    order = at_the_street(district, anonymous=True)
    api = api_view(district.dan, order)
    exported = export_view("dan", tmp_path)

    assert (api["citizen_phone"], api["citizen_email"]) == (PHONE, EMAIL)
    assert (exported["citizen_phone"], exported["citizen_email"]) == (PHONE, EMAIL)
