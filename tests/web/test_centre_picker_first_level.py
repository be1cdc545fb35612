"""The centre's unit picker offers the first-level units, each with its sub-units under it
("三和花园居委会（经 江宁路街道）"); choosing a 居委会 on the page dispatches to its street,
which is assigned the 居委会 (二级派单, issue 16 item 1)."""

from __future__ import annotations

import re

from django.urls import reverse

from hotline.orders.models import Action, State
from hotline.org.models import Unit, UnitKind
from tests.orders.factory import new_order, order_in
from tests.web.test_order_pages import act, page


def _options(html: str, action: str) -> dict[str, tuple[str, str, str]]:
    """value → (label, depth, parent) of the lead-unit select in that action's dialog."""
    dialog = re.search(
        rf'<details class="action[^"]*" data-action="{action}".*?</details>', html, re.S
    )
    assert dialog, f"no {action} dialog"
    select = re.search(r'<select name="lead_unit".*?</select>', dialog.group(0), re.S)
    assert select
    found = {}
    for attrs, label in re.findall(r"<option ([^>]*)>([^<]*)</option>", select.group(0)):
        value = re.search(r'value="([^"]*)"', attrs).group(1)
        if not value:
            continue
        depth = re.search(r'data-depth="(\d+)"', attrs).group(1)
        parent = re.search(r'data-parent="([^"]*)"', attrs).group(1)
        found[value] = (label, depth, parent)
    return found


def _tree(d):
    """The district government above the street and the bureau, as in the demo district."""
    government = Unit.objects.create(
        code="jaqzf", name="静安区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT
    )
    Unit.objects.filter(pk__in=[d.street.pk, d.bureau.pk, d.centre.pk]).update(parent=government)
    section = Unit.objects.create(
        code="mzj-sz", name="区民政局社会救助科", kind=UnitKind.OTHER, parent=d.bureau
    )
    return government, section


def test_the_dispatch_picker_lists_first_level_units_with_their_sub_units_under_them(
    client, district
):
    d = district
    government, section = _tree(d)
    order = new_order(d)
    html = page(client, d.dan, reverse("order_detail", args=[order.number])).content.decode()
    options = _options(html, "dispatch")
    # The street and the bureau are roots, not under the district government.
    assert options[str(d.street.pk)] == ("江宁路街道", "0", "")
    assert options[str(d.bureau.pk)] == ("区民政局", "0", "")
    assert options[str(government.pk)] == ("静安区人民政府", "0", "")
    assert options[str(d.neighbourhood.pk)] == (
        "三和花园居委会（经 江宁路街道）",
        "1",
        str(d.street.pk),
    )
    assert options[str(section.pk)] == ("区民政局社会救助科（经 区民政局）", "1", str(d.bureau.pk))
    assert str(d.centre.pk) not in options
    # Each sub-unit right under its own first-level unit.
    values = list(options)
    assert values.index(str(d.neighbourhood.pk)) == values.index(str(d.street.pk)) + 1
    assert values.index(str(section.pk)) == values.index(str(d.bureau.pk)) + 1


def test_the_picker_in_english(client, district):
    d = district
    _tree(d)
    order = new_order(d)
    client.cookies["django_language"] = "en"
    html = page(client, d.dan, reverse("order_detail", args=[order.number])).content.decode()
    options = _options(html, "dispatch")
    assert options[str(d.neighbourhood.pk)][0] == "三和花园居委会 (via 江宁路街道)"


def test_the_redispatch_picker_groups_the_same_way(client, district):
    d = district
    _government, section = _tree(d)
    order = order_in(State.ACCEPTED, d)
    html = page(client, d.dan, reverse("order_detail", args=[order.number])).content.decode()
    options = _options(html, "redispatch")
    assert options[str(section.pk)] == ("区民政局社会救助科（经 区民政局）", "1", str(d.bureau.pk))


def test_dispatching_to_a_neighbourhood_from_the_page(client, district):
    d = district
    order = new_order(d)
    response = act(client, d.dan, order, "dispatch", lead_unit=d.neighbourhood.pk, note="")
    assert response.status_code == 200, response.content.decode()[:500]
    order.refresh_from_db()
    assert (order.state, order.lead_unit, order.assigned_unit) == (
        State.DISPATCHED,
        d.street,
        d.neighbourhood,
    )
    assigned = order.events.get(action=Action.ASSIGN_INSIDE)
    assert assigned.actor == d.dan and assigned.payload["by_centre"] is True
    # The timeline says who assigned it and that the centre named the 居委会.
    html = page(client, d.dan, reverse("order_detail", args=[order.number])).content.decode()
    assert "从 江宁路街道 到 三和花园居委会" in html
    assert "热线中心派单时指定" in html


def test_redispatching_to_a_section_from_the_page(client, district):
    d = district
    _government, section = _tree(d)
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    response = act(client, d.dan, order, "redispatch", lead_unit=section.pk, note="属民政救助")
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.lead_unit, order.assigned_unit) == (d.bureau, section)


# --- co-units (review r1 M4) -----------------------------------------------------------------


def _co_options(html: str, action: str) -> dict[str, str]:
    dialog = re.search(
        rf'<details class="action[^"]*" data-action="{action}".*?</details>', html, re.S
    )
    assert dialog, f"no {action} dialog"
    select = re.search(r'<select name="co_units".*?</select>', dialog.group(0), re.S)
    assert select
    return {
        re.search(r'value="([^"]*)"', attrs).group(1): label
        for attrs, label in re.findall(r"<option ([^>]*)>([^<]*)</option>", select.group(0))
    }


def test_the_co_unit_picker_offers_first_level_units_only_and_says_so(client, district):
    """A co-unit has no assignment inside of its own: the picker promised '（经 江宁路街道）' for
    a 居委会 it then made a co-unit directly. Now it offers the street and the bureau only."""
    d = district
    government, _section = _tree(d)
    order = new_order(d)
    url = reverse("order_detail", args=[order.number])
    html = page(client, d.dan, url).content.decode()
    options = _co_options(html, "dispatch")
    assert options == {
        str(d.street.pk): "江宁路街道",
        str(d.bureau.pk): "区民政局",
        str(government.pk): "静安区人民政府",
    }
    assert "仅限一级单位" in html
    client.cookies["django_language"] = "en"
    html = page(client, d.dan, url).content.decode()
    assert "First-level units only" in html


def test_a_neighbourhood_posted_as_a_co_unit_is_refused_saying_which_unit_to_name(client, district):
    d = district
    order = new_order(d)
    response = act(
        client,
        d.dan,
        order,
        "dispatch",
        lead_unit=d.bureau.pk,
        co_units=[d.neighbourhood.pk],
        note="",
    )
    html = response.content.decode()
    assert "三和花园居委会" in html and "请指定 江宁路街道" in html, html[:2000]
    order.refresh_from_db()
    assert (order.state, order.lead_unit) == (State.REGISTERED, None)
    assert not order.co_units.exists()
