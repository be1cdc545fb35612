"""The corrections report's conflict search at a district's scale: seconds for N recent orders.

    python bench/dispatch_conflicts.py [--orders 20000] [--chars 300] [--repeats 0.05] [--seed 0]

Texts: ``bench/dispatch_scale.py``'s generated citizen messages (long, repetitive inside a unit,
noisy; built from the Taipei training questions). A share ``--repeats`` of the orders are repeat
calls: an earlier message again with a few characters changed, half of them kept by another unit.
Prints one JSON line: seconds to build the bigram sets and to find the near-identical pairs
(:mod:`hotline.dispatch.conflicts`), the pairs found and how many have different units.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from dispatch_scale import generated_orders  # noqa: E402

from hotline.dispatch import conflicts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--chars", type=int, default=300)
    parser.add_argument("--repeats", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "dispatch"))
    args = parser.parse_args()
    train = Path(args.data_dir) / "taipei_qa_train.csv"
    texts, labels = generated_orders(train, args.orders, args.chars, args.seed)
    rng = random.Random(args.seed)
    for i in rng.sample(range(len(texts)), int(args.repeats * len(texts))):
        j = rng.randrange(len(texts))
        chars = list(texts[j])
        for _ in range(3):
            chars[rng.randrange(len(chars))] = "的"
        texts[i] = "".join(chars)
        labels[i] = labels[j] if rng.random() < 0.5 else labels[rng.randrange(len(labels))]
    started = time.perf_counter()
    matrix = conflicts._bigram_matrix(texts)
    built = time.perf_counter()
    pairs = conflicts._similar_pairs(matrix, conflicts.SIMILAR)
    done = time.perf_counter()
    apart = sum(labels[i] != labels[j] for i, j, _s in pairs)
    print(
        json.dumps(
            {
                "orders": len(texts),
                "mean_chars": round(sum(map(len, texts)) / len(texts)),
                "build_seconds": round(built - started, 1),
                "pairs_seconds": round(done - built, 1),
                "near_identical_pairs": len(pairs),
                "with_different_units": apart,
                "loadavg": os.getloadavg()[0],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
