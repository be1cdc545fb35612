"""The case page as a clerk uses it: the checklist, the receipt, a correction notice, the printed
A4 documents; refusals come back as messages with nothing changed; others may not look."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.cases.actions.decisions import urge_due
from hotline.cases.models import CaseAction, CaseState, LineState
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


def _receipt_post(case, skip=()):
    data = {"action": "receive"}
    for line in case.submission.lines.all():
        p = f"line-{line.pk}-"
        received = line.name not in skip
        data[p + "state"] = LineState.RECEIVED if received else LineState.MISSING
        data[p + "form"] = line.form
        data[p + "count"] = str(line.copies)
        data[p + "note"] = "" if received else "未带"
    return data


def test_wendy_records_the_receipt_issues_a_correction_and_prints_it(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"), holder_name="张三")
    wendy = logged_in(ct.town.wendy)
    desk = wendy.get(f"/hall/{ct.town.hall.code}/desk/")
    assert case.number in desk.content.decode()  # the desk links to the case
    page = wendy.get(f"/cases/{case.number}/")
    assert page.status_code == 200 and "房屋租赁合同" in page.content.decode()
    with time_machine.travel(at("2025-03-04 10:05"), tick=False):
        wendy.post(f"/cases/{case.number}/act", _receipt_post(case, skip=["房屋租赁合同"]))
        wendy.post(
            f"/cases/{case.number}/act", {"action": "request_correction", "note": "请一次带齐"}
        )
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTION
    notice = wendy.get(f"/cases/{case.number}/print/correction/")
    text = notice.content.decode()
    assert notice.status_code == 200 and "房屋租赁合同" in text and "请一次带齐" in text
    assert "@page" not in text and "<script" not in text  # print CSS lives in print.css
    receipt = wendy.get(f"/cases/{case.number}/print/receipt/").content.decode()
    assert "居民身份证" in receipt and "张三" in receipt
    # No acceptance or refusal yet: those documents do not exist.
    assert wendy.get(f"/cases/{case.number}/print/acceptance/").status_code == 404
    assert wendy.get(f"/cases/{case.number}/print/refusal/").status_code == 404


def test_bad_input_comes_back_as_a_message_and_changes_nothing(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    wendy = logged_in(ct.town.wendy)
    data = _receipt_post(case)
    first = case.submission.lines.first()
    data[f"line-{first.pk}-count"] = "lots"
    page = wendy.post(f"/cases/{case.number}/act", data, follow=True)
    assert "整数" in page.content.decode() or "whole number" in page.content.decode()
    assert not case.submission.lines.filter(state=LineState.RECEIVED).exists()
    page = wendy.post(
        f"/cases/{case.number}/act",
        {"action": "refuse", "case": case.pk, "reason": " "},
        follow=True,
    )
    case.refresh_from_db()
    assert case.state == CaseState.OPENED
    page = wendy.post(
        f"/cases/{case.number}/act", {"action": "accept", "case": case.pk}, follow=True
    )
    assert "居住登记表" in page.content.decode()  # the message names what is missing


def test_refusal_and_acceptance_notices(ct):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    wendy = logged_in(ct.town.wendy)
    wendy.post(
        f"/cases/{case.number}/act",
        {"action": "refuse", "case": case.pk, "reason": "不属于本中心受理范围"},
    )
    text = wendy.get(f"/cases/{case.number}/print/refusal/").content.decode()
    assert "不属于本中心受理范围" in text
    _ticket, other = serve(ct, ct.residence, at("2025-03-04 11:00"))
    wendy.post(f"/cases/{other.number}/act", _receipt_post(other))
    wendy.post(f"/cases/{other.number}/act", {"action": "accept", "case": other.pk})
    text = wendy.get(f"/cases/{other.number}/print/acceptance/").content.decode()
    assert other.number in text and "2025-03-11" in text


def test_people_outside_the_hall_cannot_open_a_case(ct, district):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    assert logged_in(district.una).get(f"/cases/{case.number}/").status_code == 403
    assert logged_in(district.una).get("/cases/").status_code == 403
    assert logged_in(ct.town.hugo).get("/cases/").status_code == 200
    assert logged_in(ct.town.hugo).get(f"/cases/{case.number}/print/nonsense/").status_code == 404


def test_the_timeline_names_the_system_for_the_workers_urge(ct):
    # The worker urges a case near or past its promised date with no actor: the case page's
    # timeline failed on it (500) for every demo case the worker had urged.
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    assert case.due_at is not None
    assert urge_due(case.due_at + dt.timedelta(days=1)) == 1
    assert case.events.filter(action=CaseAction.URGE, actor=None).exists()
    wendy = logged_in(ct.town.wendy)
    page = wendy.get(f"/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    timeline = page.content.decode().split('data-testid="timeline"')[1]
    assert "<td>系统</td>" in timeline
