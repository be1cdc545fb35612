"""Scheduled retraining of the unit model, the guard on activation, and rollback.

- :func:`retrain`: learn a candidate from every order registered before the most recent complete
  month (the month held out), then compare it with the active model on that month's orders — the
  unit that finally kept each one. The candidate becomes active only when it is not worse; both
  figures, the month and the decision are stored with the candidate
  (:attr:`DispatchModel.comparison`) and the decision is recorded as a :class:`ModelChange`.
- :func:`retrain_if_due`: the worker's step. With ``DISPATCH_RETRAIN_DAYS`` set (0: off), in the
  local hour ``DISPATCH_RETRAIN_HOUR``, once that many days have passed since the last run or the
  newest model; a :class:`RetrainRun` row claimed with a conditional update keeps two workers from
  training at once. The worker trains in a thread of its own, so the SLA steps keep their pace.
- :func:`rollback`: an administrator makes an earlier version active again, saying why.

Why a month, and why train only before it: the active model was (usually) trained before that
month too, so both are judged on orders neither has seen. A model trained on everything up to its
creation may have seen part of the month; the comparison says so (``active_saw_month``), and the
guard then errs on the side of the active model until the next month is complete.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.dispatch import reasons, services
from hotline.dispatch.classifier import DEFAULT_GRID, DispatchClassifier, Params
from hotline.dispatch.models import DispatchModel, ModelChange, RetrainRun, Target
from hotline.dispatch.reasons import ChangeReason
from hotline.orders.models import REASON_MAX_LENGTH
from hotline.org.models import User

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

#: A run that comes a little early (the worker's pass fell a few minutes before last week's) still
#: counts as due: the schedule keeps its hour instead of drifting to the next day.
EARLY_SLACK = dt.timedelta(hours=12)


def _quiet(_message: str) -> None:
    pass


def held_out_month(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The most recent complete calendar month before ``now``, local time: [start, end)."""
    end_day = timezone.localtime(now).date().replace(day=1)
    start_day = (end_day - dt.timedelta(days=1)).replace(day=1)
    return clock.start_of_day(start_day), clock.start_of_day(end_day)


def accuracy(model: DispatchClassifier, data: services.TrainingSet) -> float | None:
    """The share of ``data`` whose first suggestion is its label; ``None`` for no data."""
    if not data.texts:
        return None
    predicted = model.predict_top(data.texts, k=1)
    right = sum(top[0][0] == label for top, label in zip(predicted, data.labels, strict=True))
    return right / len(data.texts)


def first_level_accuracy(
    model: DispatchClassifier, data: services.TrainingSet, tree: dict[str, str]
) -> float | None:
    """The share of ``data`` whose first-level suggestion is its label's first-level unit in
    ``tree`` (a model without its own first level: its unit probabilities rolled up)."""
    if not data.texts:
        return None
    predicted = model.predict(data.texts, k=len(model.classes_))
    right = 0
    for p, label in zip(predicted, data.labels, strict=True):
        if p.first_level:
            guess = p.first_level[0][0]
        else:
            totals: dict[str, float] = {}
            for code, probability in p.suggestions:
                first = tree.get(code, code)
                totals[first] = totals.get(first, 0.0) + probability
            guess = max(totals, key=lambda code: totals[code])
        right += guess == tree.get(label, label)
    return right / len(data.texts)


#: The fewest kept orders a unit needs to be learnt when no active model says otherwise.
MIN_PER_LABEL = 5


def default_min_per_label() -> int:
    """The minimum the active unit model was trained with, else :data:`MIN_PER_LABEL`.

    A retraining learns by the rule the model it would replace was learnt by: the demo's model
    learns a 居委会 from two kept orders (services.DEMO_MIN_PER_LABEL, its three months' history
    gives each a handful), and a candidate that needed five dropped every 居委会, so after the
    worker's first retraining the street was never suggested one. Trained by hand with
    ``--min-per-label N``, a district keeps N until someone trains otherwise."""
    row = DispatchModel.objects.filter(target=Target.UNIT, active=True).first()
    recorded = (row.metrics or {}).get("min_per_label") if row is not None else None
    return recorded if isinstance(recorded, int) and recorded >= 1 else MIN_PER_LABEL


