"""The window's matter weight says what it does, on the admin's window form (walk-through,
session 24, L2 with M8): '窗口事项 · 权重', default 1, with no word of its effect."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hotline.org.models import User

pytestmark = pytest.mark.django_db


def test_the_weight_has_help_text_in_both_languages(client, town):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    url = reverse("admin:hall_window_change", args=[town.w1.pk])
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "calls its matters of higher weight first" in english
    assert "service level" in english
    assert "本窗口先叫权重高的事项" in chinese
