"""Removing a synonym group asks first: the first click shows the question (in place with HTMX,
as a page without script), only the confirmed sending removes it, once, with its event."""

from __future__ import annotations

import pytest
from django.utils import translation

from hotline.kb import actions
from hotline.kb.models import SynonymAction, SynonymEvent, SynonymGroup

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_one_click_on_remove_only_asks(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    row = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1"}, **HTMX)
    html = row.content.decode()
    assert row.status_code == 200 and 'data-testid="synonym-remove-confirm"' in html
    assert 'name="confirm"' in html and "户口 / 户籍" in html
    group.refresh_from_db()
    assert group.active and SynonymEvent.objects.filter(group=group).count() == 1
    # Keeping it puts the row back.
    kept = client.get(f"/kb/synonyms/{group.pk}/", **HTMX).content.decode()
    assert f'data-group="{group.pk}"' in kept and "synonym-remove-confirm" not in kept


def test_the_confirmed_removal_removes_once_with_its_event_and_reason(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    confirmed = {"version": "1", "confirm": "1", "reason": "与户籍管理无关"}
    page = client.post(f"/kb/synonyms/{group.pk}/remove", confirmed, **HTMX)
    assert page.status_code == 200 and page.content == b""
    group.refresh_from_db()
    assert not group.active
    event = SynonymEvent.objects.get(group=group, action=SynonymAction.REMOVE)
    assert event.actor == rita and event.reason == "与户籍管理无关"
    # The same confirmation sent again (a double click) changes nothing more.
    again = client.post(f"/kb/synonyms/{group.pk}/remove", confirmed)
    assert again.status_code == 404
    assert SynonymEvent.objects.filter(group=group).count() == 2


def test_without_script_the_question_is_a_page(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    page = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="synonym-remove-confirm"' in html
    assert "<html" in html and 'href="/kb/synonyms/"' in html
    assert SynonymGroup.objects.get().active
    done = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1", "confirm": "1"})
    assert done.status_code == 302 and not SynonymGroup.objects.get().active


def test_a_stale_confirmation_removes_nothing(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    actions.edit_group(group, rita, "户口/户籍/户口簿")  # changed since the question was shown
    client.force_login(rita)
    client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1", "confirm": "1"})
    assert SynonymGroup.objects.get().active


def test_a_junk_version_is_no_server_error(client, district, rita):
    group = actions.create_group(rita, "户口/户籍")
    client.force_login(rita)
    page = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "²", "confirm": "1"})
    assert page.status_code in (200, 302)


def test_a_stale_confirmation_in_the_row_asks_again_in_the_row(client, district, rita):
    # Redirecting an HTMX post put the whole synonyms page inside the table row.
    group = actions.create_group(rita, "户口/户籍")
    actions.edit_group(group, rita, "户口/户籍/户口簿")
    client.force_login(rita)
    row = client.post(f"/kb/synonyms/{group.pk}/remove", {"version": "1", "confirm": "1"}, **HTMX)
    html = row.content.decode()
    assert row.status_code == 200 and "<html" not in html
    assert 'data-testid="synonym-remove-confirm"' in html and "户口 / 户籍 / 户口簿" in html
    assert 'name="version" value="2"' in html and 'role="alert"' in html
    assert SynonymGroup.objects.get().active
