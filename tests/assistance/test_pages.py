"""The hall's 帮办 and 代办 page: Wendy starts and ends a 帮办, Hugo takes on a 代办, Leo (a leader)
helps at the hall he picks; Una (a unit handler elsewhere) is refused."""

from __future__ import annotations

import pytest

from hotline.assistance.models import Assistance, AssistState, Kind
from tests.forms import logged_in
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(district):
    return make_hall(district)


def test_wendy_starts_and_ends_a_help_on_the_page(town):
    wendy = logged_in(town.wendy)
    assert wendy.get("/assistance/").status_code == 200
    refused = wendy.post("/assistance/", {"kind": "help", "help-citizen_name": "张三"})
    assert refused.status_code == 422 and not Assistance.objects.exists()
    wendy.post(
        "/assistance/",
        {"kind": "help", "help-matters": [town.residence.pk], "help-citizen_name": "张三"},
    )
    record = Assistance.objects.get()
    assert record.kind == Kind.HELP and record.helper == town.wendy
    page = wendy.get("/assistance/").content.decode()
    assert f"/assistance/{record.pk}/end" in page
    wendy.post(f"/assistance/{record.pk}/end", {"outcome": "done"})
    record.refresh_from_db()
    assert record.state == AssistState.ENDED


def test_hugo_takes_on_a_proxy_and_moves_it_on(town):
    hugo = logged_in(town.hugo)
    hugo.post(
        "/assistance/",
        {
            "kind": "proxy",
            "proxy-matters": [town.allowance.pk],
            "proxy-applicant_name": "王老伯",
            "proxy-authoriser_name": "王老伯",
            "proxy-authorisation_ref": "WT-2099-001",
            "proxy-authorised_until": "2099-12-31",
        },
    )
    record = Assistance.objects.get()
    assert record.kind == Kind.PROXY and record.state == AssistState.AUTHORISED
    premature = hugo.post(f"/assistance/{record.pk}/submit", {})  # accept first
    assert premature.status_code == 422
    assert hugo.post(f"/assistance/{record.pk}/bogus", {}).status_code == 404
    hugo.post(f"/assistance/{record.pk}/accept", {})
    record.refresh_from_db()
    assert record.state == AssistState.ACCEPTED


def test_leo_helps_at_the_hall_he_picks_and_una_is_refused(town):
    other = make_hall(town.district, code="jazw")
    leo = logged_in(town.district.leo)
    page = leo.get("/assistance/", {"hall": "jazw"}).content.decode()
    assert 'data-testid="start-help"' in page and 'data-testid="start-proxy"' not in page
    leo.post(
        "/assistance/",
        {"kind": "help", "hall": "jazw", "help-matters": [other.residence.pk]},
    )
    record = Assistance.objects.get()
    assert record.hall == other.hall and record.by_leader
    assert logged_in(town.district.una).get("/assistance/").status_code == 403
    # Another hall's record is not found for its staff (tests/hall/test_other_hall_ids.py).
    assert logged_in(town.wendy).post(f"/assistance/{record.pk}/end", {}).status_code == 404
