"""Tampered or mangled forms on the case page: a row id that is not a number, a line of another
application, an endless note. Each finds nothing or says why, and changes nothing."""

from __future__ import annotations

import pytest

from hotline.cases.models import CaseState
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["case", "line", "bundle"])
@pytest.mark.parametrize("value", ["abc", "1.5", "9" * 40, "²"])
def test_a_mangled_row_id_finds_nothing(ct, field, value):
    _ticket, case = serve(ct, ct.residence, at("2025-03-04 10:00"))
    action = {"case": "accept", "line": "promise", "bundle": "bundle"}[field]
    wendy = logged_in(ct.town.wendy)
    data = {"action": action, field: value, "promise_text": "下周带来", "promise_due": "2025-03-10"}
    response = wendy.post(f"/cases/{case.number}/act", data)
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.OPENED
