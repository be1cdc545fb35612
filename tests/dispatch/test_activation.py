"""Exactly one model per target is active; the admin's "activate" action switches versions."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from hotline.dispatch import services
from hotline.dispatch.models import DispatchModel
from hotline.org.models import User
from tests.conftest import at
from tests.dispatch.guard import recorded_model


@pytest.fixture
def versions(db):
    return [
        DispatchModel.objects.create(version="v1", active=True),
        DispatchModel.objects.create(version="v2"),
        DispatchModel.objects.create(version="c1", target="category", active=True),
    ]


def active() -> set[str]:
    return set(DispatchModel.objects.filter(active=True).values_list("version", flat=True))


def test_activating_a_version_retires_the_previous_one_of_its_target(versions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    services.activate(versions[1])
    assert active() == {"v2", "c1"}
    assert services.active_version() == "v2"


def test_the_database_refuses_two_active_models_for_one_target(versions):
    with pytest.raises(IntegrityError), transaction.atomic():
        DispatchModel.objects.filter(version="v2").update(active=True)


def test_the_admin_action_activates_the_chosen_model(client, versions, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    # A version with its files (the admin refuses one without: tests/dispatch/test_rollback.py).
    chosen = recorded_model(tmp_path, at("2024-06-01 09:00"), at("2024-06-01 00:00"))
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    response = client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": "activate", "_selected_action": [chosen.pk]},
    )
    assert response.status_code == 302
    assert active() == {chosen.version, "c1"}


def test_the_admin_refuses_two_models_of_one_target_at_once(client, versions):
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    client.post(
        reverse("admin:dispatch_dispatchmodel_changelist"),
        {"action": "activate", "_selected_action": [versions[0].pk, versions[1].pk]},
    )
    assert active() == {"v1", "c1"}
