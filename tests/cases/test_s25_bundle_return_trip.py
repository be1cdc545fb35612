"""One 补正 in a bundle is a trip of the case waiting for it only (walk-through, session 25,
B-H2): the holder's second ticket counted a visit, cause "other", on the bundle's cases accepted
meanwhile, lowering the 一次办 rate once per case. The desk still shows the whole bundle."""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import actions, trips
from hotline.cases.models import Case, CaseState, LineState, TripCause
from hotline.cases.templatetags.case_tags import case_panel
from hotline.hall import actions as hall
from tests.cases.conftest import serve
from tests.conftest import at

pytestmark = pytest.mark.django_db

KEY = "k-li"


def _bundle_with_one_correction(ct) -> tuple[Case, Case, Case]:
    """李四's 三联办 on one ticket: everything but 变更登记申请表 received, the notice issued
    (变更登记 waits for it), 章程核准 and 有效期延续 accepted."""
    ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"), holder_key=KEY)
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
        charter, change, renewal = actions.serve_as_bundle(
            first.submission, ct.bundle, ct.town.wendy
        )
        submission = first.submission
        entries = {
            line.pk: actions.Received(
                LineState.MISSING if line.name == "变更登记申请表" else LineState.RECEIVED,
                line.form,
                line.copies,
            )
            for line in submission.lines.all()
        }
        actions.receive(submission, ct.town.wendy, entries)
        assert [c.pk for c in actions.request_correction(submission, ct.town.wendy)] == [change.pk]
        actions.accept(charter, ct.town.wendy)
        actions.accept(renewal, ct.town.wendy)
        hall.finish(ticket, ct.town.wendy)
    return charter, change, renewal


@pytest.mark.parametrize("matter", ["change", "charter"])
def test_the_return_for_a_correction_is_a_trip_of_that_case_only(ct, matter):
    charter, change, renewal = _bundle_with_one_correction(ct)
    # The holder comes back the next day with the material, on a ticket for the case in
    # correction, or for another matter of the bundle (the same application).
    second, _case = serve(ct, getattr(ct, matter), at("2025-03-05 10:00"), holder_key=KEY)
    for case in (charter, change, renewal):
        case.refresh_from_db()
    assert (charter.state, change.state, renewal.state) == (
        CaseState.ACCEPTED,
        CaseState.CORRECTION,
        CaseState.ACCEPTED,
    )
    assert trips.case_trips(charter).count == 1
    assert trips.case_trips(renewal).count == 1
    found = trips.case_trips(change)
    assert (found.count, found.extra_causes) == (2, [TripCause.CORRECTION])
    bundle = trips.submission_trips([charter, change, renewal])
    assert (bundle.count, bundle.extra_causes) == (2, [TripCause.CORRECTION])
    # The desk shows the bundle on the second ticket, the accepted cases too.
    assert [c.pk for c in case_panel(second)["cases"]] == [charter.pk, change.pk, renewal.pk]
    # Service started again on the same ticket (called back after a hold) adds no visit.
    with time_machine.travel(at("2025-03-05 10:20"), tick=False):
        actions.open_for_ticket(second, ct.town.wendy)
    assert trips.case_trips(change).count == 2
    assert trips.case_trips(charter).count == 1


def test_a_return_with_nothing_waiting_is_a_visit_of_the_tickets_case(ct):
    """Nothing of the bundle waits for the citizen (all accepted): they came about the case of
    their ticket's matter, which takes the visit, as before."""
    ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"), holder_key=KEY)
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
        cases = actions.serve_as_bundle(first.submission, ct.bundle, ct.town.wendy)
        entries = {
            line.pk: actions.Received(LineState.RECEIVED, line.form, line.copies)
            for line in first.submission.lines.all()
        }
        actions.receive(first.submission, ct.town.wendy, entries)
        for case in cases:
            actions.accept(case, ct.town.wendy)
        hall.finish(ticket, ct.town.wendy)
    serve(ct, ct.change, at("2025-03-05 10:00"), holder_key=KEY)
    assert [trips.case_trips(c).count for c in cases] == [1, 2, 1]
