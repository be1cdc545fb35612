"""追评 (walk-through, session 25, B-M3): the follow-up page shows what the rectification did, and
once the order closes the citizen who left a number is texted the follow-up link once, by the
worker, recorded on the order's timeline."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client, override_settings

from hotline.orders.models import Action
from hotline.ratings import actions, follow_up_links, links
from hotline.ratings.models import Channel as RatingChannel
from hotline.ratings.models import Level
from hotline.sla import worker
from tests.conftest import at
from tests.ratings.test_rectification import _bad, _close

pytestmark = pytest.mark.django_db


class Outbox:
    sent: list = []

    def send(self, message) -> None:
        self.sent.append(message)


@pytest.fixture(autouse=True)
def _outbox():
    Outbox.sent.clear()
    # The texted link is built on PUBLIC_URL; production mode (the tests') without it texts none
    # (session 27, h6 F2).
    with override_settings(
        NOTIFIERS=["tests.ratings.test_s25_follow_up_link.Outbox"],
        PUBLIC_URL="https://12345.example.gov.cn",
    ):
        yield


def test_the_follow_up_form_shows_the_reply(town):
    ticket, rating = _bad(town)
    _close(rating.order, town)
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert 'data-testid="follow-up-form"' in page
    assert 'data-testid="rectification-reply"' in page
    assert "已对窗口人员进行培训并更新清单" in page
    # Above the form's levels: the citizen reads what was done before rating it.
    assert page.index("已对窗口人员进行培训并更新清单") < page.index('name="level"')


def test_the_worker_texts_the_follow_up_link_once_when_the_order_closes(
    town, django_capture_on_commit_callbacks
):
    ticket, rating = _bad(town)
    order = rating.order
    # Not yet closed: nothing to tell.
    with (
        time_machine.travel(at("2023-03-10 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 0
    assert Outbox.sent == []
    _close(order, town)
    Outbox.sent.clear()
    with (
        time_machine.travel(at("2023-03-13 09:05"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        done = worker.run_once()
    assert done["rating_follow_up_links"] == 1
    (message,) = Outbox.sent
    assert message.recipients_phone == ("13912345678",)
    assert order.number in message.text and ticket.number in message.text
    path = message.text[message.text.index("/ratings/r/") :]
    assert path == f"/ratings/r/{links.sms_token(ticket)}/"
    assert message.secret and message.secret in path
    # Recorded on the order's timeline by the system; a later pass sends nothing more.
    order.refresh_from_db()
    (mark,) = order.events.filter(action=Action.COMMENT)
    assert mark.actor is None and mark.payload == {"follow_up_link": True}
    with (
        time_machine.travel(at("2023-03-13 10:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 0
    assert len(Outbox.sent) == 1
    # The link leads to the follow-up form with the reply, and rates the rectification.
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        page = Client().get(path).content.decode()
        assert "已对窗口人员进行培训并更新清单" in page
        Client().post(path, {"level": "4"})
    rating.refresh_from_db()
    assert rating.follow_up_level == Level.SATISFIED


def test_no_text_without_a_number_or_long_after_closing(town, django_capture_on_commit_callbacks):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        silent = actions.rate(
            ticket,
            None,
            level=Level.VERY_DISSATISFIED,
            channel=RatingChannel.QR,
            reasons=["waiting"],
        )
    _close(silent.order, town)
    with (
        time_machine.travel(at("2023-03-14 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 0
    # Closed more than RATING_LINK_DAYS ago: the follow-up is closed, no link is texted.
    _ticket, late = _bad(town, when="2023-03-09 11:00", rated="2023-03-09 11:02")
    _close(late.order, town)
    with (
        time_machine.travel(at("2023-04-20 09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 0
    assert Outbox.sent == []


def test_the_reply_on_the_follow_up_page_is_masked(town):
    # Review, session 25, L3: the page opens for whoever holds the slip's code, so the unit's
    # reply is masked as Open311 publishes an order's text.
    ticket, rating = _bad(town)
    _close(rating.order, town)
    rating.order.reply_text = "已联系窗口人员，如有问题请拨打13912345678或联系张科长。"
    rating.order.save(update_fields=["reply_text"])
    with time_machine.travel(at("2023-03-14 09:00"), tick=False):
        page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert 'data-testid="rectification-reply"' in page
    assert "13912345678" not in page
    assert "已联系窗口人员" in page


def test_orders_whose_number_is_no_longer_a_mobile_do_not_hold_up_the_batch(
    town, monkeypatch, django_capture_on_commit_callbacks
):
    # Session 26: three rectifications whose order's number was edited to a landline came first
    # in a batch of two on every pass (text_link cannot text them and marks nothing), so the
    # citizen who left a mobile behind them never heard the rectification was done.
    monkeypatch.setattr(follow_up_links, "BATCH", 2)
    landlines = []
    for minute in (10, 20, 30):
        _ticket, rating = _bad(
            town, when=f"2023-03-09 10:{minute}", rated=f"2023-03-09 10:{minute + 2}"
        )
        rating.order.citizen_phone = "021-62345678"
        rating.order.save(update_fields=["citizen_phone"])
        _close(rating.order, town, day="2023-03-12")
        landlines.append(rating.order)
    ticket, waiting = _bad(town, when="2023-03-09 11:00", rated="2023-03-09 11:02")
    _close(waiting.order, town)
    with (
        time_machine.travel(at("2023-03-13 10:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert follow_up_links.step() == 1
    (message,) = Outbox.sent
    assert message.recipients_phone == ("13912345678",)
    assert waiting.order.number in message.text and ticket.number in message.text
    # The landlines are left unmarked: a number corrected to a mobile is still texted.
    for order in landlines:
        assert not order.events.filter(payload__has_key=follow_up_links.MARK).exists()
