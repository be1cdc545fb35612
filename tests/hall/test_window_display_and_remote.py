"""The small display above a window, and a remote window at 三和花园居委会 in the same queue.

Walt calls 张三's A001 at window 2; the hall is busy, so the other windows call forty tickets
while 张三 is served — window 2's display still shows A001 (masked name). Rita (a clerk of the
centre) sits at remote window 4 in the 居委会 and calls from the same queue; a ticket she gives
at her remote point waits in it like any other."""

from __future__ import annotations

import pytest

from hotline.hall import actions
from hotline.hall.models import Source, TicketState, Window, WindowKind, WindowMatter
from hotline.org.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _display(client, town, number: int) -> str:
    url = f"/hall/{town.hall.code}/board/window/{number}/"
    return client.get(url, HTTP_HX_REQUEST="true").content.decode()


def test_a_windows_display_keeps_its_number_while_other_windows_call(client, town):
    first = actions.issue(town.hall, town.residence, holder_name="张三")
    actions.sign_in(town.w2, town.walt)
    assert actions.call_next(town.w2, town.walt).pk == first.pk
    actions.start(first, town.walt)
    actions.sign_in(town.w1, town.wendy)
    for _ in range(40):
        other = actions.issue(town.hall, town.allowance)
        actions.call_next(town.w1, town.wendy)
        actions.hold(other, town.wendy)  # then they leave: the window is free again
        actions.cancel(other)
    shown = _display(client, town, 2)
    assert 'data-testid="window-number">A001<' in shown and "张*" in shown and "张三" not in shown
    assert 'data-testid="window-number">' not in _display(client, town, 3)  # nothing called there
    assert client.get(f"/hall/{town.hall.code}/board/window/9/").status_code == 404


@pytest.fixture
def remote(town):
    """Window 4 at 三和花园居委会 serves 居住证; Rita, a clerk of the centre, sits there."""
    window = Window.objects.create(
        hall=town.hall, number=4, kind=WindowKind.REMOTE, place=town.district.neighbourhood
    )
    WindowMatter.objects.create(window=window, matter=town.residence, weight=1)
    rita = make_user("rita-dnl", town.hall.unit, Role.HALL_CLERK)
    return window, rita


def test_a_remote_window_calls_from_the_halls_queue(town, remote):
    window, rita = remote
    a1 = actions.issue(town.hall, town.residence)
    a2 = actions.issue(town.hall, town.residence)
    actions.sign_in(town.w2, town.walt)
    actions.sign_in(window, rita)
    assert actions.call_next(town.w2, town.walt).pk == a1.pk
    assert actions.call_next(window, rita).pk == a2.pk
    a2.refresh_from_db()
    assert a2.window == window and a2.state == TicketState.CALLED


def test_a_ticket_given_at_the_remote_point_waits_in_the_same_queue(town, remote):
    window, rita = remote
    earlier = actions.issue(town.hall, town.residence)
    at_point = actions.issue(town.hall, town.residence, source=Source.REMOTE, actor=rita)
    assert at_point.number == "A002" and at_point.source == Source.REMOTE
    actions.sign_in(town.w2, town.walt)
    assert actions.call_next(town.w2, town.walt).pk == earlier.pk
    actions.sign_in(window, rita)
    assert actions.call_next(window, rita).pk == at_point.pk
