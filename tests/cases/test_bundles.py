"""A bundle (一件事 / 三联办) on one ticket: one merged checklist where a shared material is asked
once, one receipt, a linked case per matter, the trips and waiting counted for the bundle."""

from __future__ import annotations

import pytest
import time_machine

from hotline.cases import actions, trips
from hotline.cases.checklist import checklist, material_key
from hotline.cases.models import LineState
from hotline.matters.models import MaterialForm
from tests.cases.conftest import serve
from tests.conftest import at

pytestmark = pytest.mark.django_db


def test_material_names_merge_by_their_normalised_form():
    assert material_key("社会团体法人登记证书（正本）") == material_key("社会团体法人登记证书")
    assert material_key("社会团体法人登记证书 (副本)") == material_key(" 社会团体法人登记证书")
    assert material_key("ＡＢＣ 证明") == material_key("abc证明")
    assert material_key("户口簿") != material_key("居民身份证")


def test_the_bundle_checklist_asks_for_a_shared_material_once(ct):
    items = checklist([ct.charter, ct.change, ct.renewal])
    names = [i.name for i in items]
    # 法定代表人身份证 and the 登记证书 (written three ways) once each, then each matter's own form.
    assert names == [
        "法定代表人身份证",
        "社会团体法人登记证书（正本）",
        "章程草案",
        "变更登记申请表",
    ]
    cert = items[1]
    assert cert.matters == ["stt-zc", "stt-bg", "stt-yq"] and cert.form == MaterialForm.ORIGINAL


def test_one_ticket_serves_the_bundle_with_a_case_per_matter_and_one_receipt(ct):
    _ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"), holder_name="李四")
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
        cases = actions.serve_as_bundle(first.submission, ct.bundle, ct.town.wendy)
    assert [c.matter.code for c in cases] == ["stt-zc", "stt-bg", "stt-yq"]  # yours first
    assert len({c.submission_id for c in cases}) == 1
    assert len({c.number for c in cases}) == 3
    submission = first.submission
    assert submission.lines.count() == 4
    entries = {
        line.pk: actions.Received(LineState.RECEIVED, line.form, 1)
        for line in submission.lines.all()
    }
    actions.receive(submission, ct.town.wendy, entries)
    for case in cases:
        actions.accept(case, ct.town.wendy)
    bundle_trips = trips.submission_trips(cases)
    assert bundle_trips.count == 1 and bundle_trips.extra == 0
    assert trips.submission_waiting(cases) == 0.0  # called the moment it was issued


def test_a_bundle_is_chosen_before_anything_is_received(ct):
    _ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"))
    line = first.submission.lines.first()
    actions.receive(
        first.submission,
        ct.town.wendy,
        {line.pk: actions.Received(LineState.RECEIVED, line.form, 1)},
    )
    with pytest.raises(actions.InvalidTransition):
        actions.serve_as_bundle(first.submission, ct.bundle, ct.town.wendy)


def test_a_matter_outside_the_bundle_cannot_start_it(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with pytest.raises(actions.InvalidInput):
        actions.serve_as_bundle(case.submission, ct.bundle, ct.town.wendy)
