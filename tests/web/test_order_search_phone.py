"""Dan looks a caller's orders up by phone number. The number used to travel in the address
(``/orders/?phone=138…``): into the browser's history, the login page's ``next`` after a logout,
the proxy's access log, the pages' links and the export link. Now the search is posted, kept in
Dan's session under a random id, and every address of it carries only that id."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client
from django.urls import reverse

from hotline.security.models import PhoneView, Where
from hotline.web import order_search
from hotline.web.order_search import PAGE_SIZE
from tests.orders.factory import new_order

PHONE = "13812345678"
TYPED = "+86 138 1234 5678"
#: An attribute of the page that names an address.
ADDRESS = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url)="([^"]*)"')


def leaks(text: str) -> bool:
    """Whether ``text`` holds any six digits of the number in a row (typed, encoded or bare)."""
    digits = re.sub(r"\D", "", text.replace("%2B", "").replace("%20", ""))
    bare = re.sub(r"%[0-9A-Fa-f]{2}|\D", "", text)
    return any(PHONE[i : i + 6] in s for i in range(len(PHONE) - 5) for s in (digits, bare))


def addresses(html: str) -> list[str]:
    return ADDRESS.findall(html)


def numbers(html: str) -> list[str]:
    return re.findall(r'data-number="([^"]+)"', html)


def search_by_phone(client: Client, **extra) -> str:
    """Dan's search by the number as the caller says it; the address it lands on."""
    response = client.post(reverse("order_list"), {"phone": TYPED, "sort": "-registered", **extra})
    assert response.status_code == 302
    return response["Location"]


def test_the_number_is_in_no_address_of_the_search_its_pages_or_its_export(client, district):
    mine = [new_order(district) for _ in range(PAGE_SIZE + 2)]
    new_order(district, citizen_phone="13900001111")
    client.force_login(district.dan)

    location = search_by_phone(client)
    assert location.startswith(reverse("order_list") + "?search=") and not leaks(location)

    first = client.get(location).content.decode()
    assert "共 32 件工单" in first and len(numbers(first)) == PAGE_SIZE
    assert addresses(first) and not any(leaks(a) for a in addresses(first))
    # The number is in the form to change it, and nowhere else on the page.
    assert first.count(PHONE) + first.count(TYPED) == 1

    next_page = re.search(r'href="(\?[^"]*page=2)"', first).group(1).replace("&amp;", "&")
    second = client.get(reverse("order_list") + next_page).content.decode()
    assert set(numbers(first) + numbers(second)) == {o.number for o in mine}
    assert not any(leaks(a) for a in addresses(second))

    # htmx as the number is typed: the table, and the address pushed, carry the id only.
    partial = client.post(reverse("order_list"), {"phone": TYPED}, HTTP_HX_REQUEST="true")
    assert "?search=" in partial["HX-Push-Url"] and not leaks(partial["HX-Push-Url"])
    assert not any(leaks(a) for a in addresses(partial.content.decode()))
    assert len(numbers(partial.content.decode())) == PAGE_SIZE


def test_the_export_of_the_kept_search_has_the_same_rows_and_is_recorded(client, district):
    mine = [new_order(district) for _ in range(3)]
    new_order(district, citizen_phone="13900001111")
    client.force_login(district.dan)
    html = client.get(search_by_phone(client)).content.decode()
    export = re.search(r'href="([^"]*)" data-testid="export-csv"', html).group(1)
    export = export.replace("&amp;", "&")
    assert not leaks(export)

    response = client.get(export)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == numbers(html) and set(numbers(html)) == {
        o.number for o in mine
    }
    assert all(PHONE in r for r in rows[1:])  # the dispatcher's export: numbers whole
    record = PhoneView.objects.get(user=district.dan, where=Where.EXPORT)
    assert "3 rows" in record.detail


def test_a_number_in_the_address_is_not_searched(client, district):
    """An old bookmark, or a link someone sent: the form, a note, and no search. The address
    (and the language switch's ``next`` on the page) loses the number."""
    order = new_order(district)
    client.force_login(district.dan)
    for url in (
        reverse("order_list") + f"?phone={PHONE}&state=registered",
        reverse("order_export") + f"?phone={PHONE}&format=csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and not leaks(response["Location"])
        html = client.get(response["Location"]).content.decode()
        assert order.number not in html and PHONE not in html
        assert "按电话号码查询不能通过链接进行" in html and 'name="phone"' in html
    assert not PhoneView.objects.exists()

    # Signed out, the login page's next= does not keep it either.
    client.logout()
    response = client.get(reverse("order_list") + f"?phone={PHONE}", follow=True)
    assert response.redirect_chain and not any(leaks(url) for url, _ in response.redirect_chain)


def test_another_session_cannot_use_the_id(client, district):
    order = new_order(district)
    client.force_login(district.dan)
    location = search_by_phone(client)
    assert order.number in client.get(location).content.decode()

    elsewhere = Client()
    elsewhere.force_login(district.dan)  # Dan himself, signed in on another desk
    for url in (location, reverse("order_export") + location[location.index("?") :]):
        response = elsewhere.get(url)
        assert response.status_code in (200, 400) and order.number not in response.content.decode()
        assert "该查询已过期或属于另一次登录" in response.content.decode()

    english = elsewhere.get(location, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This search has expired or was made in another sign-in: search again." in english

    # A logout ends the session's searches.
    client.logout()
    client.force_login(district.dan)
    assert order.number not in client.get(location).content.decode()


def test_a_search_without_a_number_stays_a_link(client, district):
    client.force_login(district.dan)
    response = client.post(reverse("order_list"), {"q": "", "state": "registered", "phone": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("order_list") + "?state=registered"


def test_the_session_keeps_a_bounded_number_of_searches(client, district):
    client.force_login(district.dan)
    first = search_by_phone(client)
    assert search_by_phone(client) == first  # the same search keeps its id
    for n in range(order_search.KEPT_SEARCHES):
        search_by_phone(client, q=f"第{n}次")
    assert len(client.session["order_searches"]) == order_search.KEPT_SEARCHES
    assert "该查询已过期" in client.get(first).content.decode()


def test_a_unit_still_finds_nothing_by_phone(client, district):
    order = new_order(district)
    client.force_login(district.una)
    html = client.get(client.post(reverse("order_list"), {"phone": PHONE})["Location"])
    assert order.number not in html.content.decode()
