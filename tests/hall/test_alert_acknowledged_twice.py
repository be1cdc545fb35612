"""Hugo's 'Acknowledge' sent twice (a double click, the page's poll racing the click, Back and
again) answered '该预警已确认。' in red above the board, as if something had gone wrong, though
the first sending had acknowledged it. His own second acknowledgement is no error; another
manager's still reads as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.hall import actions, alerts
from hotline.hall.models import Alert
from hotline.org.models import Role
from tests.conftest import at, make_user

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans", "HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alert(town) -> Alert:
    actions.issue(town.hall, town.residence)  # one waiting, no window open: critical
    [raised] = alerts.evaluate(town.hall)
    return raised


def _ack(client, town, alert):
    url = reverse("hall:acknowledge", args=[town.hall.code, alert.pk])
    return client.post(url, **ZH).content.decode()


def test_hugos_second_acknowledgement_is_no_error(client, town, alert):
    client.force_login(town.hugo)
    first = _ack(client, town, alert)
    second = _ack(client, town, alert)
    assert 'data-acknowledged="yes"' in first and 'data-acknowledged="yes"' in second
    assert 'role="alert"' not in first
    assert 'role="alert"' not in second
    assert Alert.objects.get().acknowledged_by == town.hugo


def test_another_managers_acknowledgement_after_hugos_still_says_so(client, town, alert):
    deputy = make_user("deputy-dnl", town.hall.unit, Role.HALL_MANAGER)
    alerts.acknowledge(alert, town.hugo, now=at("2023-03-09 10:01"))
    client.force_login(deputy)
    page = _ack(client, town, alert)
    assert 'role="alert"' in page and "该预警已确认" in page
    assert Alert.objects.get().acknowledged_by == town.hugo
