"""The citizen's "my place" page once the window finished (walk-through, session 25).

B-M1: it said "已办结" (concluded) while a case of the visit waited for 补正 — the word the
desk's Finish button and a case's conclusion use too. The ticket's state reads "服务已结束", the
desk's button "结束服务", and the page lists the visit's cases with their state (numbers and
matter names only: the page is the token's). An assistance's outcome keeps "已办结".
B-M4: where the clerk who served the visit printed its slip, the page's "评价本次服务" led to a
page refusing it: the page says so instead of offering the link.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from hotline.assistance.models import Outcome
from hotline.cases import actions
from hotline.cases.models import LineState
from hotline.hall import actions as hall
from hotline.hall.models import Source
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _place(ticket, **language) -> str:
    with time_machine.travel(at("2025-03-04 10:30"), tick=False):
        got = Client().get(f"/hall/place/{ticket.token}/", **language)
    assert got.status_code == 200
    return got.content.decode()


def _state(page: str) -> str:
    found = re.search(r'data-testid="place-state"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def test_a_bundle_served_with_one_case_in_correction_says_so(ct):
    wendy = ct.town.wendy
    ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"), holder_name="李四")
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
        charter, change, renewal = actions.serve_as_bundle(first.submission, ct.bundle, wendy)
        entries = {
            line.pk: actions.Received(
                LineState.MISSING if line.name == "变更登记申请表" else LineState.RECEIVED,
                line.form,
                line.copies,
            )
            for line in first.submission.lines.all()
        }
        actions.receive(first.submission, wendy, entries)
        actions.request_correction(first.submission, wendy)
        actions.accept(charter, wendy)
        actions.accept(renewal, wendy)
        desk = logged_in(wendy).get(f"/hall/{ct.town.hall.code}/desk/").content.decode()
        hall.finish(ticket, wendy)
    assert re.search(r'data-action="finish"[^>]*>结束服务<', desk)
    page = _place(ticket)
    assert "服务已结束" in _state(page) and "已办结" not in page
    cases = re.search(r'data-testid="place-cases".*?</ul>', page, re.S)
    assert cases is not None
    listed = cases.group(0)
    assert f"{change.number} · 社会团体变更登记" in listed
    assert re.search(r'data-state="correction">.*?待补正.*?补正材料告知书', listed, re.S)
    assert listed.count('data-state="accepted"') == 2 and "已受理" in listed
    assert "李四" not in page  # numbers and matter names only
    english = _place(ticket, **EN)
    assert "Awaiting corrected materials" in english and "Done" in _state(english)
    # The assistance's outcome keeps its words.
    from django.utils import translation

    with translation.override("zh-hans"):
        assert str(Outcome.DONE.label) == "已办结"


def test_a_slip_printed_by_the_serving_clerk_offers_no_dead_rating_link(ct):
    wendy = ct.town.wendy
    with time_machine.travel(at("2025-03-04 10:00"), tick=False):
        ticket = hall.issue(ct.town.hall, ct.residence, source=Source.RECEPTION, actor=wendy)
        hall.sign_in(ct.town.w1, wendy)
        ct.town.w1.refresh_from_db()
        hall.call_ticket(ct.town.w1, wendy, ticket, reason="测试")
        hall.start(ticket, wendy)
        hall.finish(ticket, wendy)
    page = _place(ticket)
    assert 'data-testid="rate-visit"' not in page
    assert 'data-testid="place-slip-by-server"' in page and "不能通过其二维码" in page
    # A kiosk slip is rated through the page as before.
    other, _case = serve(ct, ct.residence, at("2025-03-04 10:10"))
    hall.finish(other, wendy)
    page = _place(other)
    assert 'data-testid="rate-visit"' in page and "place-slip-by-server" not in page
