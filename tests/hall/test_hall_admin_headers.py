"""Ada reads the self-service uses and a window's matters in the Chinese admin. Before, the uses'
list had a column headed HALL and a window's "matters served" rows WINDOW / MATTER in English:
the fields had no translated names (as the appointment slots' had not, test_slot_admin_headers)."""

from __future__ import annotations

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse
from django.utils import translation

from hotline.hall.models import SelfServiceUse, WindowMatter
from hotline.org.models import User


@pytest.fixture
def ada_in_admin(client, db):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    return client


def test_the_self_service_uses_are_headed_in_chinese(ada_in_admin, town):
    response = ada_in_admin.get(
        reverse("admin:hall_selfserviceuse_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    headers = [str(h["text"]) for h in result_headers(response.context["cl"])]
    assert "大厅" in headers and "hall" not in headers


@pytest.mark.parametrize(
    ("model", "field", "name"),
    [
        (WindowMatter, "window", "窗口"),
        (WindowMatter, "matter", "事项"),
        (SelfServiceUse, "hall", "大厅"),
    ],
)
def test_the_fields_have_chinese_names(model, field, name):
    with translation.override("zh-hans"):
        assert str(model._meta.get_field(field).verbose_name) == name
