"""The QR page of a served visit shows the rating form (its own phone field, for a 差评's
rectification) and, below it, "text me the link" (another phone field). Both were id="id_phone":
invalid HTML, and a tap on the second label focused the first input (r1 leftover, session 27)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_id_on_the_visit_page_is_one_element(town):
    ticket = town.serve("2023-03-09 10:00")
    page = Client().get(f"/ratings/visit/{ticket.token}/").content.decode()
    assert 'data-testid="rate-form"' in page and 'id="sms-link"' in page
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    # The "text me the link" field is its own, and it still posts as phone.
    assert re.search(r'<input type="tel" name="phone"[^>]*id="id_sms_phone"', page)
