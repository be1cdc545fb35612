"""The hall's pages through Django's test client: kiosk, ticket, my place, board, window desk."""

from __future__ import annotations

import re

import pytest

from hotline.hall import actions
from hotline.hall.models import Ticket, TicketState

pytestmark = pytest.mark.django_db


def test_a_citizen_takes_a_ticket_at_the_kiosk_and_follows_it(client, town):
    page = client.get(f"/hall/{town.hall.code}/kiosk/")
    assert page.status_code == 200 and "居住证办理" in page.content.decode()
    response = client.post(
        f"/hall/{town.hall.code}/kiosk/", {"matter": town.residence.pk, "priority": "elderly"}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hall/ticket/{ticket.token}/"
    printed = client.get(response["Location"]).content.decode()
    assert "A001" in printed and "data:image/svg+xml" in printed
    place = client.get(f"/hall/place/{ticket.token}/").content.decode()
    assert 'data-state="waiting"' in place


def test_the_kiosk_says_a_matter_needing_no_visit_can_be_done_online(client, town):
    # 到现场0次 read as if the visit were pointless; a matter declared with no visit can be done
    # online, and the kiosk says that instead (the clerk still serves whoever comes).
    town.allowance.visits = 0
    town.allowance.save(update_fields=["visits"])
    page = client.get(f"/hall/{town.hall.code}/kiosk/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    buttons = dict(
        re.findall(r'data-matter="(\w+)">.*?<small>(.*?)</small>', page.content.decode())
    )
    assert buttons == {"jzz": "A · 到现场1次", "lnjt": "B · 可全程网办，无需到现场"}


def test_the_kiosk_refuses_a_bad_number_and_keeps_the_choice(client, town):
    response = client.post(
        f"/hall/{town.hall.code}/kiosk/",
        {"matter": town.residence.pk, "phone": "12345", "name": "张三"},
    )
    assert response.status_code == 422
    assert 'value="张三"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_board_shows_calls_with_masked_names(client, town):
    ticket = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    actions.call_next(town.w2, town.walt)
    live = client.get(f"/hall/{town.hall.code}/board/", HTTP_HX_REQUEST="true").content.decode()
    assert f'data-number="{ticket.number}"' in live and 'data-window="2"' in live
    assert "张*" in live and "张三" not in live


def test_walt_calls_and_serves_from_the_desk(client, town):
    actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    desk = f"/hall/{town.hall.code}/desk/"
    act = f"/hall/{town.hall.code}/desk/act"
    assert client.get("/hall/").status_code == 302
    client.post(act, {"action": "sign_in", "window": town.w2.pk})
    client.post(act, {"action": "call_next"})
    ticket = Ticket.objects.get()
    assert ticket.state == TicketState.CALLED
    client.post(act, {"action": "start", "ticket": ticket.pk})
    client.post(act, {"action": "finish", "ticket": ticket.pk, "matters": [town.residence.pk]})
    assert Ticket.objects.get().state == TicketState.DONE
    page = client.get(desk).content.decode()
    assert 'data-action="call_next"' in page
    refused = client.post(act, {"action": "recall", "ticket": ticket.pk}, follow=True)
    assert '<li class="error">' in refused.content.decode()
    assert Ticket.objects.get().state == TicketState.DONE


def test_una_of_the_street_office_cannot_open_the_desk(client, town):
    client.force_login(town.district.una)
    assert client.get(f"/hall/{town.hall.code}/desk/").status_code == 403
    assert (
        client.post(f"/hall/{town.hall.code}/desk/act", {"action": "call_next"}).status_code == 403
    )


def test_every_clip_a_call_needs_is_shipped():
    from pathlib import Path

    from hotline.hall import voice

    folder = Path(voice.__file__).parent / "static" / "hall" / "voice"
    assert voice.clip_names("A012", 3) == [
        "qing", "lA", "d0", "d1", "d2", "hao", "dao", "d3", "chuangkou"
    ]  # fmt: skip
    assert voice.clip_names("B7", 12)[-3:] == ["shi", "d2", "chuangkou"]
    assert voice.clip_names("B7", 20)[-4:] == ["dao", "d2", "shi", "chuangkou"]
    for n in range(1, 100):
        for name in voice.clip_names(f"{voice.LETTERS[n % 24]}{n:03d}", n):
            assert (folder / f"{name}.wav").exists(), name


def test_the_booking_page_survives_a_mangled_matter(client, town):
    assert client.get(f"/hall/{town.hall.code}/book/?matter=abc").status_code == 200
    assert (
        client.post(f"/hall/{town.hall.code}/book/", {"matter": "1x", "slot": "?"}).status_code
        == 422
    )
