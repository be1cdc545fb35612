"""A 12345 operator texts a caller the link to pre-review a matter (issue 18 item 8): Olga, on
the phone with Chen Li, sends her the link to pre-review 居住证 at 大宁路; Chen files from it and
her pre-review counts as started from 12345. The link is recorded once (append-only), limited
per mobile, shown in the caller history; the number itself is kept nowhere and sent in no link."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test import Client, override_settings

from hotline.hall.identity import holder_key
from hotline.prereview import actions
from hotline.prereview.actions.inviting import INVITES_PER_PHONE_DAY
from hotline.prereview.figures import prereview_figures
from hotline.prereview.models import PreReview, PreReviewInvitation
from tests.conftest import PASSWORD, at
from tests.hall.booking_by_code import OUTBOX, Outbox
from tests.prereview.conftest import CHEN_PHONE, pdf

pytestmark = pytest.mark.django_db

SITE = "https://12345.example.cn/"
CALL = at("2026-03-09 10:00")  # Monday morning


def _texts(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "prereview_invite" in r.getMessage()]


def _invite(pt, phone: str = CHEN_PHONE, *, now: dt.datetime | None = CALL) -> PreReviewInvitation:
    olga = pt.ct.town.district.olga
    return actions.invite(olga, phone, pt.hall, pt.residence, site=SITE, now=now)


def _link_path(text: str) -> str:
    found = re.search(r"https://12345\.example\.cn(/portal/prereview/new/\S+)", text)
    assert found, text
    return found.group(1)


def test_olga_texts_chen_the_link_and_what_she_files_from_it_counts_as_from_12345(
    pt, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="hotline.notify")
    Outbox.sent.clear()
    with (
        # The SMS adapter is given the link whole; the log's copy has its ?from= cut.
        override_settings(NOTIFIERS=["hotline.orders.notify.LoggingNotifier", *OUTBOX]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation = _invite(pt, "139 1234 5678")
    (text,) = [m.text for m in Outbox.sent if m.action == "prereview_invite"]
    path = _link_path(text)
    assert path == f"/portal/prereview/new/dnl/jzz/?from={invitation.token}"
    (logged,) = _texts(caplog)
    assert invitation.token not in logged and "?from=" in logged
    assert "居住证办理" in text and pt.hall.unit.name in text
    # Only the hall's keyed hash of her mobile: not in the row, not in the link.
    assert invitation.phone_key == holder_key(phone=CHEN_PHONE)
    assert CHEN_PHONE not in path and CHEN_PHONE not in invitation.phone_key
    assert invitation.sent_by == pt.ct.town.district.olga

    chen = Client()
    with time_machine.travel(CALL + dt.timedelta(hours=2), tick=False):
        form = chen.get(path).content.decode()
        assert 'data-testid="invited"' in form and f'value="{invitation.token}"' in form
        sent = chen.post(
            path,
            {
                "name": "陈丽",
                "phone": CHEN_PHONE,
                "from": invitation.token,
                f"material_{pt.id_card.pk}": pdf("身份证.pdf"),
            },
        )
    assert sent.status_code == 302
    review = PreReview.objects.get()
    assert review.invitation == invitation
    assert review.events.get(action="submit").payload["invitation"] == invitation.pk
    week = prereview_figures(pt.hall, dt.date(2026, 3, 9), dt.date(2026, 3, 13))
    assert (week.submitted, week.from_hotline, week.invited) == (1, 1, 1)


def test_a_pre_review_without_the_link_or_with_a_stale_one_is_not_from_12345(pt):
    invitation = _invite(pt)
    plain = actions.submit(
        pt.hall, pt.residence, name="陈丽", phone=CHEN_PHONE, uploads={pt.id_card.pk: pdf()}
    )
    assert plain.invitation is None
    # Thirty-one days later the link still opens the form, but no longer links the invitation.
    late = CALL + dt.timedelta(days=31)
    assert actions.find_invitation(invitation.token, pt.hall, pt.residence, now=late) is None
    assert actions.find_invitation(invitation.token, pt.hall, pt.residence, now=CALL) == invitation
    # A token for 居住证 at 大宁路 does not count for another hall or matter.
    assert actions.find_invitation(invitation.token, pt.hall, pt.ct.town.allowance) is None
    other = pt.other_window.hall
    assert actions.find_invitation(invitation.token, other, pt.residence) is None
    filed = actions.submit(
        other,
        pt.residence,
        name="陈丽",
        phone=CHEN_PHONE,
        uploads={pt.id_card.pk: pdf()},
        invitation=invitation,
    )
    assert filed.invitation is None
    week = prereview_figures(pt.hall, dt.date(2026, 3, 9), dt.date(2026, 3, 13))
    assert week.from_hotline == 0


def test_links_to_one_mobile_are_limited_per_day(pt):
    # The limit counts with the portal's limits, on the clock: travel rather than pass ``now``.
    with time_machine.travel(CALL, tick=False):
        for _i in range(INVITES_PER_PHONE_DAY):
            _invite(pt)
    with time_machine.travel(CALL + dt.timedelta(hours=3), tick=False):
        with pytest.raises(actions.InvalidInput, match="3") as refused:
            _invite(pt, "+86 139 1234 5678", now=None)
        assert refused.value.field == "citizen_phone"
        # Another caller is not held back by Chen's links.
        _invite(pt, "13800001111", now=None)
    assert PreReviewInvitation.objects.filter(phone_key=holder_key(phone=CHEN_PHONE)).count() == 3
    with time_machine.travel(CALL + dt.timedelta(days=1, hours=4), tick=False):
        _invite(pt, now=None)


def test_only_intake_staff_send_links_for_a_matter_the_hall_pre_reviews(pt):
    with pytest.raises(actions.NotAllowed):
        actions.invite(pt.wendy, CHEN_PHONE, pt.hall, pt.residence)
    with pytest.raises(actions.InvalidInput, match=r"pre-review|预审"):
        actions.invite(pt.ct.town.district.olga, CHEN_PHONE, pt.hall, pt.ct.town.allowance)
    with pytest.raises(actions.InvalidInput) as landline:
        actions.invite(pt.ct.town.district.olga, "021-62345678", pt.hall, pt.residence)
    assert landline.value.field == "citizen_phone"
    assert not PreReviewInvitation.objects.exists()


def test_an_invitation_is_written_once(pt):
    invitation = _invite(pt)
    with pytest.raises(ValidationError):
        invitation.save()
    with pytest.raises(ValidationError):
        invitation.delete()
    with pytest.raises(ValidationError):
        PreReviewInvitation.objects.filter(pk=invitation.pk).update(sent_at=CALL)
    if connection.vendor == "postgresql":
        for sql in (
            "UPDATE prereview_prereviewinvitation SET sent_at = sent_at WHERE id = %s",
            "DELETE FROM prereview_prereviewinvitation WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, [invitation.pk])
    assert PreReviewInvitation.objects.filter(pk=invitation.pk).exists()


def test_olga_sends_it_from_the_caller_history_and_sees_it_there(pt):
    olga = Client()
    assert olga.login(username="olga", password=PASSWORD)
    history = olga.post("/intake/caller-history", {"citizen_phone": "139 1234 5678"})
    page = history.content.decode()
    choice = f"{pt.hall.pk}:{pt.residence.pk}"
    assert 'data-testid="prereview-invite"' in page and f'value="{choice}"' in page
    sent = olga.post(
        "/intake/prereview-link",
        {"caller_phone": "13912345678", "prereview": choice},
        HTTP_HX_REQUEST="true",
    )
    page = sent.content.decode()
    assert 'data-testid="invite-sent"' in page
    assert 'data-testid="prereview-invitations"' in page and "居住证办理" in page
    invitation = PreReviewInvitation.objects.get()
    actions.submit(
        pt.hall,
        pt.residence,
        name="陈丽",
        phone=CHEN_PHONE,
        uploads={pt.id_card.pk: pdf()},
        invitation=invitation,
    )
    again = olga.post("/intake/caller-history", {"citizen_phone": CHEN_PHONE}).content.decode()
    assert "DNL-YS-" in again
    # A landline gets no offer (the link goes by text message); a bad choice is refused.
    landline = olga.post("/intake/caller-history", {"citizen_phone": "021-62345678"})
    assert 'data-testid="prereview-invite"' not in landline.content.decode()
    bad = olga.post(
        "/intake/prereview-link",
        {"caller_phone": CHEN_PHONE, "prereview": "x:1"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="invite-error"' in bad.content.decode()
    assert PreReviewInvitation.objects.count() == 1


def test_a_hall_clerk_cannot_use_the_intake_link(pt):
    wendy = Client()
    assert wendy.login(username=pt.wendy.username, password=PASSWORD)
    got = wendy.post(
        "/intake/prereview-link",
        {"caller_phone": CHEN_PHONE, "prereview": f"{pt.hall.pk}:{pt.residence.pk}"},
    )
    assert got.status_code == 403
    assert not PreReviewInvitation.objects.exists()


def test_the_admin_lists_the_links_without_the_token_or_the_key(pt, admin_client):
    invitation = _invite(pt)
    listing = admin_client.get("/admin/prereview/prereviewinvitation/").content.decode()
    assert "居住证办理" in listing
    page = admin_client.get(f"/admin/prereview/prereviewinvitation/{invitation.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert invitation.token not in text and invitation.phone_key not in text
