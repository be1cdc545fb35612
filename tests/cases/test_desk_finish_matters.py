"""The desk's "finish" checkboxes (the matters actually done, hall.actions.finish): at a window
that serves one matter they listed every matter of the hall. They list the window's own matters,
the ticket's and those of the cases served on the ticket (一件事: a case per matter of the
bundle); the hall's other matters are still there, folded away under their own heading."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.cases import actions
from hotline.hall.models import WindowMatter
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def _finish_boxes(page: str) -> tuple[list[str], list[str]]:
    """The matters ticked or not in the finish form: (listed first, folded away)."""
    form = re.search(r'<form[^>]*data-testid="finish".*?</form>', page, re.S)
    assert form is not None, "no finish form on the desk"
    first, _sep, folded = form.group(0).partition("<details")
    boxes = r'name="matters" value="(\d+)"'
    return re.findall(boxes, first), re.findall(boxes, folded)


def test_a_specialist_window_lists_its_own_matter_first(ct):
    town = ct.town
    when = at("2025-03-04 10:00")
    serve(ct, ct.residence, when, window=town.w2)  # window 2 serves 居住证 only
    with time_machine.travel(when, tick=False):
        page = logged_in(town.wendy).get(f"/hall/{town.hall.code}/desk/").content.decode()
    first, folded = _finish_boxes(page)
    assert first == [str(ct.residence.pk)]
    others = {ct.town.allowance, ct.charter, ct.change, ct.renewal}
    assert sorted(folded) == sorted(str(m.pk) for m in others)
    assert f'value="{ct.residence.pk}" checked' in page


def test_a_bundle_lists_its_matters_first(ct):
    town = ct.town
    WindowMatter.objects.filter(window=town.w2).delete()
    WindowMatter.objects.create(window=town.w2, matter=ct.charter, weight=1)
    when = at("2025-03-04 10:00")
    _ticket, first_case = serve(ct, ct.charter, when, window=town.w2)
    with time_machine.travel(when, tick=False):
        actions.serve_as_bundle(first_case.submission, ct.bundle, town.wendy)
        page = logged_in(town.wendy).get(f"/hall/{town.hall.code}/desk/").content.decode()
    first, folded = _finish_boxes(page)
    assert sorted(first) == sorted(str(m.pk) for m in (ct.charter, ct.change, ct.renewal))
    assert sorted(folded) == sorted(str(m.pk) for m in (ct.residence, ct.town.allowance))


def test_a_matter_folded_away_can_still_be_recorded_done(ct):
    town = ct.town
    when = at("2025-03-04 10:00")
    ticket, _case = serve(ct, ct.residence, when, window=town.w2)
    data = {
        "action": "finish",
        "ticket": ticket.pk,
        "matters": [ct.residence.pk, town.allowance.pk],
    }
    with time_machine.travel(when, tick=False):
        logged_in(town.wendy).post(f"/hall/{town.hall.code}/desk/act", data)
    event = ticket.events.get(action="finish")
    assert sorted(event.payload["matters"]) == sorted([ct.residence.code, town.allowance.code])


def test_a_bundle_has_all_its_matters_ticked_done(ct):
    """Walk-through, session 25, B-M2: after serving the 三联办 only the ticket's own matter was
    ticked; a clerk pressing Finish recorded one matter served for three cases."""
    town = ct.town
    when = at("2025-03-04 10:00")
    _ticket, first_case = serve(ct, ct.charter, when)
    with time_machine.travel(when, tick=False):
        actions.serve_as_bundle(first_case.submission, ct.bundle, town.wendy)
        page = logged_in(town.wendy).get(f"/hall/{town.hall.code}/desk/").content.decode()
    ticked = re.findall(r'name="matters" value="(\d+)" checked', page)
    assert sorted(ticked) == sorted(str(m.pk) for m in (ct.charter, ct.change, ct.renewal))