def retrain(
    now: dt.datetime | None = None,
    *,
    via: str = ModelChange.Via.COMMAND,
    actor: User | None = None,
    min_per_label: int | None = None,
    folds: int = 5,
    grid: Sequence[Params] | None = None,
    target_precision: float = 0.98,
    progress: Progress = _quiet,
) -> DispatchModel:
    """Train a candidate before the month held out; activate it if not worse on that month.

    Returns the candidate's row (``active`` says whether it won). ``ValueError`` when the orders
    before the month are too few to learn from. ``grid``: the classifier's default search.
    ``min_per_label``: by default the active model's (:func:`default_min_per_label`).
    """
    now = now or clock.now()
    if min_per_label is None:
        min_per_label = default_min_per_label()
    start, end = held_out_month(now)
    month = f"{timezone.localtime(start):%Y-%m}"
    progress(_("reading the orders registered before %(month)s …") % {"month": month})
    data = services.training_set(Target.UNIT, min_per_label=min_per_label, registered_before=start)
    if len(set(data.labels)) < 2:
        raise ValueError(
            _(
                "Too few orders before %(month)s to learn from: %(orders)d orders of %(units)d "
                "units with at least %(min)d orders each."
            )
            % {
                "month": month,
                "orders": len(data.labels),
                "units": len(set(data.labels)),
                "min": min_per_label,
            }
        )
    progress(
        _(
            "training on %(orders)d orders, %(units)d units (%(skipped)d orders of rarer units "
            "skipped) …"
        )
        % {
            "orders": len(data.texts),
            "units": len(set(data.labels)),
            "skipped": data.skipped_orders,
        }
    )
    began = time.perf_counter()
    row = services.train(
        data,
        target=Target.UNIT,
        target_precision=target_precision,
        folds=folds,
        grid=grid or DEFAULT_GRID,
        activate_it=False,
        now=now,
        trained_until=start,
        progress=progress,
    )
    progress(
        _("trained %(version)s in %(seconds).1f s")
        % {"version": row.version, "seconds": time.perf_counter() - began}
    )

    held_out = services.training_set(
        Target.UNIT, min_per_label=1, registered_from=start, registered_before=end
    )
    progress(
        _("comparing on the %(orders)d orders of %(month)s …")
        % {"orders": len(held_out.texts), "month": month}
    )
    comparison = _compare(row, held_out, month, start)
    kind, code = _decide(comparison)
    comparison["decision"] = kind
    DispatchModel.objects.filter(pk=row.pk).update(comparison=comparison)
    row.comparison = comparison
    if kind == ModelChange.Kind.ACTIVATED:
        services.activate(row, via=via, actor=actor, reason_code=code)
    else:
        ModelChange.objects.create(
            kind=kind,
            via=via,
            target=row.target,
            model=row,
            previous_version=comparison["active_version"] or "",
            actor=actor,
            at=clock.now(),
            reason_code=code,
        )
    progress(reasons.sentence(code, comparison))
    return row


def _compare(
    row: DispatchModel, held_out: services.TrainingSet, month: str, start: dt.datetime
) -> dict[str, Any]:
    tree = services.first_level_codes()
    model = services.load_model(row.version)
    candidate = accuracy(model, held_out)
    active = services.active_model(Target.UNIT)
    active_accuracy = accuracy(active[1], held_out) if active else None
    saw_month = False
    if active is not None:
        # Without a recorded cut-off the model learnt from every order up to its creation.
        seen_until = active[0].trained_until or active[0].created_at
        saw_month = seen_until > start
    return {
        "month": month,
        "orders": len(held_out.texts),
        "candidate_version": row.version,
        "candidate_accuracy": _round(candidate),
        "active_version": active[0].version if active else None,
        "active_accuracy": _round(active_accuracy),
        "active_saw_month": saw_month,
        # For the administrator: the decision is on the unit level, the figures show both.
        "candidate_first_level_accuracy": _round(first_level_accuracy(model, held_out, tree)),
        "active_first_level_accuracy": (
            _round(first_level_accuracy(active[1], held_out, tree)) if active else None
        ),
    }


def _decide(c: dict[str, Any]) -> tuple[str, str]:
    """The guard's verdict: the change's kind and its reason's code (the figures stay in ``c``)."""
    if c["active_version"] is None:
        return ModelChange.Kind.ACTIVATED, ChangeReason.NO_ACTIVE_MODEL
    if not c["orders"]:
        return ModelChange.Kind.REFUSED, ChangeReason.NO_ORDERS
    if c["candidate_accuracy"] >= c["active_accuracy"]:
        return ModelChange.Kind.ACTIVATED, ChangeReason.NOT_WORSE
    return ModelChange.Kind.REFUSED, ChangeReason.WORSE


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# -- the schedule ------------------------------------------------------------------------------


def retrain_if_due(now: dt.datetime | None = None, *, background: bool = False) -> int:
    """Start a scheduled retraining if one is due; 1 when started, 0 otherwise.

    With ``background`` the training runs in a thread of its own and this returns at once (the
    worker); without, it runs here (tests, and a caller that wants the outcome).
    """
    now = now or clock.now()
    days = settings.DISPATCH_RETRAIN_DAYS
    if days <= 0 or timezone.localtime(now).hour != settings.DISPATCH_RETRAIN_HOUR:
        return 0
    run, _created = RetrainRun.objects.get_or_create(target=Target.UNIT)
    newest = DispatchModel.objects.filter(target=Target.UNIT).aggregate(at=Max("created_at"))["at"]
    last = max((t for t in (run.started_at, newest) if t is not None), default=None)
    if last is not None and now - last < dt.timedelta(days=days) - EARLY_SLACK:
        return 0
    # The claim: only the worker that still sees the start time it read wins.
    claimed = RetrainRun.objects.filter(pk=run.pk, started_at=run.started_at).update(
        started_at=now, finished_at=None, outcome=""
    )
    if not claimed:
        return 0
    if background:
        threading.Thread(
            target=_scheduled_run, args=(now, run.pk, True), name="dispatch-retrain", daemon=True
        ).start()
    else:
        _scheduled_run(now, run.pk, False)
    return 1


