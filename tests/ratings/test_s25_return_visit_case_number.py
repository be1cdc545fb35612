"""A rating given on a return visit names the case it was a visit of (walk-through, session 25,
B-H1): the holder's second ticket, for a 补正, links to the case opened on the first; the rating
carried no case number, so the export keyed by case number had an empty 办件编号 for it."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import LineState
from hotline.hall import actions as hall
from hotline.ratings import actions as ratings
from hotline.ratings.models import Channel
from tests.cases.conftest import ct, finish, serve  # noqa: F401 - the fixture
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def test_a_rating_on_the_return_for_a_correction_names_the_case(ct):  # noqa: F811
    wendy = ct.town.wendy
    first, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_key="k-wang")
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        entries = {
            line.pk: actions.Received(
                LineState.MISSING if line.name == "房屋租赁合同" else LineState.RECEIVED,
                line.form,
                line.copies,
            )
            for line in case.submission.lines.all()
        }
        actions.receive(case.submission, wendy, entries)
        actions.request_correction(case.submission, wendy)
        hall.finish(first, wendy)
    second, again = serve(ct, ct.residence, at("2025-03-05 10:00"), holder_key="k-wang")
    assert again.pk == case.pk and again.ticket_id == first.pk  # linked, not opened
    finish(ct, second, at("2025-03-05 10:10"))
    with time_machine.travel(at("2025-03-05 10:15"), tick=False):
        rating = ratings.rate(
            second, None, level=1, channel=Channel.QR, reasons=["trips"], comment="又来一趟"
        )
    assert rating.case_numbers == [case.number]
    with time_machine.travel(at("2025-03-05 11:00"), tick=False):
        got = logged_in(ct.town.hugo).get(
            f"/ratings/hall/{ct.town.hall.code}/", {"days": 30, "format": "csv"}
        )
    assert got.status_code == 200
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    mine = [r for r in rows[1:] if second.number in r]
    assert mine and mine[0][0] == case.number
