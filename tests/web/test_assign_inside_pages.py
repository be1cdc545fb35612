"""Assignment inside a unit on the pages (二级派单): Una's street assigns an order to Nina's 居委会
from the order page, both inboxes say where it is, Nina hands one back. (Browser flow:
tests/browser/test_assign_inside.py.)"""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import Action, State, WorkOrder
from hotline.org.models import Unit, UnitKind
from hotline.web.desks import waiting_counts
from tests.orders.factory import order_in
from tests.web.test_order_pages import act, page


def _dialog(html: str) -> str:
    found = re.search(
        r'<details class="action[^"]*" data-action="assign_inside".*?</details>', html, re.S
    )
    assert found, "no assign-inside dialog"
    return found.group(0)


def test_the_street_picks_only_among_its_own_sub_units(client, district):
    d = district
    Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    Unit.objects.create(code="bsl-01", name="宝山居委会", kind=UnitKind.NEIGHBOURHOOD)
    order = order_in(State.DISPATCHED, d)
    html = page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    dialog = _dialog(html)
    assert "三和花园居委会" in dialog and "海防村居委会" in dialog
    assert "宝山居委会" not in dialog and "区民政局" not in dialog
    assert f'<option value="{d.street.pk}"' not in dialog


def test_the_street_assigns_and_both_inboxes_show_where_it_is(client, district):
    d = district
    order = order_in(State.DISPATCHED, d)
    response = act(
        client, d.una, order, "assign_inside", unit=d.neighbourhood.pk, note="请居委会上门"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="assigned-unit">三和花园居委会<' in html
    assert "从 江宁路街道 到 三和花园居委会" in html
    assert "请居委会上门" in html

    nina_inbox = page(client, d.una_nb, reverse("unit_inbox")).content.decode()
    assert order.number in nina_inbox and "三和花园居委会" in nina_inbox
    una_assigned = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
    assert order.number in una_assigned
    # Nina's page offers signing for and handing back, never a return to the centre.
    nina_page = page(
        client, d.una_nb, reverse("order_detail", args=[order.number])
    ).content.decode()
    assert 'data-action="accept"' in nina_page and 'data-action="hand_back"' in nina_page
    assert 'data-action="return"' not in nina_page


def test_a_unit_outside_the_street_is_refused_in_place_and_nothing_changes(client, district):
    d = district
    order = order_in(State.DISPATCHED, d)
    version = order.version
    response = act(client, d.una, order, "assign_inside", unit=d.bureau.pk, note="给民政局")
    assert response.status_code == 422
    html = response.content.decode()
    assert "给民政局" in html  # what Una typed is kept
    assert "区民政局" in html
    order.refresh_from_db()
    assert order.assigned_unit is None and order.version == version


def test_nina_hands_it_back_and_is_told_it_left_her(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    response = act(client, d.una_nb, order, "hand_back", reason="不在本居委会辖区")
    # It left Nina's hands: the page takes her to her inbox, which says it went back up and to
    # whom (the home page she was sent to said nothing: the hand-back looked lost).
    assert response.status_code == 200
    assert response.headers.get("HX-Redirect") == reverse("unit_inbox")
    inbox = client.get(reverse("unit_inbox")).content.decode()
    assert f"退回上级：已完成。工单 {order.number} 现由江宁路街道办理。" in inbox
    order = WorkOrder.objects.get(pk=order.pk)
    assert order.assigned_unit is None
    assert order.events.last().action == Action.HAND_BACK
    assert page(client, d.una_nb, reverse("order_detail", args=[order.number])).status_code == 404
    # A second tab of hers acting on it is told it moved away, with what she typed.
    late = act(client, d.una_nb, order, "reply", result="resolved", text="已处理")
    assert late.status_code == 409 and "已处理" in late.content.decode()


def test_no_assign_dialog_when_the_other_sub_units_are_closed(client, district):
    # 海防村居委会 was closed (merged into another) and Nina's 居委会 already holds the order: the
    # street was offered 二级派单 with an empty picker (closed units counted as assignable).
    d = district
    Unit.objects.create(
        code="jnl-02",
        name="海防村居委会",
        kind=UnitKind.NEIGHBOURHOOD,
        parent=d.street,
        active=False,
    )
    held = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    html = page(client, d.una, reverse("order_detail", args=[held.number])).content.decode()
    assert not re.search(r'<details[^>]*data-action="assign_inside"', html)
    # Nor when every sub-unit of the street is closed.
    Unit.objects.filter(pk=d.neighbourhood.pk).update(active=False)
    fresh = order_in(State.DISPATCHED, d)
    html = page(client, d.una, reverse("order_detail", args=[fresh.number])).content.decode()
    assert not re.search(r'<details[^>]*data-action="assign_inside"', html)


def test_a_stale_page_says_where_the_order_went_inside_and_punctuates_in_each_language(
    client, district
):
    # Una's page was open when a colleague passed the order to 海防村: the 'changed since' line
    # read '二级派单：请上门' — to which unit, it did not say — and in English the reason followed
    # a Chinese colon.
    d = district
    haifang = Unit.objects.create(
        code="jnl-02", name="海防村居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    order = order_in(State.DISPATCHED, d)
    seen = order.version
    actions.assign_inside(order, d.una, unit=haifang, note="请上门")
    for language, expected in (
        ("zh-hans", "→ 海防村居委会：请上门"),
        ("en", "→ 海防村居委会: 请上门"),
    ):
        client.force_login(d.una)
        response = client.post(
            reverse("order_act", args=[order.number, "assign_inside"]),
            {"unit": d.neighbourhood.pk, "version": seen},
            HTTP_HX_REQUEST="true",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 409
        html = response.content.decode()
        line = html.split('data-testid="changes"')[1].split("</li>")[0]
        assert expected in line, line


def test_a_neighbourhood_with_nothing_below_it_has_no_assigned_inside_tab(client, district):
    # Nina's inbox on a phone wrapped its tabs onto two lines for an 'Assigned inside' tab that
    # is always empty: her 居委会 has no unit to assign to.
    d = district
    nina = page(client, d.una_nb, reverse("unit_inbox")).content.decode()
    assert 'data-tab="to_accept"' in nina and 'data-tab="assigned"' not in nina
    una = page(client, d.una, reverse("unit_inbox")).content.decode()
    assert 'data-tab="assigned"' in una


def _tab(html: str, key: str) -> int:
    found = re.search(rf'<span class="count" id="count-{key}">(\d+)</span>', html)
    assert found, f"no {key} tab"
    return int(found.group(1))


def test_the_street_signs_for_and_handles_only_what_it_holds_itself(client, district):
    # Una's 待签收 and 办理中 counted (and listed) the orders her street had assigned to Nina's
    # 居委会: it is Nina who signs for and handles them; Una follows them under 已二级派单.
    d = district
    own_new = order_in(State.DISPATCHED, d)
    own_handling = order_in(State.ACCEPTED, d)
    nina_new = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    nina_handling = order_in(State.DISPATCHED, d, inside=d.neighbourhood)
    actions.accept(nina_handling, d.una_nb)

    una_new = page(client, d.una, reverse("unit_inbox") + "?tab=to_accept").content.decode()
    assert _tab(una_new, "to_accept") == 1 and _tab(una_new, "handling") == 1
    assert _tab(una_new, "assigned") == 2
    assert own_new.number in una_new and nina_new.number not in una_new
    una_handling = page(client, d.una, reverse("unit_inbox") + "?tab=handling").content.decode()
    assert own_handling.number in una_handling and nina_handling.number not in una_handling
    una_assigned = page(client, d.una, reverse("unit_inbox") + "?tab=assigned").content.decode()
    assert nina_new.number in una_assigned and nina_handling.number in una_assigned

    nina = page(client, d.una_nb, reverse("unit_inbox") + "?tab=to_accept").content.decode()
    assert _tab(nina, "to_accept") == 1 and _tab(nina, "handling") == 1
    assert nina_new.number in nina and own_new.number not in nina
    # The navigation's badge counts what waits for the person's own unit.
    assert waiting_counts(d.una)["unit_inbox"] == 1
    assert waiting_counts(d.una_nb)["unit_inbox"] == 1


def test_what_a_neighbourhood_without_a_handler_holds_waits_in_the_streets_tabs(client, district):
    """A 居委会 with no account of its own: an order the street assigns there (or auto-dispatch
    sends there) was in nobody's 待签收 — the badge read 0 — while the rules let the street sign
    for it. Until the 居委会 has a handler, the street's own tabs hold it (found in review)."""
    d = district
    bare = Unit.objects.create(
        code="jnl-09", name="无人居委会", kind=UnitKind.NEIGHBOURHOOD, parent=d.street
    )
    waiting = order_in(State.DISPATCHED, d, inside=bare)
    una = page(client, d.una, reverse("unit_inbox") + "?tab=to_accept").content.decode()
    assert waiting.number in una and _tab(una, "to_accept") == 1
    assert waiting_counts(d.una)["unit_inbox"] == 1
    actions.accept(waiting, d.una)
    una = page(client, d.una, reverse("unit_inbox") + "?tab=handling").content.decode()
    assert waiting.number in una and _tab(una, "handling") == 1
