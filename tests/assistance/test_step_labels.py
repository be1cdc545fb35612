"""Hugo's 代办 row offers the step by which he says the application was lodged. Its button read
提交时间 ('submission time': the msgid 'Submitted' is the portal's column of when an order came
in); it now reads 已代为递交 (the message with a context), 'Submitted' in English."""

from __future__ import annotations

import re

import pytest

from hotline.assistance.models import Assistance
from tests.forms import logged_in
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


def test_the_lodged_step_says_so_in_each_language(district):
    town = make_hall(district)
    hugo = logged_in(town.hugo)
    hugo.post(
        "/assistance/",
        {
            "kind": "proxy",
            "proxy-matters": [town.allowance.pk],
            "proxy-applicant_name": "王老伯",
            "proxy-authoriser_name": "王老伯",
            "proxy-authorisation_ref": "WT-2099-001",
            "proxy-authorised_until": "2099-12-31",
        },
    )
    record = Assistance.objects.get()
    hugo.post(f"/assistance/{record.pk}/accept", {})
    button = re.compile(r'data-action="submit">([^<]+)</button>')
    zh = button.search(hugo.get("/assistance/").content.decode())
    assert zh and zh.group(1) == "已代为递交", zh
    en = button.search(hugo.get("/assistance/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert en and en.group(1) == "Submitted", en
