"""Wrong booking codes at the hall's kiosks count against the kiosks, not the hall's address.

The hall's machines and the citizens' phones on its Wi-Fi all reach the server from one address.
The check-in's limit on wrong codes (20 in 10 minutes) keyed on that address only, so on a busy
Friday morning twenty citizens' typos at the kiosk by the east door locked check-in for everyone
in the hall — at both kiosks and on every phone — for ten minutes. A kiosk's pages now name the
kiosk they were opened from (``?kiosk=``, as the booking pages already did), and its wrong codes
count against the hall's kiosks at that address — one count for all of them, since the name is
only what the link says — with a limit that fits what their queues can type (60 in 10 minutes);
the refusal says it is this kiosk and when to try again. Anyone else (a phone, a street's NAT, a
kiosk name typed from elsewhere) keeps the per-address limit of 20, and a stranger naming the
kiosk from another address uses up nothing of the kiosks' own.

Session 17: the name is only what the link says, and with HALL_KIOSK_NETWORKS set a phone on the
hall's Wi-Fi named a kiosk and shut the real ones. The kiosk's allowance is now an enrolled
kiosk's (hotline.hall.devices: the manager enrols the machine's browser; a signed cookie), per
kiosk; a page that only names a kiosk counts per address like a phone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions import appointments as booking
from hotline.hall.identity import holder_key
from hotline.hall.models import AppointmentState, Kiosk
from tests.conftest import at
from tests.hall.conftest import enrolled_browser, open_slot

pytestmark = pytest.mark.django_db

FRIDAY = dt.date(2023, 3, 10)
HALL_ADDRESS = "10.20.0.1"  # the hall's network, as the server sees every machine and phone in it
STRANGER = "203.0.113.7"
CHECK_IN = "/hall/dnl/kiosk/check-in/"


@pytest.fixture
def kiosks(town) -> tuple[Kiosk, Kiosk, Kiosk]:
    east = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    west = Kiosk.objects.create(hall=town.hall, code="dnl-zz2", name="自助终端2号", place="西门")
    # The ticket kiosk's machine, registered and enrolled as a kiosk too.
    ticket = Kiosk.objects.create(hall=town.hall, code="dnl-qh1", name="取号机", place="大厅入口")
    return east, west, ticket


@pytest.fixture
def machines(town, kiosks):
    """The three machines, each enrolled by Hugo (the hall manager)."""
    return [enrolled_browser(kiosk, town.hugo) for kiosk in kiosks]


def _codes(town, n: int) -> list[str]:
    slot = open_slot(town, FRIDAY, capacity=n)
    with time_machine.travel(at("2023-03-09 15:00"), tick=False):
        return [
            booking.book(slot, holder_key=holder_key(phone=f"139{i:08d}")).code for i in range(n)
        ]


def _post(client, code: str, *, kiosk: str = "", address: str = HALL_ADDRESS):
    url = f"{CHECK_IN}?kiosk={kiosk}" if kiosk else CHECK_IN
    return client.post(url, {"code": code}, REMOTE_ADDR=address)


def test_a_morning_of_typos_at_one_kiosk_locks_neither_it_nor_the_hall(client, town, machines):
    east, west, ticket = machines
    codes = _codes(town, 4)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for _ in range(25):  # more than the per-address 20, in ten minutes
            assert _post(east, "ZZZZZZ", kiosk="dnl-zz1").status_code == 422
        assert _post(east, codes[0], kiosk="dnl-zz1").status_code == 302
        assert _post(west, codes[1], kiosk="dnl-zz2").status_code == 302
        assert _post(client, codes[2]).status_code == 302  # a phone on the hall's Wi-Fi
        assert _post(ticket, codes[3], kiosk="ticket").status_code == 302  # the ticket kiosk


def test_sixty_wrong_codes_at_a_kiosk_shut_it_not_the_others_and_say_so(client, town, machines):
    east, west, _ticket = machines
    codes = _codes(town, 3)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for _ in range(60):
            assert _post(east, "ZZZZZZ", kiosk="dnl-zz1").status_code == 422
    with time_machine.travel(at("2023-03-10 08:50"), tick=False):
        refused = _post(east, codes[0], kiosk="dnl-zz1")
        assert refused.status_code == 429
        body = refused.content.decode()
        assert "本机" in body and "5 分钟" in body, body
        # Each enrolled kiosk counts its own (its cookie cannot be copied by a phone) …
        assert _post(west, codes[1], kiosk="dnl-zz2").status_code == 302
        # … and a phone on the hall's Wi-Fi keeps its own.
        assert _post(client, codes[2]).status_code == 302
    with time_machine.travel(at("2023-03-10 08:56"), tick=False):
        assert _post(east, codes[0], kiosk="dnl-zz1").status_code == 302


def test_naming_a_kiosk_gives_no_allowance(client, town, kiosks):
    """Review: a page opened with ``?kiosk=`` counted against the hall's kiosks, so a stranger
    naming a kiosk got the kiosks' 60 wrong codes instead of an address's 20."""
    (code,) = _codes(town, 1)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for n in range(20):
            name = ("dnl-zz1", "dnl-zz2", "ticket")[n % 3]
            assert _post(client, "ZZZZZZ", kiosk=name, address=STRANGER).status_code == 422
        assert _post(client, code, kiosk="dnl-zz1", address=STRANGER).status_code == 429
        assert _post(client, code, kiosk="ticket", address=STRANGER).status_code == 429


def test_a_phone_on_the_halls_wifi_naming_the_kiosk_cannot_shut_it(client, town, machines):
    """Session 17: with the networks set, a phone on the hall's Wi-Fi named the kiosk, used up
    the kiosks' shared count of wrong codes (60) and the real kiosks answered 429 for ten
    minutes. The phone, not enrolled, has its address's 20; the enrolled kiosk its own."""
    east, _west, _ticket = machines
    (code,) = _codes(town, 1)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for _ in range(60):
            _post(client, "ZZZZZZ", kiosk="dnl-zz1")
        refused = _post(client, "ZZZZZZ", kiosk="dnl-zz1")
        assert refused.status_code == 429 and "本机" not in refused.content.decode()
        assert _post(east, code, kiosk="dnl-zz1").status_code == 302


