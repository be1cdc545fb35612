"""Numbers in knowledge-base URLs and forms that are not ids (a superscript digit, a number too
long for the database) are ignored or not found, never a server error."""

from __future__ import annotations

import pytest

from hotline.kb.assist import answer_source
from tests.kb.factory import published

JUNK = ["²", "١", "9" * 30]


@pytest.fixture
def article(district, rita):
    return published(district.bureau, district.victor, rita)


@pytest.mark.parametrize("junk", JUNK)
def test_junk_numbers_in_staff_pages_are_no_server_error(client, district, rita, article, junk):
    client.force_login(rita)
    for url, params in [
        ("/kb/", {"category": junk}),
        ("/kb/", {"unit": junk}),
        (f"/kb/{article.pk}/", {"revision": junk}),
        (f"/kb/{article.pk}/diff", {"a": junk}),
        (f"/kb/{article.pk}/diff", {"b": junk}),
        ("/kb/new", {"task": junk}),
    ]:
        assert client.get(url, params).status_code in (200, 404), (url, params)
    retire = client.post(f"/kb/{article.pk}/act/retire", {"reason": "政策到期", "version": junk})
    assert retire.status_code == 302


@pytest.mark.parametrize("junk", JUNK)
def test_a_junk_article_id_posted_with_an_intake_answer_names_no_article(district, junk):
    assert answer_source(district.olga, {"kb_article": junk, "kb_revision": "1"}) == {}
    assert answer_source(district.olga, {"kb_article": "1", "kb_revision": junk}) == {}
