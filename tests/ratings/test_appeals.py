"""A mistaken rating is appealed by the hall's manager and reviewed by the centre's supervisor;
an approved appeal takes it out of the figures."""

from __future__ import annotations

import pytest
import time_machine

from hotline.ratings import actions, figures
from hotline.ratings.models import AppealState, Channel, Level, Rating
from tests.conftest import at
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


def _rated(town, level, reasons=()):
    ticket = town.serve("2023-03-09 10:00")
    with time_machine.travel(at("2023-03-09 10:02"), tick=False):
        return actions.rate(ticket, None, level=level, channel=Channel.QR, reasons=list(reasons))


def test_hugo_appeals_and_sam_approves_so_the_rating_no_longer_counts(town):
    rating = _rated(town, Level.VERY_DISSATISFIED, ["not_done"])
    assert figures.distribution(Rating.objects.all())[Level.VERY_DISSATISFIED] == 1
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        with pytest.raises(actions.InvalidInput):
            actions.appeal(rating, town.hall.hugo, reason=" ")
        actions.appeal(rating, town.hall.hugo, reason="该群众咨询的是区级事项，非本中心受理范围")
        with pytest.raises(actions.InvalidTransition):
            actions.appeal(rating, town.hall.hugo, reason="again")
        actions.approve_appeal(rating, town.hall.district.sam, reason="核实属实")
    rating.refresh_from_db()
    assert rating.appeal == AppealState.APPROVED and rating.excluded
    assert figures.distribution(Rating.objects.all())[Level.VERY_DISSATISFIED] == 0
    assert [e.action for e in rating.events.all()] == [
        "rate",
        "rectify",
        "appeal",
        "approve_appeal",
    ]


def test_a_rejected_appeal_keeps_the_rating_and_needs_a_reason(town):
    rating = _rated(town, Level.DISSATISFIED, ["attitude"])
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        actions.appeal(rating, town.hall.hugo, reason="服务过程无异常")
        with pytest.raises(actions.InvalidInput):
            actions.reject_appeal(rating, town.hall.district.sam, reason="")
        actions.reject_appeal(rating, town.hall.district.sam, reason="录像显示态度生硬")
        with pytest.raises(actions.InvalidTransition):
            actions.approve_appeal(rating, town.hall.district.sam)
    rating.refresh_from_db()
    assert rating.appeal == AppealState.REJECTED and not rating.excluded


def test_only_this_halls_manager_appeals_and_only_a_supervisor_decides(town):
    rating = _rated(town, Level.DISSATISFIED, ["attitude"])
    other = make_hall(town.hall.district, code="jazw")
    with time_machine.travel(at("2023-03-09 11:00"), tick=False):
        for who in (town.hall.wendy, other.hugo, town.hall.district.sam):
            with pytest.raises(actions.NotAllowed):
                actions.appeal(rating, who, reason="误评")
        actions.appeal(rating, town.hall.hugo, reason="误评")
        for who in (town.hall.hugo, town.hall.district.dan, town.hall.district.leo):
            with pytest.raises(actions.NotAllowed):
                actions.approve_appeal(rating, who)
    rating.refresh_from_db()
    assert rating.appeal == AppealState.PENDING
