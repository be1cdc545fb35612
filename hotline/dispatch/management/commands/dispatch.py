"""``hotline dispatch``: train, evaluate and query the dispatch classifier.

- ``hotline dispatch evaluate --train TRAIN.csv --test TEST.csv [--units UNITS.csv]``: one JSON
  line of figures; with the unit tree (columns ``unit,first_level_unit``) a ``first_level`` block
  too. Training progress goes to stderr.
- ``hotline dispatch train [--csv FILE] [--target unit|category] [--min-per-label N]``: a new
  model version under ``DATA_DIR/models/dispatch/``, recorded as a ``DispatchModel`` row and made
  active unless ``--no-activate``. Without ``--csv`` it learns from the orders: title and
  description → the unit that finally kept the order (or its category); labels with fewer than
  N orders are skipped, and the output says how many.
- ``hotline dispatch report [--version V] [--json]``: the stored predictions against the units
  that finally kept the orders: accuracy, auto-dispatch precision, the top confusions.
- ``hotline dispatch predict "text"``: the active model's top suggestions as JSON.
- ``hotline dispatch retrain [--folds N] [--min-per-label N]``: what the schedule does, now: a
  candidate trained before the most recent complete month, activated only when not worse on that
  month; progress on stderr, the comparison as JSON.
- ``hotline dispatch rollback VERSION --reason TEXT``: make an earlier version active again.
- ``hotline dispatch changes [--limit N]``: the record of activations, rollbacks and refusals.

CSV files have the columns ``text,label``.

What a person reads (errors, the report, progress, reasons) is in the hotline's language
(``LANGUAGE_CODE``) from the catalogue, as every ``hotline`` command's messages are; JSON keys and
codes stay as they are for scripts. Two things stay in English, as in every ``hotline`` command:
argparse's usage, ``--help`` and argument errors, and the classifier's own training trace (stage
names, fold scores: a diagnostic of the model's maths) after the translated prefix.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from hotline import clock
from hotline.dispatch import conflicts, retraining, services, store
from hotline.dispatch.classifier import METADATA_FILE, DispatchClassifier
from hotline.dispatch.evaluate import evaluate, read_labelled_csv
from hotline.dispatch.models import DispatchModel, ModelChange


class Command(BaseCommand):
    help = "Train, evaluate and query the dispatch classifier."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)

        ev = actions.add_parser("evaluate", help="train on one CSV, evaluate on another")
        ev.add_argument("--train", required=True, help="CSV with columns text,label")
        ev.add_argument("--test", required=True, help="CSV with columns text,label")
        ev.add_argument("--target-precision", type=_precision, default=0.98)
        ev.add_argument("--units", help="CSV with columns unit,first_level_unit (the unit tree)")

        tr = actions.add_parser("train", help="train a new model version")
        tr.add_argument("--csv", help="CSV with columns text,label")
        tr.add_argument("--target", choices=store.TARGETS, default="unit")
        tr.add_argument("--target-precision", type=_precision, default=0.98)
        tr.add_argument("--no-activate", action="store_true", help="keep the active version")
        tr.add_argument(
            "--min-per-label",
            type=_positive,
            default=5,
            help="from the orders: skip units (categories) with fewer orders than this",
        )
        tr.add_argument("--folds", type=_positive, default=5, help="cross-validation folds")

        rp = actions.add_parser("report", help="predictions vs the units that kept the orders")
        rp.add_argument("--version", help="one model version (default: every prediction)")
        rp.add_argument("--json", dest="as_json", action="store_true", help="one JSON line")
        rp.add_argument("--top", type=_positive, default=10, help="how many confusions")

        rt = actions.add_parser(
            "retrain", help="train on all but the last month; activate if not worse on it"
        )
        rt.add_argument(
            "--min-per-label",
            type=_positive,
            default=None,
            help="skip units with fewer orders (default: the active model's, else 5)",
        )
        rt.add_argument("--folds", type=_positive, default=5, help="cross-validation folds")
        rt.add_argument("--target-precision", type=_precision, default=0.98)

        rb = actions.add_parser("rollback", help="make an earlier unit model version active")
        rb.add_argument("version")
        rb.add_argument("--reason", required=True, help="why (recorded)")
        rb.add_argument(
            "--force",
            action="store_true",
            help="roll back to a candidate the retraining guard refused, all the same",
        )

        ch = actions.add_parser("changes", help="activations, rollbacks and refusals")
        ch.add_argument("--limit", type=_positive, default=20)

        pr = actions.add_parser("predict", help="suggestions for one text")
        pr.add_argument("text")
        pr.add_argument("--target", choices=store.TARGETS, default="unit")
        pr.add_argument("-k", type=int, default=3, help="how many suggestions")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "evaluate":
            result = self.evaluate(**options)
        elif action == "train":
            result = self.train(**options)
        elif action == "report":
            self.report(**options)
            return
        elif action == "retrain":
            result = self.retrain(**options)
        elif action == "rollback":
            result = self.rollback(**options)
        elif action == "changes":
            result = self.changes(**options)
        else:
            result = self.predict(**options)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def evaluate(
        self, *, train: str, test: str, target_precision: float, units: str | None, **_: Any
    ) -> Any:
        model = DispatchClassifier(target_precision=target_precision, progress=self._progress)
        try:
            return evaluate(
                train, test, target_precision=target_precision, classifier=model, units_csv=units
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc

    def _progress(self, message: str) -> None:
        self.stderr.write(gettext("training: %(message)s") % {"message": message})

    def train(
        self,
        *,
        csv: str | None,
        target: str,
        target_precision: float,
        no_activate: bool,
        min_per_label: int,
        folds: int,
        **_: Any,
    ) -> Any:
        skipped: dict[str, int] = {}
        try:
            if csv is not None:
                data: Any = read_labelled_csv(csv)
            else:
                data = services.training_set(target, min_per_label=min_per_label)
                skipped = data.skipped_labels
                if len(set(data.labels)) < 2:
                    raise CommandError(
                        gettext(
                            "Too few orders to learn from: %(orders)d orders of %(labels)d "
                            "labels (%(target)s) with at least %(min)d orders each "
                            "(%(skipped)d orders skipped); dispatch more orders, lower "
                            "--min-per-label, or give --csv FILE."
                        )
                        % {
                            "orders": len(data.labels),
                            "labels": len(set(data.labels)),
                            "target": target,
                            "min": min_per_label,
                            "skipped": data.skipped_orders,
                        }
                    )
            row = services.train(
                data,
                target=target,
                target_precision=target_precision,
                folds=folds,
                activate_it=not no_activate,
                now=clock.now(),
                progress=self._progress,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        meta = json.loads(
            (store.default_root() / row.version / METADATA_FILE).read_text(encoding="utf-8")
        )
        result = {
            "version": row.version,
            "path": str(store.default_root() / row.version),
            "target": target,
            "source": "csv" if csv else "orders",
            "active": not no_activate,
            "training_size": row.training_size,
            "labels": len(meta["labels"]),
            "threshold": meta["threshold"],
            "first_level_threshold": row.first_level_threshold,
            "metrics": row.metrics,
        }
        if csv is None:
            result["skipped_labels"] = len(skipped)
            result["skipped_orders"] = sum(skipped.values())
        return result

    def report(self, *, version: str | None, as_json: bool, top: int, **_: Any) -> None:
        if version and not DispatchModel.objects.filter(version=version).exists():
            raise CommandError(gettext("No dispatch model %(version)s.") % {"version": version})
        result = services.report(version, top=top)
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return

        def share(value: float | None) -> str:
            return "—" if value is None else f"{value:.1%}"

        self.stdout.write(
            gettext("model: %(model)s") % {"model": version or gettext("all versions")}
        )
        self.stdout.write(
            gettext("predictions: %(predictions)s, compared with the final unit: %(compared)s")
            % {"predictions": result["predictions"], "compared": result["compared"]}
        )
        self.stdout.write(
            gettext("accuracy: %(accuracy)s, at the first level: %(first_level)s")
            % {
                "accuracy": share(result["accuracy"]),
                "first_level": share(result["first_level_accuracy"]),
            }
        )
        self.stdout.write(
            gettext("auto-dispatched: %(auto)s, precision (first level): %(precision)s")
            % {"auto": result["auto_dispatched"], "precision": share(result["auto_precision"])}
        )
        if result["confusions"]:
            self.stdout.write(gettext("top confusions (predicted → final: count):"))
            for c in result["confusions"]:
                self.stdout.write(f"  {c['predicted']} → {c['final']}: {c['count']}")
        found = result["conflicts"]
        self.stdout.write(
            gettext(
                "near-identical orders that ended with different units (text similarity ≥ "
                "%(similar)s, last %(days)s days, %(orders)s orders): %(pairs)s pairs"
            )
            % {
                "similar": found["similar"],
                "days": found["days"],
                "orders": found["orders"],
                "pairs": found["pairs"],
            }
        )
        if note := conflicts.capped_note(found):
            self.stdout.write(note)
        for c in found["units"]:
            a, b = c["units"]
            examples = ", ".join(
                f"{e['orders'][0]} / {e['orders'][1]} ({e['similarity']})" for e in c["examples"]
            )
            self.stdout.write(
                "  "
                + gettext(
                    "%(a)s ↔ %(b)s: %(pairs)s pairs (%(a)s: %(a_orders)s orders, "
                    "%(b)s: %(b_orders)s orders), e.g. %(examples)s"
                )
                % {
                    "a": a,
                    "b": b,
                    "pairs": c["pairs"],
                    "a_orders": c["orders"][a],
                    "b_orders": c["orders"][b],
                    "examples": examples,
                }
            )

    def retrain(
        self, *, min_per_label: int | None, folds: int, target_precision: float, **_: Any
    ) -> Any:
        try:
            row = retraining.retrain(
                clock.now(),
                min_per_label=min_per_label,
                folds=folds,
                target_precision=target_precision,
                progress=self._progress,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        return {"version": row.version, "active": row.active, "comparison": row.comparison}

    def rollback(self, *, version: str, reason: str, force: bool, **_: Any) -> Any:
        try:
            change = retraining.rollback(
                version, reason=reason, via=ModelChange.Via.COMMAND, force=force
            )
        except retraining.GuardRefused as exc:
            raise CommandError(
                gettext("%(refusal)s Add --force to roll back to it all the same.")
                % {"refusal": exc}
            ) from exc
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        return {
            "version": version,
            "previous_version": change.previous_version,
            "at": change.at.isoformat(),
        }

    def changes(self, *, limit: int, **_: Any) -> Any:
        rows = ModelChange.objects.select_related("model", "actor")[:limit]
        return [
            {
                "at": c.at.isoformat(),
                "kind": c.kind,
                "target": c.target,
                "version": c.model.version,
                "previous_version": c.previous_version,
                "via": c.via,
                "by": c.actor.username if c.actor else None,
                "reason": c.reason_shown,
                "reason_code": c.reason_code,
            }
            for c in rows
        ]

    def predict(self, *, text: str, target: str, k: int, **_: Any) -> Any:
        # The version the database says is active; without one, the store's pointer file.
        loaded = services.active_model(target)
        if loaded is not None:
            version, model = loaded[0].version, loaded[1]
        else:
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


# argparse shows an ArgumentTypeError's message; of a ValueError only the function's name
# ("invalid _positive value: '0'"), which told an administrator nothing of the rule. In English,
# as the rest of argparse's usage and error lines and every command's --help are.
def _precision(value: str) -> float:
    rule = "must be a number above 0 and at most 1"
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{rule}, not {value!r}") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"{rule}, not {value!r}")
    return number


def _positive(value: str) -> int:
    rule = "must be a whole number of at least 1"
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{rule}, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{rule}, not {value!r}")
    return number
