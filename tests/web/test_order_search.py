"""The order search people use every day: the filters, a total, sorting, links that keep the
search, and the export under the same masking as every other export."""

from __future__ import annotations

import csv
import io

import time_machine
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from hotline.org.models import Category
from hotline.security.models import PhoneView
from tests.conftest import at
from tests.orders.factory import new_order, order_in
from tests.web.test_order_pages import page


def found(client, user, query: str) -> str:
    return page(client, user, reverse("order_list") + "?" + query).content.decode()


def searched(client, user, **criteria) -> str:
    """The search form posted (a search by phone is: tests/web/test_order_search_phone.py)."""
    client.force_login(user)
    return client.post(reverse("order_list"), criteria, follow=True).content.decode()


def test_dan_finds_a_callers_orders_by_the_number_as_typed(client, district):
    order = new_order(district)
    other = new_order(district, citizen_phone="13900001111")
    html = searched(client, district.dan, phone="+86 138 1234 5678")
    assert order.number in html and other.number not in html
    assert 'data-testid="total"' in html and "共 1 件工单" in html
    assert PhoneView.objects.filter(order=order, user=district.dan, where="order_search").exists()


def test_units_cannot_look_orders_up_by_phone(client, district):
    order = order_in(State.DISPATCHED, district)
    html = searched(client, district.una, phone="13812345678")
    assert order.number not in html and 'name="phone"' not in html


def test_registration_dates_are_whole_local_days(client, district):
    with time_machine.travel(at("2023-03-08 23:30"), tick=False):
        before = new_order(district, title="三月八日的单")
    with time_machine.travel(at("2023-03-09 00:10"), tick=False):
        first = new_order(district)
    with time_machine.travel(at("2023-03-10 23:59"), tick=False):
        last = new_order(district)
    html = found(client, district.dan, "registered_from=2023-03-09&registered_to=2023-03-10")
    assert first.number in html and last.number in html and before.number not in html


def test_a_lead_unit_finds_its_sub_units_orders_and_a_category_its_children(client, district):
    at_street = order_in(State.DISPATCHED, district)
    below = new_order(district)
    actions.dispatch(below, district.dan, lead_unit=district.neighbourhood)
    elsewhere = new_order(district, category=None)
    actions.dispatch(elsewhere, district.dan, lead_unit=district.bureau)
    html = found(client, district.dan, f"unit={district.street.pk}")
    assert at_street.number in html and below.number in html and elsewhere.number not in html
    top = Category.objects.get(code="cxjs")
    html = found(client, district.dan, f"category={top.pk}")
    assert at_street.number in html and elsewhere.number not in html


def test_filters_combine_and_bad_values_are_ignored_not_fatal(client, district):
    urgent = new_order(district, urgency="urgent", kind="complaint", channel="web")
    normal = new_order(district)
    html = found(client, district.dan, "urgency=urgent&kind=complaint&channel=web")
    assert urgent.number in html and normal.number not in html
    html = found(client, district.dan, "registered_from=yesterday&state=registered&sort=evil")
    assert urgent.number in html and normal.number in html
    assert found(client, district.dan, f"number={normal.number[:11]}").count("data-number=") == 2


def test_sorting_and_the_links_keep_the_filters(client, district):
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        older = new_order(district)
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        newer = new_order(district)
    html = found(client, district.dan, "state=registered&sort=registered")
    assert html.index(older.number) < html.index(newer.number)
    assert "state=registered&amp;sort=-registered" in html  # the header flips the order
    assert "state=registered" in html.split('data-testid="export-xlsx"')[0].rsplit("href=", 1)[1]


def test_satisfaction_overdue_and_supervised(client, district):
    closed = order_in(State.CLOSED, district)
    supervised = order_in(State.ACCEPTED, district)
    actions.supervise(supervised, district.sam, working_days=2)
    assert closed.number in found(client, district.dan, "satisfaction=satisfied")
    html = found(client, district.dan, "supervised=on")
    assert supervised.number in html and closed.number not in html
    assert supervised.number not in found(client, district.dan, "overdue=1")


def test_the_export_carries_the_search_with_phones_as_each_person_may_see_them(client, district):
    order = order_in(State.DISPATCHED, district)
    other = new_order(district, title="噪音扰民", description="楼下工地夜间施工。")
    client.force_login(district.dan)
    response = client.get(reverse("order_export") + "?format=csv&q=路灯")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] != "Number"  # headers in the reader's language
    assert [r[0] for r in rows[1:]] == [order.number]
    assert "13812345678" in rows[1] and other.number not in response.content.decode("utf-8-sig")
    assert PhoneView.objects.filter(user=district.dan, where="export").exists()

    client.force_login(district.una)
    response = client.get(reverse("order_export") + "?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [r[0] for r in values[1:]] == [order.number]  # only what Una may see
    assert order.masked_phone() in values[1] and "13812345678" not in values[1]


def test_the_search_page_costs_a_fixed_number_of_queries(
    client, district, django_assert_max_num_queries
):
    for _ in range(5):
        order_in(State.DISPATCHED, district)
    client.force_login(district.dan)
    client.get(reverse("order_list"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("order_list") + f"?unit={district.street.pk}&sort=unit")
    assert response.content.decode().count("data-number=") == 5


def test_the_address_bar_keeps_only_the_filters_in_use(client, district):
    client.force_login(district.dan)
    response = client.get(
        reverse("order_list") + "?q=&phone=&state=registered&sort=-registered&unit=",
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Push-Url"] == reverse("order_list") + "?state=registered&sort=-registered"


def _offered(html: str, name: str) -> set[str]:
    """The units (not "any") the filter ``name`` offers on the search page."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return {
        label.strip("　 \n")
        for label in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select.group(1))
    }


def test_a_neighbourhood_s_unit_filter_offers_only_the_units_it_sees(client, district):
    """Nina's 居委会 sees its own orders: the filters do not list the district's units."""
    nina = found(client, district.nina, "")
    assert _offered(nina, "unit") == {district.neighbourhood.name}
    assert _offered(nina, "street") == set()
    una = found(client, district.una, "")
    assert _offered(una, "unit") == {district.street.name, district.neighbourhood.name}
    assert _offered(una, "street") == {district.street.name}
    dan = found(client, district.dan, "")
    assert {district.bureau.name, district.street.name} <= _offered(dan, "unit")


def test_a_neighbourhood_cannot_filter_by_a_unit_outside_its_scope(client, district):
    """A unit it may not see, typed into the address, is ignored (the search is not narrowed to
    nothing, and nothing of that unit is found)."""
    mine = new_order(district)
    actions.dispatch(mine, district.dan, lead_unit=district.neighbourhood)
    html = found(client, district.nina, f"unit={district.bureau.pk}")
    assert mine.number in html
