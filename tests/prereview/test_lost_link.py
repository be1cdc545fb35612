"""Chen Li lost the text message with her pre-review's link. The number and her mobile on
/portal/prereview/ text the link to her mobile again; they never open the page (attack finding,
session 21: numbers count up by one per hall and year and a mobile is known to others, so the
old redirect to the status page gave a stranger her ID scans and her withdraw button). Mallory,
who knows Chen's number, gets the same answer whether or not her pair matched, and cannot flood
Chen's phone: the texts are capped per mobile and per pre-review within a day."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client, TestCase, override_settings

from hotline.prereview import actions
from hotline.prereview.models import PreReviewState
from tests.conftest import at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.prereview.conftest import CHEN_PHONE

pytestmark = pytest.mark.django_db

START = "/portal/prereview/"


def ask(client: Client, number: str, phone: str):
    """Post the look-up; returns the answer and the texts sent for it."""
    Outbox.sent.clear()
    with override_settings(NOTIFIERS=OUTBOX), TestCase.captureOnCommitCallbacks(execute=True):
        answer = client.post(START, {"number": number, "phone": phone})
    return answer, list(Outbox.sent)


def opened(client: Client, answer) -> str:
    """The page the answer leads to, as the browser shows it (its form's one-time CSRF value
    left out)."""
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_the_right_pair_texts_her_link_and_never_opens_the_page(pt):
    review = pt.chen_files()
    scan = review.files.order_by("pk").first()
    mallory = Client()
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        answer, sent = ask(mallory, review.number.lower(), "139 1234 5678")
    assert f"/s/{review.token}/" not in answer.get("Location", "")
    page = opened(mallory, answer)
    assert review.token not in page and f"/files/{scan.pk}" not in page
    assert "身份证.pdf" not in page and 'data-testid="link-asked"' in page
    (text,) = sent
    assert text.recipients_phone == (CHEN_PHONE,) and text.action == "prereview_link"
    assert f"http://testserver/portal/prereview/s/{review.token}/" in text.text
    assert review.number in text.text


def test_a_wrong_pair_answers_the_same_and_texts_nothing(pt):
    review = pt.chen_files()
    mallory = Client()
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        right, _sent = ask(mallory, review.number, CHEN_PHONE)
        wrong_phone, by_phone = ask(mallory, review.number, "13800000000")
        wrong_number, by_number = ask(mallory, "DNL-YS-2026-999999", CHEN_PHONE)
    assert by_phone == [] and by_number == []
    pages = [opened(mallory, a) for a in (right, wrong_phone, wrong_number)]
    assert right["Location"] == wrong_phone["Location"] == wrong_number["Location"]
    assert pages[0] == pages[1] == pages[2]


def test_a_typo_in_the_mobile_is_said_so_and_texts_nothing(pt):
    review = pt.chen_files()
    answer, sent = ask(Client(), review.number, "1391234567")
    assert answer.status_code == 200 and sent == []
    assert 'data-testid="link-asked"' not in answer.content.decode()


def test_her_link_is_texted_at_most_twice_a_day_for_one_pre_review(pt):
    review = pt.chen_files()
    mallory = Client()
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        counts = [len(ask(mallory, review.number, CHEN_PHONE)[1]) for _n in range(5)]
    assert counts == [1, 1, 0, 0, 0]
    # Asking on and on did not push the limit out: a day after the texts sent, one goes again.
    with time_machine.travel(at("2026-03-11 09:01"), tick=False):
        answer, sent = ask(mallory, review.number, CHEN_PHONE)
    assert len(sent) == 1 and answer["Location"] == f"{START}?asked=1#prereview-lookup"


def test_her_mobile_gets_at_most_three_links_a_day_for_all_her_pre_reviews(pt):
    reviews = [pt.chen_files() for _n in range(3)]
    mallory = Client()
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        counts = [len(ask(mallory, r.number, CHEN_PHONE)[1]) for r in reviews for _n in (1, 2)]
    assert counts == [1, 1, 1, 0, 0, 0]


def test_a_withdrawn_pre_review_still_texts_its_link_to_her(pt):
    """Withdrawing forgets the stored mobile; the typed one, matching its key, still gets it."""
    review = pt.chen_files()
    actions.withdraw(review)
    assert review.state == PreReviewState.WITHDRAWN and review.notify_phone == ""
    _answer, sent = ask(Client(), review.number, CHEN_PHONE)
    assert [m.recipients_phone for m in sent] == [(CHEN_PHONE,)]


def test_many_tries_from_one_address_are_refused(pt, settings):
    settings.PORTAL_LOOKUPS_PER_IP_HOUR = 2
    review = pt.chen_files()
    mallory = Client()
    assert ask(mallory, "DNL-YS-2026-999998", CHEN_PHONE)[0].status_code == 302
    assert ask(mallory, "DNL-YS-2026-999999", CHEN_PHONE)[0].status_code == 302
    answer, sent = ask(mallory, review.number, CHEN_PHONE)
    assert answer.status_code == 429 and sent == []


def test_the_link_she_was_texted_when_she_filed_still_opens_her_page(pt):
    review = pt.chen_files()
    page = Client().get(f"/portal/prereview/s/{review.token}/")
    assert page.status_code == 200 and review.number in page.content.decode()
