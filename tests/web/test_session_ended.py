"""Una's session ends while her pages are open (she logged out in another tab, or it expired
overnight). The next htmx request — the desk's poll, a dialog she sends — took the login page
inside the page: a second header and login form in place of the order panel, under a header
still showing her name, and its "next" was the action's URL. Now the whole page goes to the
login page, which returns her to the page she was on."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse

from hotline.orders.models import State
from tests.orders.factory import order_in

HTMX = {"HTTP_HX_REQUEST": "true"}


def _login_for(path: str) -> str:
    return f"{reverse('login')}?next={quote(path)}"


def test_the_desks_poll_sends_the_whole_page_to_the_login(client, district):
    desk = "/desk/unit/?tab=handling"
    poll = client.get(
        "/desk/unit/?tab=handling&since=2023-03-09T10:00:00",
        HTTP_HX_CURRENT_URL=f"http://testserver{desk}",
        **HTMX,
    )
    assert poll.status_code == 200
    assert poll["HX-Redirect"] == _login_for(desk)
    assert b"password" not in poll.content


def test_an_action_sent_after_the_session_ended_sends_the_page_to_the_login(client, district):
    order = order_in(State.ACCEPTED, district)
    page = reverse("order_detail", args=[order.number])
    sent = client.post(
        reverse("order_act", args=[order.number, "first_contact"]),
        {"way": "phone", "version": order.version},
        HTTP_HX_CURRENT_URL=f"http://testserver{page}",
        **HTMX,
    )
    assert sent["HX-Redirect"] == _login_for(page)
    order.refresh_from_db()
    assert order.first_contact_at is None


def test_a_plain_page_still_redirects_to_the_login(client, district):
    response = client.get("/desk/unit/")
    assert response.status_code == 302
    assert response["Location"] == _login_for("/desk/unit/")
