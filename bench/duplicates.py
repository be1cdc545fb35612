"""Duplicate detection (重复件): precision, recall and lookup latency, as one JSON line.

    python bench/duplicates.py [--orders 100000] [--streets 60] [--seed 7]

Builds a throwaway SQLite database under a temporary HOTLINE_DATA_DIR (migrated from scratch) and
fills it deterministically with ``--orders`` orders registered over the last 30 days, spread over
``--streets`` streets (about 1,700 per street at the defaults, a city-wide hotline). The background
orders are written with ``bulk_create`` straight into the table, not through the lifecycle actions:
the benchmark measures the lookup, not registration.

The labelled set: seed orders (part of the background) and, for each, a re-worded variant of the
same request — other opening and closing words, a synonym for the problem, reordered clauses,
Traditional characters, a typo, often another caller's phone, the address written differently or
left out — which must find its seed as the top candidate; and non-duplicates that share the street
(another problem, often on the same road or at the same address, one the background never
has) or the caller's phone (the same caller, another problem),
which must find nothing. Precision and recall count the top-1 candidate at or above the threshold.

Latency is measured twice over all lookups: ``cold`` on a fresh process (texts normalised as they
are met) and ``warm`` once the per-process feature cache holds the pool, as in a running server.
Target: warm p95 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a bare checkout, without installing the package

ISSUES: list[tuple[list[str], list[str]]] = [
    (["路灯不亮", "路灯坏了", "路灯一直不亮"], ["连续三个晚上", "晚上一片漆黑", "行人摔倒过"]),
    (
        ["施工噪音扰民", "工地噪声很大", "夜间施工吵得睡不着"],
        ["晚上十一点后还在打桩", "周末也施工"],
    ),
    (["饭店油烟扰民", "餐馆油烟太大", "饭馆排油烟熏人"], ["油烟直接排进小区", "窗户都不能开"]),
    (["下水道堵塞", "下水道堵了", "污水管道堵塞"], ["污水漫到路面", "臭味很重"]),
    (["占道经营", "摊贩占用人行道", "乱摆摊点"], ["早上堵住出入口", "行人只能走机动车道"]),
    (["垃圾没人清运", "垃圾堆了好几天", "垃圾桶满了没人收"], ["夏天气味难闻", "招来很多苍蝇"]),
    (["电梯经常故障", "电梯老是坏", "电梯频繁停运"], ["老人上下楼困难", "有人被困过"]),
    (["共享单车乱停放", "单车堵住通道", "共享单车乱停"], ["盲道被占", "消防通道堵住"]),
    (["小区停车位被占", "车位被外来车辆占用", "停车位被占"], ["业主没地方停车", "物业不管"]),
    (["自来水发黄", "水质浑浊发黄", "自来水有异味"], ["烧开后有沉淀", "已经好几天了"]),
    (["树木倒伏", "大树被风刮倒", "行道树倒了"], ["压住了人行道", "挡住车辆通行"]),
    (["井盖缺失", "窨井盖不见了", "井盖破损"], ["晚上很危险", "已经有人踩空"]),
    (["违章搭建", "楼顶违建", "私自搭建棚子"], ["影响采光", "存在安全隐患"]),
    (["楼道堆放杂物", "楼道里堆满杂物", "杂物堵住楼道"], ["有火灾隐患", "影响通行"]),
    (["广场舞音响太吵", "广场舞噪音扰民", "跳舞音乐声音太大"], ["每天晚上到十点", "影响孩子学习"]),
    (["道路坑洼积水", "路面坑坑洼洼", "马路塌陷积水"], ["下雨天积水很深", "电动车容易摔倒"]),
    (["宠物狗扰民", "邻居家狗叫个不停", "狗吠声扰民"], ["半夜也叫", "还随地大小便"]),
    (["公交车不停站", "公交车过站不停", "公交不靠站"], ["等了半个小时", "司机态度差"]),
    (["房屋漏水", "楼上漏水", "天花板渗水"], ["墙面发霉", "物业协调无果"]),
    (["商铺招牌松动", "广告牌摇摇欲坠", "店招快掉下来了"], ["刮风时很危险", "下面是人行道"]),
]
#: The background uses the first issues only; the non-duplicates raise the others, so that they
#: have no true duplicate in the pool (same street, road, address or caller, another problem).
BACKGROUND_ISSUES = 16
OPENINGS = ["市民来电反映：", "来电人称，", "市民反映，", "来电反映", "", "市民投诉："]
REQUESTS = ["希望尽快处理。", "请相关部门处理。", "要求尽快解决。", "盼早日解决。", "请派人查看。"]
ROAD_CHARS = "江宁昌平延安长寿武定新闸康定北京南京西康泰兴胶州陕西常德石门海防余姚万航渡镇宁"
DISTRICTS = ["静安区", "普陀区", "长宁区", "黄浦区"]
TYPOS = {"噪": "燥", "油": "由", "堵": "赌", "漏": "露", "坏": "怀", "灯": "登", "车": "东"}


def road_names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        a, b = rng.sample(ROAD_CHARS, 2)
        names.add(a + b + rng.choice(["路", "路", "街", "大道"]))
    return sorted(names)


def compose(
    rng: random.Random, issue: int, variant: int, place: str, details: list[str], reorder: bool
) -> tuple[str, str]:
    phrases, _details = ISSUES[issue]
    phrase = phrases[variant]
    detail = "，".join(details)
    if reorder:
        body = f"{rng.choice(OPENINGS)}{detail}，{place}{phrase}，{rng.choice(REQUESTS)}"
    else:
        body = f"{rng.choice(OPENINGS)}{place}{phrase}，{detail}，{rng.choice(REQUESTS)}"
    return phrase, body


def setup_django(data_dir: str) -> None:
    os.environ["HOTLINE_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SECRET_KEY", "bench-only-signing-key-never-used-in-production")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run(n_orders: int, n_streets: int, seed: int) -> dict:
    from django.db import transaction

    from hotline.dispatch import duplicates
    from hotline.orders.models import Channel, State, WorkOrder
    from hotline.org.models import Unit, UnitKind

    rng = random.Random(seed)
    now = dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC)
    streets = Unit.objects.bulk_create(
        Unit(code=f"st{i:03d}", name=f"街道{i:03d}", kind=UnitKind.STREET) for i in range(n_streets)
    )
    roads = road_names(rng, n_streets * 12)
    street_roads = {s.pk: roads[i * 12 : i * 12 + 12] for i, s in enumerate(streets)}
    states = [State.REGISTERED] * 3 + [State.DISPATCHED] * 3 + [State.CLOSED] * 3 + [State.MERGED]

    def phone() -> str:
        return f"13{rng.randrange(10**9):09d}"

    started = time.perf_counter()
    records = []  # (street_id, road, number, issue, details, phone) for picking seeds
    batch: list[WorkOrder] = []
    with transaction.atomic():
        for i in range(n_orders):
            street = rng.choice(streets)
            road = rng.choice(street_roads[street.pk])
            number = rng.randrange(1, 1500)
            issue = rng.randrange(BACKGROUND_ISSUES)
            details = rng.sample(ISSUES[issue][1], rng.randint(1, 2))
            place = f"{road}{number}号"
            title, description = compose(rng, issue, rng.randrange(3), place, details, False)
            caller = phone()
            records.append((street.pk, road, number, issue, details, caller))
            batch.append(
                WorkOrder(
                    number=f"B{i:09d}",
                    channel=Channel.PHONE,
                    citizen_phone=caller,
                    title=title,
                    description=description,
                    address=f"{rng.choice(DISTRICTS)}{place}",
                    street_id=street.pk,
                    registered_at=now - dt.timedelta(seconds=rng.randrange(30 * 86400 - 60)),
                    state=rng.choice(states),
                )
            )
            if len(batch) == 5000:
                WorkOrder.objects.bulk_create(batch)
                batch = []
        WorkOrder.objects.bulk_create(batch)
    build_s = time.perf_counter() - started
    ids = dict(WorkOrder.objects.values_list("number", "id"))
    state_of = dict(WorkOrder.objects.values_list("id", "state"))
    to_trad = __import__("opencc").OpenCC("s2t")

    queries = []  # (kwargs, expected id or None, kind)
    seeds = [i for i in rng.sample(range(n_orders), 600) if state_of[ids[f"B{i:09d}"]] != "merged"]
    for i in seeds[:200]:
        street_id, road, number, issue, details, caller = records[i]
        variant = rng.randrange(3)
        address = rng.choice(
            [
                f"{road}{number}号",
                f"上海市{rng.choice(DISTRICTS)}{road} {number} 号",
                f"{road}{number}号{rng.randint(1, 6)}楼",
                f"{road}{number}号".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                "",
            ]
        )
        place = rng.choice([f"{road}{number}号", f"{road}{number}号附近", ""])
        title, description = compose(rng, issue, variant, place, details[::-1], rng.random() < 0.5)
        if rng.random() < 0.3:
            title, description = to_trad.convert(title), to_trad.convert(description)
            address = to_trad.convert(address)
        if rng.random() < 0.3:
            ch = next((c for c in description if c in TYPOS), None)
            if ch:
                description = description.replace(ch, TYPOS[ch], 1)
        same_caller = rng.random() < 0.4
        queries.append(
            (
                {
                    "title": title,
                    "description": description,
                    "address": address,
                    "street_id": street_id,
                    "phone": caller if same_caller else phone(),
                },
                ids[f"B{i:09d}"],
                "duplicate",
            )
        )
    for i in seeds[200:350]:
        street_id, road, number, issue, details, caller = records[i]
        other = rng.randrange(BACKGROUND_ISSUES, len(ISSUES))
        other_details = rng.sample(ISSUES[other][1], 1)
        same_caller = rng.random() < 0.5
        same_address = not same_caller and rng.random() < 0.3
        where = number if same_address else rng.randrange(1, 1500)
        place = f"{road}{where}号"
        title, description = compose(rng, other, rng.randrange(3), place, other_details, False)
        queries.append(
            (
                {
                    "title": title,
                    "description": description,
                    "address": place,
                    "street_id": street_id,
                    "phone": caller if same_caller else phone(),
                },
                None,
                "same caller" if same_caller else "same address" if same_address else "same street",
            )
        )

    def measure() -> tuple[list[float], list[list]]:
        times, results = [], []
        for kwargs, _expected, _kind in queries:
            t = time.perf_counter()
            found = duplicates.candidates(now=now, **kwargs)
            times.append((time.perf_counter() - t) * 1000)
            results.append(found)
        return times, results

    duplicates.invalidate()
    cold, _ = measure()
    warm, results = measure()
    tp = fp = 0
    false_by_kind: dict[str, int] = {}
    for (_kwargs, expected, kind), found in zip(queries, results, strict=True):
        if not found:
            continue
        if expected is not None and found[0].order.pk == expected:
            tp += 1
        else:
            fp += 1
            false_by_kind[kind] = false_by_kind.get(kind, 0) + 1
    n_dup = sum(1 for q in queries if q[1] is not None)
    sweep = {}
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        hits = [
            (q[1], f[0]) for q, f in zip(queries, results, strict=True) if f and f[0].score >= t
        ]
        good = sum(1 for expected, c in hits if c.order.pk == expected)
        sweep[str(t)] = [round(good / len(hits), 3) if hits else None, round(good / n_dup, 3)]

    def pct(values: list[float], p: float) -> float:
        return round(sorted(values)[min(len(values) - 1, int(p * len(values)))], 2)

    return {
        "orders": n_orders,
        "streets": n_streets,
        "queries": len(queries),
        "duplicates": n_dup,
        "non_duplicates": len(queries) - n_dup,
        "threshold": duplicates.THRESHOLD,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / n_dup, 4),
        "false_positives_by_kind": false_by_kind,
        "precision_recall_by_threshold": sweep,
        "warm_ms": {
            "p50": round(statistics.median(warm), 2),
            "p95": pct(warm, 0.95),
            "max": round(max(warm), 2),
        },
        "cold_ms": {
            "p50": round(statistics.median(cold), 2),
            "p95": pct(cold, 0.95),
            "max": round(max(cold), 2),
        },
        "target_ms": 20,
        "meets_latency_target": pct(warm, 0.95) <= 20,
        "build_s": round(build_s, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--streets", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotline-dup-bench-") as data_dir:
        setup_django(data_dir)
        result = run(args.orders, args.streets, args.seed)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
