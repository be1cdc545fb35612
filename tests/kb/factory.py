"""Articles made through the real actions."""

from __future__ import annotations

import datetime as dt

from hotline.kb import actions
from hotline.kb.actions import Content
from hotline.kb.models import Article
from hotline.org.models import Unit, User


def content(unit: Unit, **overrides) -> Content:
    fields = {
        "title": "低保申请条件和办理流程",
        "body": "<h2>申请条件</h2><p>家庭人均月收入低于本市最低生活保障标准。</p>"
        "<ul><li>户籍在本区</li><li>家庭财产符合规定</li></ul>",
        "unit": unit,
        "keywords": "低保,最低生活保障,救助",
        "source_name": "上海市最低生活保障办法",
        "source_number": "沪府令第21号",
        "effective_on": dt.date(2024, 1, 1),
        "review_by": dt.date(2026, 12, 31),
        "public": True,
    }
    fields.update(overrides)
    return Content(**fields)


def published(unit: Unit, author: User, reviewer: User, **overrides) -> Article:
    article = actions.create(author, content(unit, **overrides))
    actions.submit(article, author)
    actions.publish(article, reviewer)
    return article
