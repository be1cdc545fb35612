"""The reviewer's synonyms page through the client: list, add, edit in place, remove, import,
export; nobody else opens it."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from hotline.kb import actions
from hotline.kb.models import SynonymEvent, SynonymGroup


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_reviewer_adds_a_group_and_sees_it_listed(client, district, rita):
    client.force_login(rita)
    page = client.post("/kb/synonyms/new", {"terms": "户口、户籍/户口簿", "reason": "台北说户籍"})
    assert page.status_code == 302
    group = SynonymGroup.objects.get()
    assert group.terms == ["户口", "户籍", "户口簿"]
    listing = client.get("/kb/synonyms/").content.decode()
    assert "户口 / 户籍 / 户口簿" in listing and "同义词" in listing
    assert "台北说户籍" in listing  # the recent changes say why


def test_the_recent_changes_read_without_half_width_marks(client, district, rita):
    actions.create_group(rita, "户口/户籍", reason="台北说户籍")
    client.force_login(rita)
    listing = client.get("/kb/synonyms/").content.decode()
    changes = listing.split('data-testid="synonym-events"')[1].split("</ul>")[0]
    assert "户口/户籍" in changes and "台北说户籍" in changes
    assert ": " not in changes and "(" not in changes


def test_a_group_of_one_term_comes_back_with_the_error(client, district, rita):
    client.force_login(rita)
    page = client.post("/kb/synonyms/new", {"terms": "户口"})
    assert page.status_code == 400 and not SynonymGroup.objects.exists()
    assert "至少" in page.content.decode()


def test_editing_in_place_swaps_the_row_for_a_form_and_back(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    form = client.get(f"/kb/synonyms/{group.pk}/edit", **HTMX).content.decode()
    assert form.startswith("<tr") and "<html" not in form and 'value="户口/户籍"' in form
    row = client.post(
        f"/kb/synonyms/{group.pk}/edit",
        {"terms": "户口/户籍/户口本", "one_way": "on", "version": "1"},
        **HTMX,
    ).content.decode()
    assert row.startswith("<tr") and "户口 / 户籍 / 户口本" in row and "单向" in row
    group.refresh_from_db()
    assert group.one_way and group.version == 2


def test_without_script_editing_is_a_page(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    assert "<html" in client.get(f"/kb/synonyms/{group.pk}/edit").content.decode()
    page = client.post(f"/kb/synonyms/{group.pk}/edit", {"terms": "户口/户籍/户口本"})
    assert page.status_code == 302 and page["Location"] == "/kb/synonyms/"


def test_removing_takes_the_row_out(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    page = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1", "confirm": "1"}, **HTMX)
    assert page.status_code == 200 and page.content == b""
    assert "户口 / 户籍" not in client.get("/kb/synonyms/").content.decode()
    assert SynonymEvent.objects.filter(group=group).count() == 2


@pytest.mark.parametrize("who", ["una", "olga", "victor", "ada"])
def test_nobody_but_the_reviewer_opens_or_changes_the_list(client, district, rita, who):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(getattr(district, who))
    assert client.get("/kb/synonyms/").status_code == 403
    assert client.post("/kb/synonyms/new", {"terms": "甲/乙"}).status_code == 403
    assert client.post(f"/kb/synonyms/{group.pk}/remove").status_code == 403
    assert client.get("/kb/synonyms/export.csv").status_code == 403
    assert SynonymGroup.objects.filter(active=True).count() == 1


def test_an_import_is_all_or_nothing_and_an_export_imports_back(client, district, rita):
    client.force_login(rita)
    bad = io.BytesIO("terms,one_way\n户口/户籍,no\n只有一个,no\n".encode())
    bad.name = "list.csv"
    client.post("/kb/synonyms/import", {"file": bad})
    assert not SynonymGroup.objects.exists()
    good = io.BytesIO("terms,one_way\n户口/户籍,no\n带什么/检附/应备,是\n".encode())
    good.name = "list.csv"
    client.post("/kb/synonyms/import", {"file": good})
    assert [(g.terms, g.one_way) for g in SynonymGroup.objects.order_by("pk")] == [
        (["户口", "户籍"], False),
        (["带什么", "检附", "应备"], True),
    ]
    exported = client.get("/kb/synonyms/export.csv").content.decode("utf-8-sig")
    assert exported.splitlines() == ["terms,one_way", "户口/户籍,no", "带什么/检附/应备,yes"]


def test_the_default_list_button_adds_the_shipped_groups(client, district, rita):
    client.force_login(rita)
    client.post("/kb/synonyms/defaults")
    assert SynonymGroup.objects.count() == 70


def test_the_page_reads_in_english_too(client, district, rita):
    actions.create_group(rita, "带什么/检附", one_way=True)
    client.force_login(rita)
    with translation.override("en"):
        page = client.get("/kb/synonyms/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Add a group" in page and "one way, from 带什么" in page
