"""The 帮办代办 page says what each action did, like every other hall action, and shows a citizen
left unnamed as "—" as the other tables do (walk-through, session 23, L9: starting a 帮办 gave
no message, the row just appeared, and the citizen column read a half-width "-")."""

from __future__ import annotations

import pytest

from hotline.assistance.models import Assistance
from tests.forms import logged_in
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def town(district):
    return make_hall(district)


def test_starting_a_help_says_so(town):
    wendy = logged_in(town.wendy)
    page = wendy.post(
        "/assistance/", {"kind": "help", "help-matters": [town.residence.pk]}, follow=True
    ).content.decode()
    assert "已开始帮办。" in page
    record = Assistance.objects.get()
    english = wendy.post(
        f"/assistance/{record.pk}/end", {"outcome": "done"}, follow=True, **EN
    ).content.decode()
    assert "Assisted handling: Ended." in english


def test_recording_a_proxy_says_so(town):
    hugo = logged_in(town.hugo)
    page = hugo.post(
        "/assistance/",
        {
            "kind": "proxy",
            "proxy-matters": [town.allowance.pk],
            "proxy-applicant_name": "王老伯",
            "proxy-authoriser_name": "王老伯",
            "proxy-authorisation_ref": "WT-2099-001",
            "proxy-authorised_until": "2099-12-31",
        },
        follow=True,
    ).content.decode()
    assert "已登记代办。" in page
    record = Assistance.objects.get()
    page = hugo.post(f"/assistance/{record.pk}/accept", {}, follow=True).content.decode()
    assert "代办：大厅已受托。" in page


def test_a_citizen_left_unnamed_reads_as_a_dash(town):
    wendy = logged_in(town.wendy)
    wendy.post("/assistance/", {"kind": "help", "help-matters": [town.residence.pk]})
    page = wendy.get("/assistance/").content.decode()
    row = page[page.index('data-state="open"') :]
    row = row[: row.index("</tr>")]
    assert "<td>—</td>" in row and "<td>-</td>" not in row
