"""The text near the front comes in the language the citizen took the ticket in (session 30).

Thursday 2023-03-09 at 大宁路's hall, 居住证 at window 2 (Walt). Mary takes her ticket at the
kiosk with its page in English and asks to be texted; 张三 takes his in Chinese. The text went
out in the language of whichever page sent it — the clerk's desk whose call brought the ticket
near, or the kiosk's — so Mary's came in Chinese from Walt's desk, and 张三's in English when the
clerk's page was in English. Each ticket now keeps the language its number was given in, for as
long as it keeps the number, and is texted in it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.test import TestCase, override_settings
from django.utils import translation

from hotline.hall import actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Source, Ticket
from tests.hall.booking_by_code import OUTBOX, Outbox, book

pytestmark = pytest.mark.django_db

MARY = "13900002222"
ZHANGSAN = "13912345678"
HALL = "大宁路街道社区事务受理服务中心"


def near_front_texts() -> list[str]:
    return [m.text for m in Outbox.sent if m.action == "hall_near_front"]


@contextlib.contextmanager
def sending() -> Iterator[None]:
    """The texts sent (to the test notifier) once what runs inside commits."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        yield


def at_the_kiosk(client, town, phone: str, language: str) -> Ticket:
    """A 居住证 ticket taken at the kiosk, its page in ``language``, asking to be texted."""
    posted = {"matter": town.residence.pk, "phone": phone, "sms": "on"}
    answer = client.post(f"/hall/{town.hall.code}/kiosk/", posted, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 302, answer.content.decode()
    return Ticket.objects.get(holder_key=holder_key(phone=phone))


@pytest.fixture
def walts_window(town):
    """Walt serves 居住证 at window 2; three tickets wait before anyone asks for a text."""
    town.hall.sms_position = 1
    town.hall.save(update_fields=["sms_position"])
    actions.sign_in(town.w2, town.walt)
    for _ in range(3):
        actions.issue(town.hall, town.residence)
    return town


def walt_calls_twice(town, desk_language: str) -> None:
    """Walt, his desk in ``desk_language``, serves the first waiting ticket and calls the
    next: one ticket is then ahead of the fourth. The texts his calls send go out in his
    request, after its commit, while his desk's language is active."""
    with translation.override(desk_language), sending():
        first = actions.call_next(town.w2, town.walt)
        actions.start(first, town.walt)
        actions.finish(first, town.walt)
        actions.call_next(town.w2, town.walt)


def test_marys_english_kiosk_ticket_is_texted_in_english_from_walts_chinese_desk(
    client, walts_window
):
    town = walts_window
    with sending():
        mary = at_the_kiosk(client, town, MARY, "en")
    assert (mary.sms_phone, mary.sms_language) == (MARY, "en")
    assert near_front_texts() == []  # three ahead: not yet
    walt_calls_twice(town, "zh-hans")
    assert near_front_texts() == [
        f"{HALL}: 1 person is ahead of your ticket {mary.number}. Please watch for your call."
    ]
    # The language goes with the number: both erased once the text is sent.
    stored = Ticket.objects.get(pk=mary.pk)
    assert (stored.sms_sent, stored.sms_phone, stored.sms_language) == (True, "", "")


def test_zhangsans_chinese_kiosk_ticket_stays_chinese_from_an_english_desk(client, walts_window):
    town = walts_window
    with sending():
        zhangsan = at_the_kiosk(client, town, ZHANGSAN, "zh-hans")
    assert zhangsan.sms_language == "zh-hans"
    walt_calls_twice(town, "en")
    assert near_front_texts() == [f"{HALL}：您的{zhangsan.number}号前面还有1人，请留意叫号。"]


def test_a_ticket_given_at_the_front_says_nobody_is_ahead(client, town):
    actions.sign_in(town.w2, town.walt)
    with sending():
        mary = at_the_kiosk(client, town, MARY, "en")
    assert near_front_texts() == [
        f"{HALL}: nobody is ahead of your ticket {mary.number}. Please watch for your call."
    ]


def test_marys_english_ticket_taken_online_is_texted_in_english(client, town):
    town.residence.remote_ticket_allowed = True
    town.residence.save(update_fields=["remote_ticket_allowed"])
    actions.sign_in(town.w2, town.walt)
    form = {"matter": town.residence.pk, "phone": MARY, "name": "Mary"}
    with sending():
        answer = book(client, "/hall/dnl/today/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 302
    mary = Ticket.objects.get(source=Source.PORTAL)
    assert near_front_texts() == [
        f"{HALL}: nobody is ahead of your ticket {mary.number}. Please watch for your call."
    ]


def test_a_ticket_without_a_known_language_is_texted_in_chinese(walts_window):
    """Given before the language was kept (none stored), or in one no longer offered."""
    town = walts_window
    older = actions.issue(
        town.hall, town.residence,
        holder_key=holder_key(phone=ZHANGSAN), sms_phone=ZHANGSAN,
    )  # fmt: skip
    assert Ticket.objects.get(pk=older.pk).sms_language == "zh-hans"
    Ticket.objects.filter(pk=older.pk).update(sms_language="fr")
    walt_calls_twice(town, "en")
    assert near_front_texts() == [f"{HALL}：您的{older.number}号前面还有1人，请留意叫号。"]


def test_a_ticket_without_a_number_keeps_no_language(client, town):
    answer = client.post(
        f"/hall/{town.hall.code}/kiosk/", {"matter": town.residence.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 302
    assert Ticket.objects.get().sms_language == ""
