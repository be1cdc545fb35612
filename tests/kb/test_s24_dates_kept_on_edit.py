"""An article's dates survive an edit in Chinese (walk-through, session 24, H3).

The date boxes rendered zh-Hans dates ("2026/12/31"), which a browser's date box cannot show: the
boxes came up empty, and saving the form as rendered dropped the effective and review dates.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.kb.factory import published


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_edit_form_sent_back_as_rendered_keeps_the_articles_dates(
    client, district, rita, language
):
    article = published(district.bureau, district.victor, rita)
    client.force_login(district.victor)
    page = client.get(f"/kb/{article.pk}/edit", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    def shown(name: str) -> str:
        box = re.search(rf'<input type="date" name="{name}"[^>]*>', page)
        assert box, name
        value = re.search(r'value="([^"]*)"', box.group(0))
        return value.group(1) if value else ""

    assert shown("effective_on") == "2024-01-01"
    assert shown("review_by") == "2026-12-31"

    sent = client.post(
        f"/kb/{article.pk}/edit",
        {
            "title": article.head.title,
            "body": "<p>家庭人均月收入低于1510元。</p>",
            "keywords": "低保",
            "unit": district.bureau.pk,
            "reason": "2025年标准调整",
            "public": "on",
            "version": article.version,
            "effective_on": shown("effective_on"),
            "review_by": shown("review_by"),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert sent.status_code == 302
    article.refresh_from_db()
    assert article.head.number == 2
    assert article.head.effective_on == dt.date(2024, 1, 1)
    assert article.head.review_by == dt.date(2026, 12, 31)
