"""Intake's knowledge-base suggestions from the description alone (h5 L2): with "小区门口路灯坏了
一个星期，晚上很黑，老人走路不安全。" and no title yet, the five suggestions were about elderly
allowances, lifts and residence permits (the description's everyday words); the article about
street lamps came first only once a title naming it was typed. The subject the category model
names for the text (the category suggestion beside the form) is searched too, and suggestions
scoring under half the best are left out."""

from __future__ import annotations

import re

import pytest

from hotline.dispatch import services
from tests.kb.factory import published

DESCRIPTION = "小区门口晚上很黑，老人走路不安全，已经一个星期了。"


@pytest.fixture
def articles(district, rita):
    lamp = published(
        district.street,
        district.una,
        rita,
        title="路灯损坏的受理要点",
        keywords="路灯损坏",
        body="<p>问清具体地址和发生时间，转责任单位处理。</p>",
        public=False,
    )
    allowance = published(
        district.bureau,
        district.victor,
        rita,
        title="老年人补贴的申请条件",
        keywords="老年人补贴",
        body="<p>年满65周岁的老人可以申请，由居委会初审。</p>",
    )
    return lamp, allowance


def suggested(client, district, **fields) -> list[int]:
    """The suggested articles, in the order shown."""
    client.force_login(district.olga)
    html = client.get("/kb/suggest", fields).content.decode()
    return [int(pk) for pk in re.findall(r'data-testid="kb-suggestion" data-article="(\d+)"', html)]


def test_the_description_s_subject_finds_its_article_before_any_title(
    client, district, articles, monkeypatch
):
    lamp, _allowance = articles
    monkeypatch.setattr(
        services, "suggest_categories", lambda title, description: [(district.category, 0.99)]
    )
    shown = suggested(client, district, title="", description=DESCRIPTION)
    assert shown and shown[0] == lamp.pk


def test_no_confident_subject_searches_the_words_alone(client, district, articles, monkeypatch):
    _lamp, allowance = articles
    monkeypatch.setattr(services, "suggest_categories", lambda title, description: [])
    assert suggested(client, district, title="", description=DESCRIPTION) == [allowance.pk]
