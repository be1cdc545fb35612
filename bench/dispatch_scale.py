"""Dispatch classifier at a district's scale: training time, peak memory, prediction time.

    python bench/dispatch_scale.py [--orders 10000] [--test 1000] [--chars 300] [--seed 0]
                                   [--data-dir ../shared/data/dispatch] [--units]
                                   [--progress] [--save DIR] [--memory-only]

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

``--memory-only`` measures the peak memory at a fraction of the CPU, for a machine too busy to
train 200,000 orders in an afternoon: the grid is the one point every full run has chosen
(character n-grams ≤ 2, C = 1), so no successive halving, and the final SVMs stop after
``MEMORY_ONLY_ITERATIONS`` of liblinear's passes. Every structure has its full size (the
matrices, liblinear's copy, the weights: a pass does not allocate), so the memory figures hold;
the time and accuracy figures do not, and the JSON says ``"memory_only": true``.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import random
import re
import resource
import sys
import threading
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
#: liblinear passes of the final SVMs with ``--memory-only`` (the default is 1,000).
MEMORY_ONLY_ITERATIONS = 20
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


class MemorySampler:
    """Resident memory of this process and of its descendants (joblib's fold workers), sampled
    every ``interval`` seconds in a thread, with the peak per training step: a step ends when the
    classifier reports ``<step>: <seconds> s`` on its progress channel.

    ``ru_maxrss`` gives only this process's peak; the fold workers hold their own copies of the
    cross-validation matrix and the SVMs they fit, so the sum over the tree is sampled too (a
    sample can miss a peak shorter than the interval)."""

    LAP = re.compile(r"^(?P<step>[^:]+): [0-9.]+ s$")

    def __init__(self, interval: float = 0.2, echo: bool = False) -> None:
        self.interval = interval
        self.echo = echo
        self.own_peak = 0
        self.tree_peak = 0
        self.steps: dict[str, dict[str, float]] = {}
        self._step_own = self._step_tree = 0
        #: CPU seconds of each descendant when last seen (a worker that exits keeps its last
        #: figure, so its work still counts), and the totals when the last step ended.
        self._worker_cpu: dict[int, float] = {}
        self._step_cpu = (_own_cpu(), 0.0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def progress(self, message: str) -> None:
        """The classifier's progress callback: closes a step when one is reported done."""
        if self.echo:
            print(f"dispatch training: {message}", file=sys.stderr, flush=True)
        lap = self.LAP.match(message)
        if lap:
            self._sample()
            with self._lock:
                own_cpu, worker_cpu = _own_cpu(), self.worker_cpu_seconds()
                self.steps[lap["step"]] = {
                    "own_mib": round(self._step_own / 2**20, 1),
                    "tree_mib": round(self._step_tree / 2**20, 1),
                    # CPU seconds of the step: this process, and its fold workers together.
                    "own_cpu_s": round(own_cpu - self._step_cpu[0], 1),
                    "workers_cpu_s": round(worker_cpu - self._step_cpu[1], 1),
                }
                self._step_own = self._step_tree = 0
                self._step_cpu = (own_cpu, worker_cpu)

    def worker_cpu_seconds(self) -> float:
        return sum(self._worker_cpu.values())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        own = _rss(os.getpid())
        workers = _descendants(os.getpid())
        tree = own + sum(_rss(pid) for pid in workers)
        with self._lock:
            for pid in workers:
                self._worker_cpu[pid] = max(self._worker_cpu.get(pid, 0.0), _cpu_of(pid))
            self.own_peak = max(self.own_peak, own)
            self.tree_peak = max(self.tree_peak, tree)
            self._step_own = max(self._step_own, own)
            self._step_tree = max(self._step_tree, tree)


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds of another process so far (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[parent].append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _run(args: argparse.Namespace, queue: Any) -> None:
    """The measured run, in a child process so that its peak memory is its own."""
    from hotline.dispatch.classifier import DispatchClassifier, Params

    grid: dict[str, Any] = {}
    if args.memory_only:
        grid = {"grid": [Params(char_ngram_max=2, C=1.0)]}
        _cap_final_iterations()

    train_csv = args.data_dir / "taipei_qa_train.csv"
    texts, labels = generated_orders(train_csv, args.orders + args.test, args.chars, args.seed)
    train_texts, train_labels = texts[: args.orders], labels[: args.orders]
    test_texts, test_labels = texts[args.orders :], labels[args.orders :]
    tree = read_units_csv(args.data_dir / "taipei_units.csv") if args.units else None
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu_before = _cpu_seconds()
    sampler = MemorySampler(echo=args.progress).start()
    started = time.perf_counter()
    model = DispatchClassifier(progress=sampler.progress, **grid).fit(
        train_texts, train_labels, first_level_of=tree
    )
    train_seconds = time.perf_counter() - started
    train_cpu = _cpu_seconds() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sampler.stop()
    workers_cpu = sampler.worker_cpu_seconds()
    if args.save:
        import datetime as dt

        model.save(args.save, dt.datetime.now(dt.UTC))
    started = time.perf_counter()
    predictions = model.predict(test_texts, k=3)
    batch = time.perf_counter() - started
    single, single_cpu = [], []
    for text in test_texts[:200]:
        started, cpu_started = time.perf_counter(), time.process_time()
        model.predict([text], k=3)
        single.append(time.perf_counter() - started)
        single_cpu.append(time.process_time() - cpu_started)
    single.sort()
    single_cpu.sort()
    result: dict[str, Any] = {
        "orders": args.orders,
        "memory_only": args.memory_only,
        "mean_chars": round(sum(map(len, train_texts)) / len(train_texts), 1),
        "labels": len(model.classes_),
        "train_seconds": round(train_seconds, 1),
        # On a busy machine the wall time says more about the neighbours than about the model:
        # CPU seconds (both threads) divided by 2 is what two idle cores would take, at best.
        "train_cpu_seconds": round(train_cpu, 1),
        # The fold workers' CPU (sampled every 0.2 s): with it, the training's whole work.
        "train_workers_cpu_seconds": round(workers_cpu, 1),
        "peak_rss_mib": round(peak / 1024, 1),
        # Sampled every 0.2 s: this process with its fold workers, and per training step.
        "peak_rss_with_workers_mib": round(sampler.tree_peak / 2**20, 1),
        "peak_rss_by_step_mib": sampler.steps,
        "rss_before_training_mib": round(before / 1024, 1),
        "predict_ms_per_item": round(1000 * batch / len(test_texts), 3),
        "predict_ms_single_median": round(1000 * single[len(single) // 2], 3),
        # CPU time of one prediction: what a busy machine's wall time hides.
        "predict_cpu_ms_single_median": round(1000 * single_cpu[len(single_cpu) // 2], 3),
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


def _cap_final_iterations() -> None:
    """``--memory-only``: the SVMs fitted in this process (the final ones; the fold fits run in
    worker processes and are untouched) stop after ``MEMORY_ONLY_ITERATIONS`` passes."""
    from functools import partial

    from sklearn.svm import LinearSVC

    from hotline.dispatch import classifier, levels

    capped = partial(LinearSVC, max_iter=MEMORY_ONLY_ITERATIONS)
    levels.LinearSVC = capped

    def capped_svm(c: float, seed: int = 0) -> LinearSVC:
        return LinearSVC(C=c, random_state=seed, max_iter=MEMORY_ONLY_ITERATIONS)

    classifier.svm_for = capped_svm


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
    parser.add_argument("--save", type=Path, help="also save the trained model in this directory")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="peak memory only: one grid point, final SVMs capped (see the docstring)",
    )
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
