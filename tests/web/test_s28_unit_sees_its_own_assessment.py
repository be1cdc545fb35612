"""A unit sees its own assessment (本单位考核): its figures, score and rank in its peer group for a
month, its sub-units' figures, and the orders behind each of its numbers — never another unit's.

Walk-through, session 28 (h5 F3): 江宁路街道's handler opening /dashboard/ got 403 and had no other
page with her unit's figures, though the centre ranks the unit on them every month; she learnt of
an overdue order she could appeal only when the centre's report reached her.
"""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.assessment import kpis
from hotline.assessment.models import KpiSettings
from hotline.orders import actions
from hotline.org.models import PeerGroup, Role, Unit, UnitKind
from tests.conftest import at, make_user
from tests.orders.factory import new_order

MARCH = "?month=2023-03"


def _march(d):
    """江宁路街道 late to sign for one order (and one assigned to its 居委会, signed for on time);
    曹家渡街道 on time with two: 曹家渡 ranks first, 江宁路 second."""
    other = Unit.objects.create(
        code="cjl", name="曹家渡街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    carl = make_user("carl", other, Role.UNIT_HANDLER)
    settings = KpiSettings.current()
    settings.minimum_volume = 2
    settings.save()
    late = new_order(d, title="井盖松动")
    inside = new_order(d, title="楼道堆物")
    on_time = [new_order(d) for _ in range(2)]
    with time_machine.travel(at("2023-03-01 10:00"), tick=False):
        actions.dispatch(late, d.dan, lead_unit=d.street)
        actions.dispatch(inside, d.dan, lead_unit=d.neighbourhood)
        for order in on_time:
            actions.dispatch(order, d.dan, lead_unit=other)
    actions.accept(late, d.una, now=at("2023-03-03 10:00"))
    actions.accept(inside, d.una_nb, now=at("2023-03-01 10:30"))
    for order in on_time:
        actions.accept(order, carl, now=at("2023-03-01 10:30"))
    return late, carl


def test_the_street_sees_its_score_rank_and_its_sub_units(client, district):
    d = district
    _march(d)
    client.force_login(d.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        response = client.get(reverse("unit_kpis") + MARCH)
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["mine"].code == "jnl"
    assert response.context["mine"].rank == 2
    assert response.context["ranked"] == 2
    assert "第 2 名／共 2 家" in body
    sign_for = next(c for c in response.context["cells"] if c["kpi"] == kpis.SIGN_FOR)
    # Its own orders and its 居委会's: two signed for, one late.
    assert (sign_for["numerator"], sign_for["denominator"]) == (1, 2)
    # The peer group's median over the two ranked streets (50 % and 100 %).
    assert sign_for["median"] == 75.0
    assert [row["unit"].code for row in response.context["below"]] == ["jnl-01"]
    assert "曹家渡" not in body  # another unit's figures are not shown, only where it stands


def test_the_orders_behind_a_number_are_its_own_and_another_units_are_refused(client, district):
    d = district
    late, _carl = _march(d)
    client.force_login(d.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        mine = client.get(
            reverse("unit_kpi_orders") + MARCH + f"&kpi={kpis.SIGN_FOR}&unit=jnl&part=denominator"
        )
        theirs = client.get(
            reverse("unit_kpi_orders") + MARCH + f"&kpi={kpis.SIGN_FOR}&unit=cjl&part=denominator"
        )
    assert mine.status_code == 200
    assert mine.context["count"] == 2
    assert late.number in mine.content.decode()
    assert reverse("unit_kpis") in mine.content.decode()  # the way back is the unit's page
    assert theirs.status_code == 403


def test_a_neighbourhood_committee_sees_its_own_row_counted_in_its_street(client, district):
    d = district
    _march(d)
    client.force_login(d.una_nb)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        response = client.get(reverse("unit_kpis") + MARCH)
        street = client.get(
            reverse("unit_kpi_orders") + MARCH + f"&kpi={kpis.SIGN_FOR}&unit=jnl&part=denominator"
        )
    assert response.context["mine"].code == "jnl-01"
    assert not response.context["is_assessed"]
    assert response.context["assessed"].code == "jnl"
    assert 'data-testid="counted-in">江宁路街道' in response.content.decode()
    assert street.status_code == 403  # its street's figures (and orders) are the street's


def test_centre_staff_and_halls_have_the_dashboard_not_this_page(client, district):
    client.force_login(district.leo)
    assert client.get(reverse("unit_kpis")).status_code == 403
    client.force_login(district.una)
    bad = client.get(reverse("unit_kpis") + "?month=2099-01")
    assert bad.status_code == 400


def test_the_unit_handler_finds_it_in_the_navigation(client, district):
    client.force_login(district.una)
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        page = client.get(reverse("unit_inbox"))
    assert reverse("unit_kpis") in page.content.decode()


def test_a_service_centres_handler_sees_it_in_the_centres_group(client, district):
    """Service centres are scored on their halls in a group of their own, not one of the
    PeerGroup choices: the page answered 500 for the demo's centre handler (CI, session 28)."""
    from hotline.assessment import hall

    centre = Unit.objects.create(
        code="dnl-centre", name="大宁路街道社区事务受理服务中心", kind=UnitKind.SERVICE_CENTRE,
        peer_group=hall.SERVICE_CENTRES,
    )  # fmt: skip
    client.force_login(make_user("hugo", centre, Role.UNIT_HANDLER))
    with time_machine.travel(at("2023-04-05 09:00"), tick=False):
        response = client.get(reverse("unit_kpis") + MARCH)
    assert response.status_code == 200
    assert response.context["group"] == hall.GROUP_LABEL
