"""Ada reads the appointment slots (and a booking's history) in the admin in Chinese. Before, the
slot list's first two columns were headed HALL and MATTER in English (the model's hall and matter
had no translated names), as were a booking's slot, ticket and booked-by fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse
from django.utils import translation

from hotline.hall.models import Appointment, AppointmentEvent, AppointmentSlot
from hotline.org.models import User
from tests.hall.conftest import open_slot


@pytest.fixture
def ada_in_admin(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def _headers(response) -> list[str]:
    return [str(h["text"]) for h in result_headers(response.context["cl"])]


def test_the_slot_list_is_headed_in_chinese(ada_in_admin, town):
    open_slot(town, dt.date(2023, 3, 10))
    response = ada_in_admin.get(
        reverse("admin:hall_appointmentslot_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 200
    assert _headers(response)[1:3] == ["大厅", "事项"]  # after the select-all box


@pytest.mark.parametrize(
    ("model", "field", "name"),
    [
        (AppointmentSlot, "hall", "大厅"),
        (AppointmentSlot, "matter", "事项"),
        (Appointment, "slot", "预约时段"),
        (Appointment, "ticket", "号票"),
        (Appointment, "changed_at", "变更时间"),
        (AppointmentEvent, "from_state", "原状态"),
        (AppointmentEvent, "to_state", "新状态"),
    ],
)
def test_the_booking_fields_have_chinese_names(model, field, name):
    with translation.override("zh-hans"):
        assert str(model._meta.get_field(field).verbose_name) == name
