"""A matter's queue group is the start of its ticket numbers, and the board says it letter by
letter. Before, the catalogue took any text: a spreadsheet row with "a" made a queue of its own
beside "A", whose a001 the board announced as A001 — two citizens called by the same number —
and "I1", "甲" or "A B" gave numbers the voice could not say. The admin and the import both refuse
anything but one to three capital letters without I and O, on its row and column."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from hotline.interchange.tables import read_table
from hotline.matters.interchange import import_matters
from hotline.matters.models import Matter
from hotline.org.models import User
from tests.matters.test_catalogue_admin import MATTER

pytestmark = pytest.mark.django_db


def table(text: str):
    return read_table(io.BytesIO(text.encode()), "csv")


@pytest.mark.parametrize("group", ["a", "I", "O", "甲", "A B", "ABCD", "A1", "<b>"])
def test_the_import_refuses_a_queue_group_the_board_cannot_call(district, group):
    report = import_matters(
        table(f"code,name,queue_group\njzz,居住证办理,A\nlnjt,老年津贴,{group}\n")
    )
    assert {(e.row, e.column) for e in report.errors} == {(3, "queue_group")}
    assert not Matter.objects.exists()


@pytest.mark.parametrize("group", ["A", "B", "ZZ", "ABC"])
def test_the_import_keeps_a_good_queue_group(district, group):
    assert import_matters(table(f"code,name,queue_group\njzz,居住证办理,{group}\n")).ok
    assert Matter.objects.get().queue_group == group


def test_the_admin_refuses_a_lower_case_queue_group(client):
    client.force_login(User.objects.create_superuser("ada-admin", password="pw"))
    response = client.post(reverse("admin:matters_matter_add"), MATTER | {"queue_group": "a"})
    assert response.status_code == 200
    assert "queue_group" in response.context["adminform"].form.errors
    assert not Matter.objects.exists()
