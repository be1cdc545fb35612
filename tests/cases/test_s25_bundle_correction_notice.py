"""A bundle's 补正材料告知书 pauses only the cases in correction and names each material's matter
(walk-through, session 25, B-M6): it said the whole application's clock paused and listed all
three cases with their promise, though the other two ran on and were accepted minutes later."""

from __future__ import annotations

import re

import pytest
import time_machine

from hotline.cases import actions
from hotline.cases.models import LineState
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_bundle_notice_pauses_only_the_case_in_correction(ct):
    wendy = ct.town.wendy
    _ticket, first = serve(ct, ct.charter, at("2025-03-04 10:00"), holder_name="李四")
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
        charter, change, renewal = actions.serve_as_bundle(first.submission, ct.bundle, wendy)
        entries = {
            line.pk: actions.Received(
                LineState.MISSING if line.name == "变更登记申请表" else LineState.RECEIVED,
                line.form,
                line.copies,
            )
            for line in first.submission.lines.all()
        }
        actions.receive(first.submission, wendy, entries)
        actions.request_correction(first.submission, wendy)
        actions.accept(charter, wendy)
        page = logged_in(wendy).get(f"/cases/{charter.number}/print/correction/")
        english = logged_in(wendy).get(f"/cases/{charter.number}/print/correction/", **EN)
    assert page.status_code == 200
    text = page.content.decode()
    items = re.search(r'data-testid="notice-items".*?</table>', text, re.S).group(0)
    assert re.search(r"变更登记申请表</td><td[^>]*>社会团体变更登记</td>", items)
    assert "下列办件的承诺时限暂停计算" in text
    # The promise table lists the case in correction only; the others are named as running on.
    promise = text[text.index("</table>", text.index("notice-items")) + len("</table>") :]
    promise_table = promise[: promise.index("</table>")]
    assert change.number in promise_table
    assert charter.number not in promise_table and renewal.number not in promise_table
    unaffected = re.search(r'data-testid="notice-not-affected">(.*?)</p>', text, re.S).group(1)
    assert charter.number in unaffected and renewal.number in unaffected
    assert change.number not in unaffected
    english = english.content.decode()
    assert "the promised time of the cases listed below is paused" in english
    assert "Not affected by this notice" in english


def test_a_single_case_notice_reads_as_before(ct):
    wendy = ct.town.wendy
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    with time_machine.travel(at("2025-03-04 10:03"), tick=False):
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
        text = logged_in(wendy).get(f"/cases/{case.number}/print/correction/").content.decode()
    assert "补正期间承诺时限暂停计算" in text
    assert "notice-not-affected" not in text and "notice-item-matters" not in text
