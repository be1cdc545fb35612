"""Dispatch classifier on the Taipei FAQ split: one JSON line of figures.

    python bench/dispatch_eval.py [--data-dir ../shared/data/dispatch]

Trains on ``taipei_qa_train.csv`` only (hyperparameters and the auto-dispatch threshold come from
cross-validation on it) and evaluates on ``taipei_qa_test.csv``. The data stays in the shared
folder beside the repository: it is for benchmarks only and must not be copied into the product.
Targets (issue "Dispatch intelligence"): accuracy ≥ 0.86, top-3 ≥ 0.96, auto_precision ≥ 0.98 at
auto_coverage ≥ 0.55, training ≤ 120 s, prediction ≤ 5 ms per order, on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run from a bare checkout, without installing the package

from hotline.dispatch.evaluate import evaluate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared/data/dispatch")
    parser.add_argument("--target-precision", type=float, default=0.98)
    args = parser.parse_args()
    train, test = args.data_dir / "taipei_qa_train.csv", args.data_dir / "taipei_qa_test.csv"
    for path in (train, test):
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            return 2
    result = evaluate(train, test, target_precision=args.target_precision)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
