"""Intake suggests the category from the text as Olga types it: the category model's first
choice when it is confident and the text is like what it learnt from; never a guess."""

from __future__ import annotations

import functools
import re

import pytest
from django.urls import reverse

from hotline.dispatch import services
from hotline.dispatch.classifier import DispatchClassifier, Params
from hotline.dispatch.models import DispatchModel, Target
from hotline.dispatch.store import save_version
from hotline.org.models import Category
from tests.conftest import at

TEXTS = {
    "cxjs-szss-ldbl": [
        "小区门口路灯不亮",
        "江宁路的路灯坏了晚上很黑",
        "路灯一直闪烁",
        "弄堂里路灯不亮了",
        "路口路灯白天也亮着",
        "路灯杆倾斜快倒了",
        "昌平路路灯全部不亮",
        "路灯灯罩掉下来",
        "人行道边路灯不亮很危险",
        "公园门口的路灯坏了",
    ],
    "hjbh-zsxr-sgzs": [
        "工地夜间施工噪音很大",
        "晚上十一点还在打桩",
        "施工噪声扰民睡不着",
        "凌晨工地还在施工",
        "夜里工地机器轰鸣",
        "工地周末一大早就施工",
        "施工噪音影响孩子学习",
        "深夜渣土车施工声音大",
        "隔壁工地夜间作业",
        "施工单位夜间噪音投诉",
    ],
    "zwfw-gjj-tq": [
        "咨询公积金提取手续",
        "租房怎么提取公积金",
        "公积金提取需要什么材料",
        "退休后提取公积金",
        "公积金提取到账时间",
        "离职后公积金怎么提取",
        "买房提取公积金流程",
        "公积金提取被拒绝",
        "公积金提取额度是多少",
        "异地公积金提取咨询",
    ],
}


@pytest.fixture
def category_model(district, settings, tmp_path) -> None:
    names = {"cxjs-szss-ldbl": "路灯不亮", "hjbh-zsxr-sgzs": "施工噪声", "zwfw-gjj-tq": "提取"}
    for code, name in names.items():
        top, _ = Category.objects.get_or_create(code=code[:4], defaults={"name": code[:4]})
        mid, _ = Category.objects.get_or_create(
            code=code[:9], defaults={"name": code[:9], "parent": top}
        )
        Category.objects.get_or_create(code=code, defaults={"name": name, "parent": mid})
    model, size = _fitted()
    settings.DATA_DIR = tmp_path
    meta = save_version(
        model, tmp_path / "models" / "dispatch", at("2026-12-01 09:00"), target="category"
    )
    row = DispatchModel.objects.create(
        version=meta["version"], target=Target.CATEGORY, training_size=size
    )
    services.activate(row)


@functools.cache
def _fitted() -> tuple[DispatchClassifier, int]:
    """The category model, trained once per test run (as tests/dispatch/guard.py's models): the
    same texts give the same model, and saving it does not change it; each test trained it."""
    texts = [t for texts in TEXTS.values() for t in texts]
    labels = [code for code, texts in TEXTS.items() for _t in texts]
    model = DispatchClassifier(grid=(Params(char_ngram_max=2),), n_splits=3).fit(texts, labels)
    return model, len(texts)


def _suggest(client, title: str, description: str = "") -> str:
    url = reverse("category_suggestion")
    return client.get(url, {"title": title, "description": description}).content.decode()


def test_olga_gets_the_category_of_what_she_is_typing(client, district, category_model):
    client.force_login(district.olga)
    page = _suggest(client, "路灯不亮", "江宁路 500 号门口的路灯坏了，晚上很黑")
    first = re.search(r'data-pick-category="(\d+)"[^>]*>([^<]+)<span[^>]*>(\d+)%', page)
    assert first, page
    assert Category.objects.get(pk=first.group(1)).code == "cxjs-szss-ldbl"
    assert int(first.group(3)) >= 50  # the floor: never a "0%" or a coin toss


@pytest.mark.parametrize("typed", ["你好", "asdf", "谢谢你们", ""])
def test_no_suggestion_for_text_unlike_anything_learnt(client, district, category_model, typed):
    client.force_login(district.olga)
    assert "data-pick-category" not in _suggest(client, typed)


def test_without_a_category_model_there_is_no_suggestion(client, district):
    client.force_login(district.olga)
    assert "data-pick-category" not in _suggest(client, "路灯不亮", "江宁路的路灯坏了")


def test_only_intake_staff_may_ask(client, district, category_model):
    client.force_login(district.una)
    assert client.get(reverse("category_suggestion"), {"title": "路灯"}).status_code == 403


def test_the_demo_trains_no_model_from_a_test_sized_district(district):
    services.train_demo_models(lambda message: None)
    assert not DispatchModel.objects.exists()
