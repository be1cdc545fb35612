"""A superuser who lost the 管理员 role keeps no administrator's power outside the admin site
either (review of the attack report's finding 4, session 22): the hall's enrolment check trusted
``is_superuser``, the appointment slots Django's ``has_perm`` (every permission for a superuser)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from hotline.hall.actions import slots
from hotline.hall.actions.selfservice import may_enrol_at
from hotline.hall.rules import NotAllowed
from hotline.org.models import Role, User
from tests.hall.conftest import open_slot

MONDAY = dt.date(2023, 3, 13)


@pytest.fixture
def exadmin(town) -> User:
    call_command("createuser", "exadmin", "--role", "admin", "--password", "x-Long-enough-1")
    return User.objects.get(username="exadmin")


def _without_the_role(user: User) -> User:
    user.role_grants.filter(role=Role.ADMIN).delete()
    user = User.objects.get(pk=user.pk)
    assert user.is_superuser and user.is_staff and not user.roles
    return user


def test_an_administrator_enrols_machines_and_changes_slots(town, exadmin):
    assert may_enrol_at(exadmin, town.hall)
    slot = open_slot(town, MONDAY, capacity=3)
    slots.change_capacity(slot, 2, actor=exadmin)


def test_a_former_administrator_enrols_no_machine(town, exadmin):
    assert not may_enrol_at(_without_the_role(exadmin), town.hall)


def test_a_former_administrator_changes_no_slot(town, exadmin):
    former = _without_the_role(exadmin)
    slot = open_slot(town, MONDAY, capacity=3)
    with pytest.raises(NotAllowed):
        slots.change_capacity(slot, 2, actor=former)