def test_a_revoked_or_replaced_enrolment_is_refused_the_kiosks_allowance(client, town, kiosks):
    """A cookie copied off the kiosk (or the machine replaced): the manager enrols the new
    machine, or revokes; the old cookie is a stranger's browser again."""
    from hotline.hall.actions import selfservice

    east, _west, _ticket = kiosks
    old = enrolled_browser(east, town.hugo)
    new = enrolled_browser(east, town.hugo)  # enrolled again: the old cookie is void
    (code,) = _codes(town, 1)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for _ in range(20):
            assert _post(old, "ZZZZZZ", kiosk="dnl-zz1").status_code == 422
        assert _post(old, code, kiosk="dnl-zz1").status_code == 429
        assert _post(new, code, kiosk="dnl-zz1").status_code == 302
    selfservice.revoke(east, actor=town.hugo)
    with time_machine.travel(at("2023-03-10 08:46"), tick=False):
        refused = _post(new, "ZZZZZZ", kiosk="dnl-zz1")
        # The address's count (20, used up above by the old cookie), not the kiosk's.
        assert refused.status_code == 429 and "本机" not in refused.content.decode()
    actions = list(east.events.values_list("action", "actor__username"))
    assert actions == [("enrol", "hugo-dnl"), ("enrol", "hugo-dnl"), ("revoke", "hugo-dnl")]


def test_an_address_without_a_kiosk_keeps_the_limit_of_twenty(client, town, kiosks):
    (code,) = _codes(town, 1)
    with time_machine.travel(at("2023-03-10 08:45"), tick=False):
        for _ in range(20):
            assert _post(client, "ZZZZZZ", kiosk="no-such", address=STRANGER).status_code == 422
        refused = _post(client, code, address=STRANGER)
        assert refused.status_code == 429
        assert "本机" not in refused.content.decode()
        assert "10 分钟" in refused.content.decode()
    assert booking.Appointment.objects.get(code=code).state == AppointmentState.BOOKED


def test_the_self_service_kiosk_leads_to_its_own_check_in_and_back(client, town, kiosks):
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        kiosk_page = client.get("/hall/dnl/self-service/dnl-zz1/").content.decode()
        assert f'href="{CHECK_IN}?kiosk=dnl-zz1"' in kiosk_page
        page = client.get(f"{CHECK_IN}?kiosk=dnl-zz1").content.decode()
    assert 'href="/hall/dnl/self-service/dnl-zz1/"' in page  # Back, to the kiosk it came from
    assert f'data-idle-reset="{CHECK_IN}?kiosk=dnl-zz1"' in page
