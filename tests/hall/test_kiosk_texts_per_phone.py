"""The kiosk's "text me" is counted per mobile number (attack, session 19).

The kiosk cannot check that the number typed is the citizen's, and it answers any browser while
``HALL_KIOSK_NETWORKS`` is unset: a script took ticket after ticket texting a stranger's number,
each with another ID number so that one-ticket-per-person never applied. Three tickets in 24 hours
may ask to text one number; the fourth is refused with what was typed kept, and a ticket without
the text is still given. Counted are tickets, not posts: a form sent again (its ticket given back)
and a refused try count nothing (review, session 19)."""

from __future__ import annotations

import pytest

from hotline.hall import identity
from hotline.hall.models import Ticket
from hotline.hall.views.public import KIOSK_TEXTS_PER_PHONE

pytestmark = pytest.mark.django_db

STRANGER = "13900000001"
BASE = "31010619800101"


def id_number(seq: int) -> str:
    """A valid 18-digit ID number, a different one for each ``seq``."""
    body = f"{BASE}{seq:03d}"
    weighted = sum(int(d) * w for d, w in zip(body, identity._ID_WEIGHTS, strict=True))
    return body + identity._ID_CHECK[weighted % 11]


def test_a_fourth_ticket_texting_one_number_is_refused(client, town):
    url = f"/hall/{town.hall.code}/kiosk/"
    matters = [town.residence, town.allowance]
    for seq in range(KIOSK_TEXTS_PER_PHONE.count):
        posted = {"matter": matters[seq % 2].pk, "phone": STRANGER, "sms": "on"}
        response = client.post(url, posted | {"id_number": id_number(seq)})
        assert response.status_code == 302, response.content.decode()
    fourth = {"matter": town.residence.pk, "phone": STRANGER, "sms": "on"}
    fourth["id_number"] = id_number(9)
    refused = client.post(url, fourth)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "在过去24小时内已为3张号票申请短信提醒" in page
    assert STRANGER in page  # what was typed is kept
    assert Ticket.objects.count() == KIOSK_TEXTS_PER_PHONE.count
    # Without the text the same citizen still gets a ticket.
    plain = client.post(url, {"matter": town.residence.pk, "id_number": id_number(9)})
    assert plain.status_code == 302
    # Another number is not affected.
    other = client.post(url, fourth | {"phone": "13900000002", "id_number": id_number(10)})
    assert other.status_code == 302


def test_the_same_form_sent_again_counts_one_ticket(client, town):
    url = f"/hall/{town.hall.code}/kiosk/"
    posted = {"matter": town.residence.pk, "phone": STRANGER, "sms": "on"}
    posted |= {"id_number": id_number(1), "submission": "A" * 32}
    assert [client.post(url, posted).status_code for _ in range(4)] == [302] * 4
    assert Ticket.objects.count() == 1
    # Two more tickets may still ask for texts.
    for seq, matter in ((2, town.allowance), (3, town.residence)):
        again = {"matter": matter.pk, "phone": STRANGER, "sms": "on", "id_number": id_number(seq)}
        assert client.post(url, again).status_code == 302


def test_a_refused_try_counts_nothing(client, town):
    url = f"/hall/{town.hall.code}/kiosk/"
    same = {"matter": town.residence.pk, "phone": STRANGER, "sms": "on", "id_number": id_number(1)}
    assert client.post(url, same).status_code == 302
    town.hall.daily_cap = 1  # today's tickets for the matter given out: refused, no text
    town.hall.save()
    for _ in range(3):
        assert client.post(url, same).status_code == 422
    assert client.post(url, same | {"matter": town.allowance.pk}).status_code == 302
