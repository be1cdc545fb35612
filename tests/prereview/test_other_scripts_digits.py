"""The portal's pre-review filings per mobile number (5 a day) count one number however its
digits are typed: before, the same number in Arabic-Indic or Devanagari digits was a new phone to
the limit, and each filing texted it (attack report, session 19)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.hall.test_other_scripts_digits import MOBILE, spellings
from tests.prereview.conftest import pdf


@pytest.mark.django_db
def test_the_per_phone_filing_limit_holds_across_spellings(pt, settings):
    settings.PORTAL_SUBMITS_PER_PHONE_DAY = 1
    settings.PORTAL_SUBMITS_PER_IP_HOUR = 100  # only the number's limit is asked about
    url = f"/portal/prereview/new/{pt.hall.code}/{pt.residence.code}/"

    def send(phone: str, name: str) -> int:
        # A fresh browser each time: only the number ties the sendings together.
        data = {"name": "陈丽", "phone": phone, f"material_{pt.id_card.pk}": pdf(name)}
        return Client().post(url, data).status_code

    assert send(MOBILE, "a.pdf") == 302
    for i, typed in enumerate(spellings(MOBILE)):
        assert send(typed, f"{i}.pdf") == 429, typed
