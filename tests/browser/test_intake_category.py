"""Olga registers a standard call from the keyboard and takes the suggested category (Alt+1).

The test also measures the call: keystrokes counted honestly (Chinese typed through a pinyin
input method: every letter of each character's pinyin, plus one key to pick each two-character
word from the candidates) and seconds, typing at a steady PACE per keystroke while the page does
its real work (caller history, similar orders, the street, the category suggestion). The figures
are printed for docs/benchmarks.md.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from pypinyin import lazy_pinyin

from hotline.dispatch import services
from hotline.dispatch.classifier import DispatchClassifier, Params
from hotline.dispatch.models import DispatchModel, Target
from hotline.dispatch.store import save_version
from hotline.orders.models import WorkOrder
from tests.conftest import at

pytestmark = pytest.mark.browser

#: Seconds per keystroke: a steady 300 keys a minute, an ordinary typist's pace.
PACE = 0.2

TRAINING = {
    "road": "人行道地砖松动、路面坑洼积水、人行道破损绊倒老人、道路塌陷一个大坑、盲道砖块缺失、"
    "马路开裂、人行道地砖翘起、路面破损下雨积水、窨井盖周边路面塌陷、道路坑洞很深",
    "noise": "工地夜间施工噪音、晚上十一点还在打桩、施工噪声扰民、凌晨工地施工、"
    "工地机器轰鸣到深夜、周末一早就施工、施工噪音影响休息、夜间渣土车作业很吵、隔壁工地夜里作业、工地噪声投诉",
    "pension": "高龄老人营养补贴怎么申请、老年人补贴何时发放、八十岁老人补贴标准、"
    "养老补贴没有到账、老人补贴申请材料、高龄津贴发放时间、老年补贴停发了、老人补贴怎么查询、养老服务补贴咨询、"
    "父亲满九十岁补贴",
}


def keystrokes(text: str) -> int:
    """Keys to type ``text``: ASCII as is; Chinese as full pinyin plus a pick per two characters."""
    count, run = 0, 0
    for char in text:
        if "\u4e00" <= char <= "\u9fff":
            count += len(lazy_pinyin(char)[0])
            run += 1
            continue
        count += (run + 1) // 2 + 1  # the picks for the run before, then this key
        run = 0
    return count + (run + 1) // 2


def type_in(page, selector: str, text: str, *, moves: int = 0) -> int:
    """Type like an operator: ``moves`` keys to reach the field (Tab), then ASCII key by key and
    each Chinese character after the time its keystrokes take. Returns the keystrokes."""
    page.wait_for_timeout(moves * PACE * 1000)
    page.locator(selector).focus()
    for char in text:
        if "\u4e00" <= char <= "\u9fff":
            page.wait_for_timeout((len(lazy_pinyin(char)[0]) + 0.5) * PACE * 1000)
            page.keyboard.insert_text(char)
        else:
            page.keyboard.type(char, delay=PACE * 1000)
    return moves + keystrokes(text)


@pytest.fixture
def category_model(town, settings, tmp_path) -> None:
    leaves = {"road": town.road, "noise": town.noise, "pension": town.pension}
    examples = {key: text.split("、") for key, text in TRAINING.items()}
    texts = [t for key in examples for t in examples[key]]
    labels = [leaves[key].code for key in examples for _t in examples[key]]
    model = DispatchClassifier(grid=(Params(char_ngram_max=2),), n_splits=3).fit(texts, labels)
    settings.DATA_DIR = tmp_path
    meta = save_version(
        model, tmp_path / "models" / "dispatch", at("2026-12-01 09:00"), target="category"
    )
    services.activate(
        DispatchModel.objects.create(
            version=meta["version"], target=Target.CATEGORY, training_size=len(texts)
        )
    )


def test_olga_registers_a_standard_call_with_the_suggested_category(town, open_as, category_model):
    olga = open_as(town.d.olga)
    olga.goto("/intake/")
    started = time.perf_counter()
    keys = type_in(olga, "#id_citizen_phone", "13671234567")
    keys += type_in(olga, "#id_citizen_name", "赵先生", moves=1)
    # Past anonymous, channel, kind and urgency (their defaults fit a phone complaint).
    keys += type_in(olga, "#id_title", "人行道地砖松动", moves=5)
    keys += type_in(
        olga, "#id_description", "西康路三百号门口人行道地砖松动，下雨积水，老人容易绊倒。", moves=1
    )
    keys += type_in(olga, "#id_address", "静安区西康路300号", moves=1)

    suggestion = olga.locator("[data-testid=category-suggestion]").first
    expect(suggestion).to_contain_text("道路破损")
    expect(suggestion).to_contain_text(re.compile(r"\d+%"))
    assert "0%" not in suggestion.inner_text().split()[-1][:2]
    olga.screenshot(path=str(_shots() / "intake.png"), full_page=True)
    olga.keyboard.press("Alt+1")
    keys += 1
    expect(olga.locator("#id_category")).to_have_value(str(town.road.pk))
    with olga.expect_navigation():
        olga.keyboard.press("Control+Enter")
    keys += 1
    seconds = time.perf_counter() - started

    order = WorkOrder.objects.get(title="人行道地砖松动", citizen_phone="13671234567")
    assert order.category == town.road
    expect(olga.locator("[data-testid=number]")).to_have_text(order.number)
    print(f"\nstandard call: {keys} keystrokes, {seconds:.1f} s at {PACE} s per keystroke")
    assert seconds < 60


def _shots():
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
