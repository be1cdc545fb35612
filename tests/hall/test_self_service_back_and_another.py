"""At the self-service kiosk a citizen completes one matter, goes Back (the browser shows the same
page, with the same one-time token) and completes another. Before, the second completion was
taken for a second sending of the first: it was not counted, and the kiosk confirmed an earlier
citizen's completion of that matter, or failed with a server error when there was none. Each
matter sent from one page counts once; the same matter sent twice still counts once."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.hall.models import Kiosk, SelfServiceUse
from hotline.matters.models import Matter
from tests.conftest import at

pytestmark = pytest.mark.django_db

EVENING = at("2023-03-09 20:30")


@pytest.fixture
def kiosk(town) -> Kiosk:
    printout = Matter.objects.create(code="yb-dy", name="医保缴费凭证打印", visits=0)
    endorse = Matter.objects.create(code="jzz-qz", name="居住证签注", visits=0)
    kiosk = Kiosk.objects.create(hall=town.hall, code="dnl-zz1", name="自助终端1号", place="东门")
    kiosk.matters.set([printout, endorse])
    return kiosk


def test_back_and_another_matter_counts_the_other_matter(client, kiosk):
    url = f"/hall/{kiosk.hall.code}/self-service/{kiosk.code}/"
    printout, endorse = Matter.objects.get(code="yb-dy"), Matter.objects.get(code="jzz-qz")
    with time_machine.travel(EVENING, tick=False):
        page = client.get(url).content
        token = re.search(rb'name="submission" value="([^"]+)"', page).group(1).decode()
        first = client.post(url, {"matter": printout.pk, "submission": token})
        again = client.post(url, {"matter": printout.pk, "submission": token})
        other = client.post(url, {"matter": endorse.pk, "submission": token})
    assert other.status_code == 302
    uses = list(SelfServiceUse.objects.order_by("pk").values_list("matter__code", flat=True))
    assert uses == ["yb-dy", "jzz-qz"]
    endorsed = SelfServiceUse.objects.get(matter=endorse)
    assert first["Location"] == again["Location"] != other["Location"]
    assert other["Location"] == f"{url}?done={endorsed.pk}"


def test_a_token_of_the_longest_form_is_claimed(client, kiosk):
    # A posted token may be 64 characters (hotline.web.once): the claim with the matter fits
    # the claim's column on PostgreSQL too.
    url = f"/hall/{kiosk.hall.code}/self-service/{kiosk.code}/"
    printout = Matter.objects.get(code="yb-dy")
    with time_machine.travel(EVENING, tick=False):
        response = client.post(url, {"matter": printout.pk, "submission": "a" * 64})
    assert response.status_code == 302
    assert SelfServiceUse.objects.count() == 1
