"""Dispatch classifier at a district's scale: training time, peak memory, prediction time.

    python bench/dispatch_scale.py [--orders 10000] [--test 1000] [--chars 300] [--seed 0]
                                   [--data-dir ../shared/data/dispatch] [--units]

Prints one JSON line: train seconds, peak resident memory of the training process (MiB, from
``resource.getrusage`` in a child process that does only this run), prediction milliseconds per
order (batch and one text at a time), accuracy and top-3 on held-out generated orders, and, with
``--units`` (the Taipei unit tree), the same at the first level.

How the orders are generated (seeded, nothing read from TEST): the Taipei FAQ training questions
are grouped by unit; each generated order belongs to one unit, drawn with Zipf-like weights (a
district's busiest units get most orders), and is a citizen's message of about ``--chars``
characters (lognormal spread, 60–900): an opening (who and where: a street, a number, a
complaint phrase), three to eight sentences from its unit's questions (each cut at a random
clause, so no message repeats a question whole), each sentence with probability 0.25 from
another unit instead (citizens mention other matters), filler phrases between (时间、催办、
情绪), and digits and a phone number scattered as in real messages; 15 % of the orders are
filed under a sibling unit (another section of the same first-level unit), as histories are.
So the texts are long, repetitive inside a unit and noisy, like the mainland messages the issue
measured (341 s for 5,120 orders before). The figures are for time and memory; the accuracy on
generated text says only that the model learnt something.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from queue import Empty
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a bare checkout, without installing the package

from hotline.dispatch.hierarchy import first_levels, read_units_csv  # noqa: E402

OPENINGS = (
    "您好，我是{street}{n}号的居民，",
    "我住在{street}{n}弄{m}号，",
    "市民来电反映：{street}附近，",
    "你好，我想反映一个问题，地址是{street}{n}号，",
    "本人在{street}经营一家小店，",
    "我是{street}小区的业主，",
)
FILLERS = (
    "这个情况已经持续了{n}个多月了。",
    "之前打过{m}次电话都没有解决。",
    "希望有关部门尽快处理，谢谢。",
    "请尽快给我回电，我的电话是1{phone}。",
    "我们周边的居民都很有意见。",
    "昨天晚上{m}点多又出现了。",
    "麻烦你们派人来现场看一下。",
    "我不知道应该找哪个部门，所以打了12345。",
    "真的非常着急，孩子老人都受影响。",
    "请问这种情况怎么办？",
)
#: The chance that a sentence comes from another unit's questions.
OTHER_UNIT = 0.25
#: The chance that an order is filed under another unit of the same first-level unit (a bureau
#: and its section), as histories are: separable data would train faster than real data does.
SIBLING_LABEL = 0.15
STREETS = ("江宁路", "石门二路", "南京西路", "曹家渡", "静安寺", "天目西路", "北站", "宝山路")


def generated_orders(
    train_csv: Path, count: int, chars: int, seed: int
) -> tuple[list[str], list[str]]:
    """``count`` generated orders (text, unit) from the Taipei training questions; see above."""
    by_unit: dict[str, list[str]] = defaultdict(list)
    with open(train_csv, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_unit[row["label"]].append(row["text"].strip())
    units = sorted(by_unit)
    rng = random.Random(seed)
    # Zipf-like weights in a fixed random order of the units (not alphabetical).
    ranked = units[:]
    random.Random(12345).shuffle(ranked)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(ranked))]
    siblings: dict[str, list[str]] = defaultdict(list)
    tree = read_units_csv(train_csv.parent / "taipei_units.csv")
    for unit in units:
        siblings[tree.get(unit, unit)].append(unit)
    texts, labels = [], []
    for unit in rng.choices(ranked, weights=weights, k=count):
        length = min(900, max(60, int(rng.lognormvariate(0, 0.35) * chars)))
        texts.append(_message(rng, by_unit, units, unit, length))
        family = siblings[tree.get(unit, unit)]
        labels.append(rng.choice(family) if rng.random() < SIBLING_LABEL else unit)
    return texts, labels


def _message(
    rng: random.Random, by_unit: dict[str, list[str]], units: list[str], unit: str, length: int
) -> str:
    def fill(template: str) -> str:
        return template.format(
            street=rng.choice(STREETS),
            n=rng.randint(1, 999),
            m=rng.randint(1, 12),
            phone=rng.randint(3000000000, 9999999999),
        )

    parts = [fill(rng.choice(OPENINGS))]
    size = len(parts[0])
    while size < length:
        source = unit if rng.random() > OTHER_UNIT else rng.choice(units)
        question = rng.choice(by_unit[source])
        cut = rng.randint(min(len(question), max(4, len(question) // 2)), len(question))
        parts.append(question[:cut].rstrip("？?") + "。")
        if rng.random() < 0.35:
            parts.append(fill(rng.choice(FILLERS)))
        size = sum(map(len, parts))
    return "".join(parts)[: length + 40]


def _run(args: argparse.Namespace, queue: Any) -> None:
    """The measured run, in a child process so that its peak memory is its own."""
    from hotline.dispatch.classifier import DispatchClassifier

    train_csv = args.data_dir / "taipei_qa_train.csv"
    texts, labels = generated_orders(train_csv, args.orders + args.test, args.chars, args.seed)
    train_texts, train_labels = texts[: args.orders], labels[: args.orders]
    test_texts, test_labels = texts[args.orders :], labels[args.orders :]
    tree = read_units_csv(args.data_dir / "taipei_units.csv") if args.units else None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    model = DispatchClassifier(progress=args.progress).fit(
        train_texts, train_labels, first_level_of=tree
    )
    train_seconds = time.perf_counter() - started
    train_cpu = _cpu_seconds() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    predictions = model.predict(test_texts, k=3)
    batch = time.perf_counter() - started
    single = []
    for text in test_texts[:200]:
        started = time.perf_counter()
        model.predict([text], k=3)
        single.append(time.perf_counter() - started)
    single.sort()
    result: dict[str, Any] = {
        "orders": args.orders,
        "mean_chars": round(sum(map(len, train_texts)) / len(train_texts), 1),
        "labels": len(model.classes_),
        "train_seconds": round(train_seconds, 1),
        # On a busy machine the wall time says more about the neighbours than about the model:
        # CPU seconds (both threads) divided by 2 is what two idle cores would take, at best.
        "train_cpu_seconds": round(train_cpu, 1),
        "peak_rss_mib": round(peak / 1024, 1),
        "rss_before_training_mib": round(before / 1024, 1),
        "predict_ms_per_item": round(1000 * batch / len(test_texts), 3),
        "predict_ms_single_median": round(1000 * single[len(single) // 2], 3),
        "accuracy": round(
            sum(p.label == y for p, y in zip(predictions, test_labels, strict=True))
            / len(test_labels),
            4,
        ),
        "top3_accuracy": round(
            sum(y in dict(p.suggestions) for p, y in zip(predictions, test_labels, strict=True))
            / len(test_labels),
            4,
        ),
        "auto_coverage": round(sum(p.auto for p in predictions) / len(predictions), 4),
        "params": model.report.params if model.report else None,
        "cv_folds": model.report.n_splits if model.report else None,
        "timings": model.report.timings if model.report else None,
    }
    if tree is not None:
        truth = first_levels(test_labels, tree)
        result["first_level_accuracy"] = round(
            sum(p.first_level_label == y for p, y in zip(predictions, truth, strict=True))
            / len(truth),
            4,
        )
    result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    queue.put(result)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--test", type=int, default=1_000)
    parser.add_argument("--chars", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared/data/dispatch")
    parser.add_argument("--units", action="store_true", help="also the first level (unit tree)")
    parser.add_argument("--progress", action="store_true", help="training progress on stderr")
    args = parser.parse_args()
    if not (args.data_dir / "taipei_qa_train.csv").is_file():
        print(f"missing {args.data_dir / 'taipei_qa_train.csv'}", file=sys.stderr)
        return 2
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_run, args=(args, queue))
    child.start()
    while True:
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not child.is_alive():
                print(f"the measured run failed (exit {child.exitcode})", file=sys.stderr)
                return 1
    child.join()
    result["cpus"] = os.cpu_count()
    print(json.dumps(result, ensure_ascii=False))
    return child.exitcode or 0


if __name__ == "__main__":
    sys.exit(main())
