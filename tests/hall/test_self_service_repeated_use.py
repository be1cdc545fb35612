"""A double-tapped material-list lookup at the self-service kiosk.

At 20:30 a citizen at 自助终端1号 taps 居住证办理 in the material lists twice (the first tap seemed
to do nothing), then reloads the list. Before, each sending was recorded, so one citizen's look
counted three times in the hall's self-service figures. The same use of the same kiosk for the
same matter within 30 seconds now counts once; a lookup a minute later (the next citizen), another
matter, another kiosk, or a completion of the same matter each still counts (completions are told
apart by their form's one-time token: test_self_service.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.hall.actions.selfservice import REPEAT_WINDOW, record_use
from hotline.hall.models import Kiosk, SelfServiceKind, SelfServiceUse
from hotline.matters.models import Matter
from tests.concurrency import in_threads, needs_threads_db
from tests.conftest import at

EVENING = at("2023-03-09 20:30")


@pytest.fixture
def printout(town) -> Matter:
    return Matter.objects.create(code="yb-dy", name="医保缴费凭证打印", queue_group="C", visits=0)


@pytest.fixture
def kiosk(town, printout) -> Kiosk:
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([printout])
    return kiosk


@pytest.mark.django_db
def test_a_double_tapped_lookup_is_recorded_once(client, town, kiosk):
    url = f"/hall/dnl/self-service/{kiosk.code}/materials/"
    with time_machine.travel(EVENING, tick=False):
        for _ in range(2):
            assert client.post(url, {"matter": town.residence.pk}).status_code == 302
    with time_machine.travel(EVENING + dt.timedelta(seconds=20), tick=False):
        client.post(url, {"matter": town.residence.pk})
    assert SelfServiceUse.objects.count() == 1


@pytest.mark.django_db
def test_other_uses_still_count(town, kiosk, printout):
    MATERIALS = SelfServiceKind.MATERIALS
    first = record_use(kiosk, town.residence, MATERIALS, now=EVENING)
    assert (
        record_use(kiosk, town.residence, MATERIALS, now=EVENING + dt.timedelta(seconds=5)) == first
    )
    later = EVENING + REPEAT_WINDOW + dt.timedelta(seconds=1)
    record_use(kiosk, town.residence, MATERIALS, now=later)  # the next citizen
    record_use(kiosk, printout, MATERIALS, now=EVENING)  # another matter
    record_use(kiosk, printout, now=EVENING)  # completed, not looked up
    other = Kiosk.objects.create(hall=town.hall, code="dnl-zz2", name="自助终端2号", place="东门")
    record_use(other, town.residence, MATERIALS, now=EVENING)  # another kiosk
    assert SelfServiceUse.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_taps_racing_each_other_count_once(town, kiosk):
    needs_threads_db()

    def work(_i: int) -> None:
        record_use(kiosk, town.residence, SelfServiceKind.MATERIALS, now=EVENING)

    errors = in_threads(work, 4)
    assert not errors, errors
    assert SelfServiceUse.objects.count() == 1
