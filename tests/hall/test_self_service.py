"""The 24-hour self-service area: a registered kiosk by the east door completes 医保缴费凭证打印
without a clerk at any hour; outside the hall's hours its page offers only what needs no clerk
(book, track or rate a 12345 request, material lists). Every use is recorded by matter and counts
in the hall figures."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hotline.hall import hours, kpis
from hotline.hall.actions.selfservice import record_use
from hotline.hall.demo import DATA, halls_data
from hotline.hall.models import Kiosk, SelfServiceKind, SelfServiceUse
from hotline.hall.rules import InvalidInput, InvalidTransition
from hotline.matters.models import Material, Matter
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

# 2023-03-09 is a Thursday; 2023-03-11 a Saturday.
EVENING = at("2023-03-09 20:30")
MORNING = at("2023-03-09 10:00")
SATURDAY = at("2023-03-11 10:00")


@pytest.fixture
def printout(town) -> Matter:
    matter = Matter.objects.create(code="yb-dy", name="医保缴费凭证打印", queue_group="C", visits=0)
    Material.objects.create(matter=matter, name="社会保障卡", note="在终端上刷卡")
    return matter


@pytest.fixture
def kiosk(town, printout) -> Kiosk:
    kiosk = Kiosk.objects.create(
        hall=town.hall, code="dnl-zz1", name="自助终端1号", place="24小时自助区（东门）"
    )
    kiosk.matters.set([printout])
    return kiosk


def _url(kiosk: Kiosk, tail: str = "") -> str:
    return f"/hall/{kiosk.hall.code}/self-service/{kiosk.code}/{tail}"


def test_after_hours_the_kiosk_offers_what_needs_no_clerk(client, kiosk, printout):
    with time_machine.travel(EVENING, tick=False):
        page = client.get(_url(kiosk)).content.decode()
    assert 'data-testid="hall-closed"' in page and "03-10 09:00" in page
    for choice in ("book", "track", "materials"):
        assert f'data-choice="{choice}"' in page
    assert 'data-choice="ticket"' not in page  # no clerk tonight: no ticket
    assert "/portal/track/" in page  # the portal's own track (and rating) flow
    assert f'data-matter="{printout.code}"' in page


def test_a_use_is_recorded_by_matter_with_the_hall_closed(client, kiosk, printout):
    with time_machine.travel(EVENING, tick=False):
        response = client.post(_url(kiosk), {"matter": printout.pk})
        assert response.status_code == 302
        done = client.get(response["Location"]).content.decode()
        assert 'data-testid="self-service-done"' in done and printout.name in done
        # Reloading the confirmation records nothing more.
        client.get(response["Location"])
    use = SelfServiceUse.objects.get()
    assert (use.kiosk, use.hall, use.matter, use.kind) == (
        kiosk,
        kiosk.hall,
        printout,
        SelfServiceKind.DONE,
    )
    assert use.at == EVENING and use.hall_open is False


def test_during_hours_the_kiosk_also_leads_to_tickets_and_check_in(client, kiosk, printout):
    with time_machine.travel(MORNING, tick=False):
        page = client.get(_url(kiosk)).content.decode()
        client.post(_url(kiosk), {"matter": printout.pk})
    assert 'data-choice="ticket"' in page and 'data-choice="check_in"' in page
    assert SelfServiceUse.objects.get().hall_open is True


def test_on_a_saturday_the_windows_are_closed_until_monday(kiosk):
    assert not hours.hall_open(kiosk.hall, SATURDAY)
    assert hours.next_opening(kiosk.hall, SATURDAY) == at("2023-03-13 09:00")
    assert hours.next_opening(kiosk.hall, at("2023-03-09 07:00")) == at("2023-03-09 09:00")


def test_a_matter_that_needs_a_clerk_is_refused_and_nothing_is_recorded(client, town, kiosk):
    with time_machine.travel(EVENING, tick=False):
        refused = client.post(_url(kiosk), {"matter": town.residence.pk})
        assert refused.status_code == 422
        assert "居住证办理" in refused.content.decode()
        assert client.post(_url(kiosk), {"matter": "x' OR 1=1"}).status_code == 422
        assert client.post(_url(kiosk), {}).status_code == 422
    assert not SelfServiceUse.objects.exists()
    with pytest.raises(InvalidInput):
        record_use(kiosk, town.residence)


def test_a_kiosk_with_hours_is_closed_outside_them(client, kiosk, printout):
    kiosk.round_the_clock = False
    kiosk.opens_at, kiosk.closes_at = dt.time(7), dt.time(22)
    kiosk.save()
    late = at("2023-03-09 23:00")
    with pytest.raises(InvalidTransition):
        record_use(kiosk, printout, now=late)
    with time_machine.travel(late, tick=False):
        page = client.get(_url(kiosk)).content.decode()
    assert 'data-testid="kiosk-closed"' in page and "07:00–22:00" in page
    assert 'data-testid="self-service-choices"' not in page
    kiosk.opens_at = dt.time(23)
    with pytest.raises(ValidationError):
        kiosk.full_clean()


def test_material_lists_are_read_and_the_lookup_recorded(client, town, kiosk, printout):
    with time_machine.travel(EVENING, tick=False):
        index = client.get(_url(kiosk, "materials/")).content.decode()
        assert town.residence.name in index and printout.name in index  # the hall's and its own
        response = client.post(_url(kiosk, "materials/"), {"matter": town.residence.pk})
        listed = client.get(response["Location"]).content.decode()
    assert "居民身份证" in listed and 'data-testid="material-list"' in listed
    use = SelfServiceUse.objects.get()
    assert use.kind == SelfServiceKind.MATERIALS and use.matter == town.residence


def test_uses_count_in_the_hall_figures_by_matter(client, town, kiosk, printout):
    for when in (at("2023-03-09 06:10"), EVENING, at("2023-03-09 23:59")):
        record_use(kiosk, printout, now=when)
    record_use(kiosk, town.residence, SelfServiceKind.MATERIALS, now=EVENING)  # not a completion
    record_use(kiosk, printout, now=at("2023-03-10 00:01"))  # the next day
    day = dt.date(2023, 3, 9)
    assert kpis.self_service_uses(town.hall, day, day) == {"yb-dy": 3}
    assert kpis.self_service_uses(town.hall, day, day + dt.timedelta(days=1)) == {"yb-dy": 4}
    client.force_login(town.hugo)
    with time_machine.travel(EVENING, tick=False):
        board = client.get(f"/hall/{town.hall.code}/manage/").content.decode()
    assert "医保缴费凭证打印 3" in board


def test_the_open_data_counts_the_days_completions_by_matter(client, town, kiosk, printout):
    kiosk.matters.add(town.allowance)
    other = make_hall(town.district, "jn")
    elsewhere = Kiosk.objects.create(hall=other.hall, code="jn-zz1", name="自助终端", place="大堂")
    elsewhere.matters.set([printout])
    record_use(kiosk, printout, now=at("2023-03-09 06:10"))
    record_use(kiosk, printout, now=at("2023-03-09 23:59"))
    record_use(kiosk, town.allowance, now=EVENING)
    record_use(kiosk, town.residence, SelfServiceKind.MATERIALS, now=EVENING)  # a lookup
    record_use(kiosk, printout, now=at("2023-03-10 00:01"))  # Shanghai's next day
    record_use(elsewhere, printout, now=EVENING)  # another hall
    day = client.get("/api/v1/open/halls/dnl/daily/2023-03-09").json()
    assert day["self_service_uses"] == 3
    assert day["self_service_by_matter"] == {"lnjt": 1, "yb-dy": 2}
    assert day["issued"] == 0  # no ticket: the kiosks count on their own
    # The next day is asked once it has begun (a day after today is a 404 since a7d64c7).
    with time_machine.travel(at("2023-03-10 09:00"), tick=False):
        next_day = client.get("/api/v1/open/halls/dnl/daily/2023-03-10").json()
    assert next_day["self_service_by_matter"] == {"yb-dy": 1}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["DailyOut"]
    assert {"self_service_uses", "self_service_by_matter"} <= set(schema["required"])
    assert "self-service" in schema["properties"]["self_service_uses"]["description"]


def test_uses_are_append_only(kiosk, printout):
    record_use(kiosk, printout, now=EVENING)
    with pytest.raises(ValidationError):
        SelfServiceUse.objects.update(kind=SelfServiceKind.MATERIALS)
    with pytest.raises(ValidationError):
        SelfServiceUse.objects.all().delete()


def test_an_unknown_or_retired_kiosk_is_not_found(client, kiosk):
    assert client.get(f"/hall/{kiosk.hall.code}/self-service/nope/").status_code == 404
    kiosk.active = False
    kiosk.save()
    assert client.get(_url(kiosk)).status_code == 404


def test_every_demo_hall_has_a_self_service_area_from_the_data_files():
    matters = {line.split(",")[0] for line in (DATA / "matters.csv").read_text().splitlines()[1:]}
    halls = halls_data()
    assert all(h.get("kiosks") for h in halls)
    for h in halls:
        for k in h["kiosks"]:
            assert set(k["matters"]) <= matters
            assert set(k["uses_per_day"]) <= set(k["matters"])


def test_ada_registers_kiosks_and_reads_uses_and_histories_in_the_admin(
    client, town, kiosk, printout
):
    from hotline.hall.actions import appointments as booking

    ada = town.district.ada
    ada.is_staff = ada.is_superuser = True
    ada.save()
    client.force_login(ada)
    record_use(kiosk, printout, now=EVENING)
    slot = booking.open_slots(
        town.hall, town.residence, dt.date(2023, 3, 10), starts=dt.time(9), ends=dt.time(9, 30),
        minutes=30, capacity=1,
    )[0]  # fmt: skip
    with time_machine.travel(EVENING, tick=False):
        appointment = booking.book(slot, holder_key="k" * 64, booked_by=town.district.olga)
    assert client.get("/admin/hall/kiosk/add/").status_code == 200
    assert "自助终端1号" in client.get(f"/admin/hall/kiosk/{kiosk.pk}/change/").content.decode()
    uses = client.get("/admin/hall/selfserviceuse/")
    assert uses.status_code == 200 and printout.name in uses.content.decode()
    assert client.get("/admin/hall/selfserviceuse/add/").status_code == 403
    history = client.get(f"/admin/hall/appointment/{appointment.pk}/change/").content.decode()
    assert "olga" in history


def test_a_completion_sent_twice_counts_once(client, kiosk, printout):
    # The big button tapped twice (or Back and send again): the browser shows the second answer,
    # which must confirm the first completion, not record a second one.
    with time_machine.travel(EVENING, tick=False):
        page = client.get(_url(kiosk)).content
        token = re.search(rb'name="submission" value="([^"]+)"', page)
        assert token, "the form carries no one-time token"
        data = {"matter": printout.pk, "submission": token.group(1).decode()}
        first, second = client.post(_url(kiosk), data), client.post(_url(kiosk), data)
        use = SelfServiceUse.objects.get()
        assert first["Location"] == second["Location"] == f"{_url(kiosk)}?done={use.pk}"
        # The next citizen's page is a new token: their completion counts.
        page = client.get(_url(kiosk)).content
        data["submission"] = (
            re.search(rb'name="submission" value="([^"]+)"', page).group(1).decode()
        )
        client.post(_url(kiosk), data)
    assert SelfServiceUse.objects.count() == 2
