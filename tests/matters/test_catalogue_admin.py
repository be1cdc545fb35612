"""Ada keeps the matter catalogue in the admin, which checks what the spreadsheet import checks: a
promised limit beyond the statutory one, a limit beyond 999 working days, and a bundle (一件事)
of one matter are refused on their field and nothing is saved. Before, the admin saved them (the
import refused the same rows)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.matters.models import Bundle, Matter
from hotline.org.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


MATTER = {
    "code": "shtt-zc",
    "name": "社会团体章程核准",
    "kind": "promised",
    "statutory_days": "20",
    "promised_days": "10",
    "visits": "1",
    "queue_group": "C",
    "service_minutes": "10",
    "appointment_allowed": "on",
    "active": "on",
    "materials-TOTAL_FORMS": "0",
    "materials-INITIAL_FORMS": "0",
}


def _add_matter(client, **fields):
    return client.post(reverse("admin:matters_matter_add"), MATTER | fields)


def test_a_good_matter_is_saved(ada):
    assert _add_matter(ada).status_code == 302
    assert Matter.objects.get().promised_days == 10


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"promised_days": "30"}, "promised_days"),
        ({"statutory_days": "40000", "promised_days": "10"}, "statutory_days"),
        ({"statutory_days": "0", "promised_days": "5000"}, "promised_days"),
    ],
)
def test_a_matters_limits_that_cannot_be_are_refused(ada, fields, field):
    response = _add_matter(ada, **fields)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Matter.objects.exists()


def test_a_bundle_of_one_matter_is_refused(ada):
    one = Matter.objects.create(code="shtt-zc", name="社会团体章程核准")
    two = Matter.objects.create(code="shtt-bg", name="社会团体变更登记")
    url = reverse("admin:matters_bundle_add")
    data = {"code": "shtt", "name": "三联办", "matters": [one.pk], "active": "on"}
    response = ada.post(url, data)
    assert response.status_code == 200
    assert "matters" in response.context["adminform"].form.errors
    assert not Bundle.objects.exists()
    data["matters"] = [one.pk, two.pk]
    assert ada.post(url, data).status_code == 302
    assert Bundle.objects.get().matters.count() == 2
