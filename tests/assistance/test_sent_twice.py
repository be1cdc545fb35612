"""A 帮办 or 代办 started from a form sent twice (Back and send again, a double click) is one
record; a refusal keeps the form's token, so the corrected form still starts one."""

from __future__ import annotations

import pytest

from hotline.assistance.models import Assistance
from tests.forms import logged_in, one_time_token, sent_twice
from tests.hall.conftest import make_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(district):
    return make_hall(district)


def test_a_help_sent_twice_is_one_record(town):
    data = {"kind": "help", "help-matters": [town.residence.pk], "help-citizen_name": "<i>张三</i>"}
    first, again = sent_twice(logged_in(town.wendy), "/assistance/", data)
    assert first.status_code == 302 and again.status_code == 200
    assert Assistance.objects.count() == 1
    page = again.content.decode()
    assert "<i>张" not in page  # the name is shown masked and escaped, never as markup


def test_a_refused_proxy_keeps_its_token_and_starts_once_corrected(town):
    hugo = logged_in(town.hugo)
    token = one_time_token(hugo.get("/assistance/"))
    data = {
        "kind": "proxy",
        "proxy-matters": [town.allowance.pk],
        "proxy-applicant_name": "王老伯",
        "proxy-authoriser_name": "王老伯",
        "proxy-authorisation_ref": "WT-2000-001",
        "proxy-authorised_until": "2000-01-01",  # long expired: the action refuses it
        "submission": token,
    }
    refused = hugo.post("/assistance/", data)
    assert refused.status_code == 422 and not Assistance.objects.exists()
    assert one_time_token(refused) == token
    data["proxy-authorised_until"] = "2099-12-31"
    assert hugo.post("/assistance/", data).status_code == 302
    assert hugo.post("/assistance/", data).status_code == 302
    assert Assistance.objects.count() == 1