def _scheduled_run(now: dt.datetime, run_pk: int, own_thread: bool) -> None:
    try:
        row = retrain(now, via=ModelChange.Via.SCHEDULE, progress=log.info)
        change = row.changes.first()
        outcome = change.reason_shown if change is not None else ""
    except Exception as exc:  # a failed run must not stop the worker; the row says why
        log.exception("scheduled dispatch retraining failed")
        outcome = _("Failed: %(error)s") % {"error": exc}
    RetrainRun.objects.filter(pk=run_pk).update(finished_at=clock.now(), outcome=outcome)
    if own_thread:
        connections.close_all()  # this thread's own connections; nobody else will close them


#: The worker's steps (:mod:`hotline.sla.worker`).
STEPS = [("dispatch_retrain", lambda now: retrain_if_due(now, background=True))]


# -- rollback ----------------------------------------------------------------------------------


def check_files(version: str) -> None:
    """``ValueError`` when the files of ``version`` cannot be read: activating it would leave the
    hotline without model suggestions or auto-dispatch, and nobody told (a database restored
    without its ``models`` folder). Rollback and the admin's activation ask this first."""
    try:
        services.load_model(version)
    except (OSError, ValueError) as exc:
        raise ValueError(
            _("The files of %(version)s cannot be used: %(error)s")
            % {"version": version, "error": exc}
        ) from exc


def checked_reason(reason: str) -> str:
    """An activation's or a rollback's reason, stripped, line breaks as one character, at most
    :data:`~hotline.orders.models.REASON_MAX_LENGTH` characters, as an order's reasons are on
    the pages, the API and in the actions (a pasted log was stored in the record whole);
    ``ValueError`` with the pages' message when longer."""
    text = reason.replace("\r\n", "\n").strip()
    if len(text) > REASON_MAX_LENGTH:
        raise ValueError(
            _("Keep it to %(limit)d characters (this has %(length)d).")
            % {"limit": REASON_MAX_LENGTH, "length": len(text)}
        )
    return text


class GuardRefused(ValueError):
    """The version is a candidate the retraining guard kept out; the caller says how to overrule
    it (``--force`` on the command line, the confirmation in the admin)."""


def check_guard(row: DispatchModel, *, force: bool) -> None:
    """:class:`GuardRefused`, naming the guard's comparison, when the scheduled retraining (or
    ``hotline dispatch retrain``) refused ``row`` and ``force`` is not given: a rollback or an
    activation must not put such a candidate into use unless the administrator says so."""
    if force or (row.comparison or {}).get("decision") != ModelChange.Kind.REFUSED:
        return
    refusal = row.changes.filter(kind=ModelChange.Kind.REFUSED).first()
    verdict = (
        refusal.reason_shown
        if refusal is not None
        else reasons.sentence(ChangeReason.WORSE, row.comparison)
    )
    raise GuardRefused(
        _("The retraining guard did not activate %(version)s: %(verdict)s")
        % {"version": row.version, "verdict": verdict}
    )


def rollback(
    version: str, *, reason: str, via: str, actor: User | None = None, force: bool = False
) -> ModelChange:
    """Make an earlier ``version`` active again; ``LookupError`` for an unknown version,
    ``ValueError`` when it is already active, its files are unusable or no reason is given,
    :class:`GuardRefused` for a candidate the retraining guard kept out unless ``force``."""
    row = DispatchModel.objects.filter(version=version).first()
    if row is None:
        raise LookupError(_("No dispatch model %(version)s.") % {"version": version})
    reason = checked_reason(reason)
    if not reason:
        raise ValueError(_("Say why the model is rolled back."))
    if row.active:
        raise ValueError(_("%(version)s is already the active model.") % {"version": version})
    check_guard(row, force=force)
    check_files(row.version)
    with transaction.atomic():
        return services.activate(
            row, via=via, actor=actor, reason=reason, kind=ModelChange.Kind.ROLLED_BACK
        )


def purge_changes(progress: Progress = _quiet) -> None:
    """``hotline demo --reset``'s hook: the record of model changes names the users the reset
    deletes (the product itself never deletes a change; the rows are append-only)."""
    progress("Deleting the dispatch model changes …")
    empty_tables([ModelChange._meta.db_table])
