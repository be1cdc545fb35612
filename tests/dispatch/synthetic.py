"""A small labelled set of citizen complaints, generated: six units, templated texts.

Each unit has its own issues; places, openings and requests are shared by all units, so only the
issue tells the unit. A third of the texts are in Traditional characters (converted with OpenCC),
as a district near Hong Kong or Taiwan would receive.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import opencc

UNITS: dict[str, list[str]] = {
    "区城管局": [
        "占道经营",
        "违章搭建",
        "乱摆摊点",
        "店外堆放杂物",
        "夜市摊贩占用人行道",
        "广告牌乱挂",
    ],
    "区生态环境局": [
        "工厂排放废气",
        "饭店油烟扰民",
        "河道污水直排",
        "施工噪音扰民",
        "焚烧垃圾冒黑烟",
        "化工厂异味",
    ],
    "区交通运输局": [
        "公交车不停站",
        "出租车拒载",
        "红绿灯坏了",
        "道路坑洼积水",
        "共享单车乱停放",
        "网约车乱收费",
    ],
    "区住房和城乡建设局": [
        "电梯经常故障",
        "物业不作为",
        "楼顶漏水",
        "小区燃气管道老化",
        "外墙瓷砖脱落",
        "维修基金使用不透明",
    ],
    "区人力资源和社会保障局": [
        "公司拖欠工资",
        "单位不缴社保",
        "加班不给加班费",
        "被无故辞退",
        "不签劳动合同",
        "养老金迟迟未发",
    ],
    "区市场监督管理局": [
        "超市卖过期食品",
        "商家价格欺诈",
        "药店卖假药",
        "餐馆卫生很差",
        "网店虚假宣传",
        "充值卡不退款",
    ],
}
PLACES = [
    "幸福小区",
    "人民路",
    "江宁路",
    "学校门口",
    "菜市场旁边",
    "地铁站附近",
    "东门街道",
    "工业园区",
]
OPENINGS = ["", "市民反映：", "您好，", "来电人称", "投诉："]
REQUESTS = ["，希望尽快处理。", "，请有关部门管一管。", "，已经很久了。", "，要求给个说法。", "。"]

_S2T = opencc.OpenCC("s2t")


def complaint(unit: str, rng: random.Random) -> str:
    issue = rng.choice(UNITS[unit])
    return f"{rng.choice(OPENINGS)}{rng.choice(PLACES)}{issue}{rng.choice(REQUESTS)}"


def traditional(text: str) -> str:
    return _S2T.convert(text)


def labelled(per_unit: int, seed: int) -> tuple[list[str], list[str]]:
    """``per_unit`` complaints for each unit, shuffled; one in three in Traditional characters."""
    rng = random.Random(seed)
    rows = []
    for unit in UNITS:
        for i in range(per_unit):
            text = complaint(unit, rng)
            rows.append((traditional(text) if i % 3 == 0 else text, unit))
    rng.shuffle(rows)
    return [t for t, _ in rows], [u for _, u in rows]


def write_csv(path: Path, texts: list[str], labels: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels, strict=True))
    return path
