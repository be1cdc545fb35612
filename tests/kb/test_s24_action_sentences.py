"""The knowledge base's actions say what was done in a sentence, and publishing asks first (h5,
session 24, L7: the flash said just '发布', and publishing was one click)."""

from __future__ import annotations

import re

from hotline.kb import actions
from tests.kb.factory import content


def _flash(client, url: str, data: dict) -> str:
    page = client.post(url, data, follow=True).content.decode()
    found = re.search(r'<ul class="messages">(.*?)</ul>', page, re.S)
    assert found, "no message"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_each_action_is_said_in_a_sentence(client, district, rita):
    article = actions.create(district.una, content(district.street))
    client.force_login(district.una)
    url = f"/kb/{article.pk}/act/"
    assert _flash(client, url + "submit", {"version": article.version}) == "已提交审核。"
    client.force_login(rita)
    article.refresh_from_db()
    page = client.get(f"/kb/{article.pk}/").content.decode()
    # Publishing asks first: the button opens the question, the form's button says yes.
    confirm = re.search(
        r'<details class="kb-confirm" data-confirm="publish">.*?</details>', page, re.S
    )
    assert confirm, "publishing does not ask"
    assert "门户网站" in confirm.group(0) and 'data-action="publish"' in confirm.group(0)
    assert ">确认发布<" in confirm.group(0)
    said = _flash(client, url + "publish", {"version": article.version})
    assert said == "已发布，市民可在门户网站查到。"
    article.refresh_from_db()
    said = _flash(client, url + "retire", {"version": article.version, "reason": "政策已废止"})
    assert said == "已废止。"


def test_an_internal_article_is_published_for_staff(client, district, rita):
    article = actions.create(rita, content(district.street, public=False))
    client.force_login(rita)
    page = client.get(f"/kb/{article.pk}/").content.decode()
    assert "话务员和承办单位" in page
    said = _flash(client, f"/kb/{article.pk}/act/publish", {"version": article.version})
    assert said == "已发布，话务员和承办单位可以查到。"
