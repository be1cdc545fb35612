"""Ada sets a deadline policy's rules in the admin, tired: a first contact due after the reply
(15 typed in the first-contact column) was saved, and every order of that policy would have had
its first contact judged late only after its reply was already due."""

from __future__ import annotations

import pytest
from django.test import Client

from hotline.org.models import User
from hotline.sla.models import Basis, DeadlinePolicy, DeadlineRule, Urgency


def _post(client: Client, policy: DeadlinePolicy, first_contact: int, reply: int):
    return client.post(
        f"/admin/sla/deadlinepolicy/{policy.pk}/change/",
        {
            "code": policy.code,
            "name": policy.name,
            "description": "",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-0-urgency": Urgency.NORMAL,
            "rules-0-basis": Basis.WORKING_DAYS,
            "rules-0-accept": "1",
            "rules-0-first_contact": str(first_contact),
            "rules-0-reply": str(reply),
            "rules-0-return_window": "2",
            "rules-0-callback": "2",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


@pytest.fixture
def ada(client: Client, db) -> Client:
    client.force_login(User.objects.create_superuser("ada", password="pw"))
    return client


def test_a_first_contact_due_after_the_reply_is_refused(ada):
    policy = DeadlinePolicy.objects.create(code="std", name="一般诉求")
    response = _post(ada, policy, first_contact=15, reply=5)
    assert response.status_code == 200
    assert "先行联系时限不能晚于办结时限" in response.content.decode()
    assert not DeadlineRule.objects.exists()


def test_a_first_contact_due_with_the_reply_is_kept(ada):
    policy = DeadlinePolicy.objects.create(code="std", name="一般诉求")
    assert _post(ada, policy, first_contact=5, reply=5).status_code == 302
    assert DeadlineRule.objects.get().first_contact == 5
