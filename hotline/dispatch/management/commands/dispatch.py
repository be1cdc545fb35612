"""``hotline dispatch``: train, evaluate and query the dispatch classifier.

- ``hotline dispatch evaluate --train TRAIN.csv --test TEST.csv``: one JSON line of figures.
- ``hotline dispatch train --csv FILE [--target unit|category]``: a new model version under
  ``DATA_DIR/models/dispatch/``, made active unless ``--no-activate``.
- ``hotline dispatch predict "text"``: the active model's top suggestions as JSON.

CSV files have the columns ``text,label``.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline import clock
from hotline.dispatch import store
from hotline.dispatch.classifier import DispatchClassifier
from hotline.dispatch.evaluate import evaluate, read_labelled_csv


class Command(BaseCommand):
    help = "Train, evaluate and query the dispatch classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)

        ev = actions.add_parser("evaluate", help="train on one CSV, evaluate on another")
        ev.add_argument("--train", required=True, help="CSV with columns text,label")
        ev.add_argument("--test", required=True, help="CSV with columns text,label")
        ev.add_argument("--target-precision", type=_precision, default=0.98)

        tr = actions.add_parser("train", help="train a new model version")
        tr.add_argument("--csv", help="CSV with columns text,label")
        tr.add_argument("--target", choices=store.TARGETS, default="unit")
        tr.add_argument("--target-precision", type=_precision, default=0.98)
        tr.add_argument("--no-activate", action="store_true", help="keep the active version")

        pr = actions.add_parser("predict", help="suggestions for one text")
        pr.add_argument("text")
        pr.add_argument("--target", choices=store.TARGETS, default="unit")
        pr.add_argument("-k", type=int, default=3, help="how many suggestions")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "evaluate":
            result = self.evaluate(**options)
        elif action == "train":
            result = self.train(**options)
        else:
            result = self.predict(**options)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def evaluate(self, *, train: str, test: str, target_precision: float, **_: Any) -> Any:
        try:
            return evaluate(train, test, target_precision=target_precision)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def train(
        self, *, csv: str | None, target: str, target_precision: float, no_activate: bool, **_: Any
    ) -> Any:
        if csv is None:
            raise CommandError("give --csv FILE: training from the orders is not wired yet")
        try:
            texts, labels = read_labelled_csv(csv)
            model = DispatchClassifier(target_precision=target_precision).fit(texts, labels)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        meta = store.save_version(
            model, store.default_root(), clock.now(), target=target, activate=not no_activate
        )
        return {
            "version": meta["version"],
            "path": meta["path"],
            "target": target,
            "active": not no_activate,
            "training_size": meta["training_size"],
            "labels": len(meta["labels"]),
            "threshold": meta["threshold"],
            "metrics": {k: v for k, v in meta["metrics"].items() if k != "grid"},
        }

    def predict(self, *, text: str, target: str, k: int, **_: Any) -> Any:
        try:
            version, model = store.load_active(store.default_root(), target)
        except (LookupError, OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        prediction = model.predict([text], k=k)[0]
        return {
            "version": version,
            "suggestions": [
                {"label": label, "probability": round(p, 4)} for label, p in prediction.suggestions
            ],
            "confidence": round(prediction.confidence, 4),
            "auto": prediction.auto,
        }


def _precision(value: str) -> float:
    number = float(value)
    if not 0.0 < number <= 1.0:
        raise ValueError("target precision must be in (0, 1]")
    return number
