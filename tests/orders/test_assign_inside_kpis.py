"""二级派单 in the assessment: what Nina's 居委会 does counts for it, and for Una's street above it
(the first-level unit the centre deals with), which ranks on the whole."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from hotline.assessment import kpis
from hotline.orders import actions
from hotline.orders.models import ContactWay, ReplyResult, Satisfaction
from tests.conftest import at
from tests.orders.factory import new_order


def _handled(d, *, inside, satisfaction):
    order = new_order(d)
    actions.dispatch(order, d.dan, lead_unit=d.street)
    handler = d.una
    if inside:
        actions.assign_inside(order, d.una, unit=d.neighbourhood)
        handler = d.nina
    actions.accept(order, handler)
    actions.first_contact(order, handler, way=ContactWay.PHONE)
    actions.reply(order, handler, result=ReplyResult.RESOLVED, text="已处理。")
    actions.approve_reply(order, d.dan)
    actions.callback(order, d.cathy, resolved=True, satisfaction=satisfaction)
    return order


def test_the_neighbourhood_figures_sit_below_the_street_and_roll_up_into_it(district):
    d = district
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        inside = _handled(d, inside=True, satisfaction=Satisfaction.DISSATISFIED)
        _handled(d, inside=False, satisfaction=Satisfaction.SATISFIED)
        _handled(d, inside=False, satisfaction=Satisfaction.SATISFIED)
    report = kpis.compute(at("2023-03-01 00:00"), at("2023-04-01 00:00"))
    street, neighbourhood = report.unit("jnl"), report.unit("jnl-01")

    # The centre dispatched three orders to the street: volume is the street's.
    assert (street.volume, neighbourhood.volume) == (3, 0)
    # Nina's sign-for and callback verdict are her 居委会's, and the street's through the roll-up.
    assert (
        neighbourhood.ratios["sign_for"].numerator,
        neighbourhood.ratios["sign_for"].denominator,
    ) == (1, 1)
    assert (
        neighbourhood.ratios["satisfaction"].numerator,
        neighbourhood.ratios["satisfaction"].denominator,
    ) == (0, 1)
    assert (street.ratios["satisfaction"].numerator, street.ratios["satisfaction"].denominator) == (
        2,
        3,
    )
    # The rounds too: Nina's first contact is her 居委会's.
    assert neighbourhood.ratios["first_contact"].denominator == 1
    assert street.ratios["first_contact"].denominator == 3
    assert neighbourhood.parent_code == "jnl"
    # Drill-down: the 居委会's dissatisfied order is behind its cell and the street's.
    period = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))
    assert kpis.order_ids("satisfaction", d.neighbourhood, *period, part="denominator") == [
        inside.pk
    ]
    assert inside.pk in kpis.order_ids("satisfaction", d.street, *period, part="denominator")
    assert len(kpis.order_ids("satisfaction", d.street, *period, part="denominator")) == 3


def test_the_dashboard_shows_the_neighbourhood_below_its_street(client, district):
    # The KPI table had the street's row only: what Nina's 居委会 did with the orders assigned
    # to it (二级派单) was in the monthly Excel report, nowhere on the leaders' dashboard.
    d = district
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        _handled(d, inside=True, satisfaction=Satisfaction.DISSATISFIED)
        _handled(d, inside=False, satisfaction=Satisfaction.SATISFIED)
    client.force_login(d.leo)
    html = client.get(reverse("dashboard") + "?month=2023-03").content.decode()
    main = html.split('data-testid="kpi-table"')[1].split("</table>")[0]
    assert '<tr data-unit="jnl">' in main and 'data-unit="jnl-01"' not in main
    below = html.split('data-testid="kpi-sub-units"')[1].split("</table>")[0]
    row = below.split('<tr data-unit="jnl-01" data-parent="jnl">')[1].split("</tr>")[0]
    assert "三和花园居委会" in row and "江宁路街道" in row
    satisfaction = row.split('data-kpi="satisfaction"')[1].split("</td>")[0]
    assert "<strong>0.0%</strong>" in satisfaction and ">0</a> / <a" in satisfaction
    assert "unit=jnl-01" in satisfaction  # the count opens the 居委会's orders
