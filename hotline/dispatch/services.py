"""Dispatch intelligence as the rest of the application sees it.

- :func:`suggest`: units to offer the dispatcher — rules first (the category's default unit from
  the 权责清单, the street the address lies in), then the active model's top 3 with probabilities.
- :func:`predict_and_maybe_dispatch`: called after registration (web intake, API), never from
  inside ``actions.register``: stores the active model's :class:`Prediction`; with
  ``AUTO_DISPATCH`` on and a confidence at or above the model's threshold, dispatches the order
  as the system (the event says ``auto`` and names the version).
- :func:`training_set` / :func:`train`: the district's own history as training data. The label is
  the unit that finally kept the order (the last dispatch, redispatch or approved return), so
  dispatcher corrections and approved returns teach the next version.
- :func:`report`: predicted top unit vs the unit that finally kept the order, per model version.
- :func:`activate`: the one write path that changes the active model; each change is recorded
  (:class:`ModelChange`). Scheduled retraining, its guard and rollback: :mod:`.retraining`.

No active :class:`DispatchModel` row: rules only, nothing stored, nothing dispatched.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hotline import clock
from hotline.dispatch import store
from hotline.dispatch.classifier import DEFAULT_GRID, DispatchClassifier, Params
from hotline.dispatch.hierarchy import roll_up
from hotline.dispatch.models import (
    DispatchModel,
    ModelChange,
    Prediction,
    Target,
    active_cache_key,
)
from hotline.dispatch.reasons import ChangeReason
from hotline.orders.models import Action, Event, State, WorkOrder
from hotline.org.models import Category, Unit, UnitKind, User, first_level_ids, subtree_ids

log = logging.getLogger(__name__)

#: Events after which the order's ``unit`` is the unit the centre sent it to.
DISPATCH_ACTIONS = (Action.DISPATCH, Action.REDISPATCH, Action.APPROVE_RETURN)
#: Events after which the unit holding the order is the one that kept it: the centre's, and the
#: lead unit's assignments inside (and hand-backs up).
LABEL_ACTIONS = (*DISPATCH_ACTIONS, Action.ASSIGN_INSIDE, Action.HAND_BACK)
#: Orders whose final unit says nothing about where they belonged.
EXCLUDED_STATES = (State.CANCELLED, State.MERGED)
#: Orders whose unit has kept them: it replied (the reply under review, approved, closed, or
#: reopened to the same unit). Before the reply a unit may still ask to return the order, and
#: one being returned belongs elsewhere: neither is a label yet.
KEPT_STATES = (State.REPLIED, State.REVIEWED, State.CLOSED, State.REOPENED)
#: How many suggestions the model contributes.
TOP_K = 3


def order_text(title: str, description: str) -> str:
    """What the classifier reads: the same at training and prediction time."""
    return f"{title}\n{description}".strip()


# -- the active model -------------------------------------------------------------------------

_cache: dict[tuple[str, str], DispatchClassifier] = {}
_cache_lock = threading.Lock()


#: How long a process trusts its answer to "which model is active?". Every registration asks it
#: (twice: unit and category), and activation is a rare admin act; another process sees a new
#: activation within this many seconds, this one at once (:func:`activate` forgets the answer).
ACTIVE_ROW_SECONDS = 10


def active_row(target: str = Target.UNIT) -> DispatchModel | None:
    cached = cache.get(active_cache_key(target))
    if cached is not None:
        return cached[0]  # a one-tuple, so "no active model" is cached too
    row = DispatchModel.objects.filter(target=target, active=True).first()
    cache.set(active_cache_key(target), (row,), ACTIVE_ROW_SECONDS)
    return row


def active_version(target: str = Target.UNIT) -> str | None:
    return (
        DispatchModel.objects.filter(target=target, active=True)
        .values_list("version", flat=True)
        .first()
    )


def load_model(version: str) -> DispatchClassifier:
    """The model files of ``version``, read once per process (versions never change on disk)."""
    root = store.default_root()
    key = (str(root), version)
    with _cache_lock:
        model = _cache.get(key)
        if model is None:
            model = DispatchClassifier.load(root / version)
            if len(_cache) >= len(Target.values) * 2:  # the active ones, and their successors
                _cache.clear()
            _cache[key] = model
    return model


def active_model(target: str = Target.UNIT) -> tuple[DispatchModel, DispatchClassifier] | None:
    """The active version's row and model; ``None`` when none is active or its files are
    unusable."""
    row = active_row(target)
    if row is None:
        return None
    try:
        return row, load_model(row.version)
    except (OSError, ValueError) as exc:
        log.warning("dispatch model %s cannot be loaded: %s", row.version, exc)
        return None


def activate(
    row: DispatchModel,
    *,
    via: str = ModelChange.Via.COMMAND,
    reason: str = "",
    reason_code: str = "",
    actor: User | None = None,
    kind: str = ModelChange.Kind.ACTIVATED,
) -> ModelChange:
    """Make ``row`` the active version for its target and record who, when and why (the one
    write path for activations and rollbacks); the file pointer follows when present.
    ``reason``: a person's words; ``reason_code``: the system's
    (:class:`~hotline.dispatch.reasons.ChangeReason`)."""
    previous = active_version(row.target) or ""
    with transaction.atomic():
        row.activate()
        change = ModelChange.objects.create(
            kind=kind,
            via=via,
            target=row.target,
            model=row,
            previous_version=previous,
            actor=actor,
            at=clock.now(),
            reason=reason,
            reason_code=reason_code,
        )
    root = store.default_root()
    if (root / row.version).is_dir():
        store.activate_version(root, row.version, row.target)
    return change


# -- suggestions ------------------------------------------------------------------------------


def rule_suggestions(order: WorkOrder) -> list[dict[str, Any]]:
    """Rule-based suggestions: the category's default unit (权责清单), then the address's street."""
    found: list[dict[str, Any]] = []
    if order.category and order.category.effective_default_unit:
        found.append(
            {
                "unit": order.category.effective_default_unit,
                "why": _("category"),
                "source": "category",
                "probability": None,
            }
        )
    if order.street and all(s["unit"] != order.street for s in found):
        found.append(
            {"unit": order.street, "why": _("address"), "source": "address", "probability": None}
        )
    return found


def model_suggestions(order: WorkOrder) -> tuple[str, list[tuple[Unit, float]]] | None:
    """The active unit model's top 3 first-level units for the order (二级派单: the centre
    dispatches to a bureau, a street, a group company), as (unit, probability), and its version.

    The prediction stored at registration is used when it came from the active version; a model
    trained without the unit tree has its unit probabilities rolled up to the first level with
    today's tree. Units no longer able to receive orders are left out.
    """
    loaded = active_model(Target.UNIT)
    if loaded is None:
        return None
    row, model = loaded
    stored = (
        Prediction.objects.filter(order=order, target=Target.UNIT, model_version=row.version)
        .values_list("first_level", flat=True)
        .first()
    )
    if stored:
        top = [(str(code), float(p)) for code, p in stored]
    else:
        top = first_level_top(model, order_text(order.title, order.description))
    units = _receiving_units([code for code, _p in top])
    return row.version, [(units[code], p) for code, p in top if code in units]


def first_level_top(
    model: DispatchClassifier, text: str, k: int = TOP_K
) -> list[tuple[str, float]]:
    """The ``k`` most likely first-level units for ``text``: the model's own first level when it
    was trained with the unit tree, else its unit probabilities rolled up with today's tree."""
    result = model.predict([text], k=k)[0]
    if result.first_level:
        return result.first_level
    ranked = model.predict_top([text], k=len(model.classes_))[0]
    labels = [code for code, _p in ranked]
    groups, probabilities = roll_up(
        labels, np.array([[p for _code, p in ranked]]), first_level_codes()
    )
    order = np.argsort(-probabilities[0], kind="stable")[:k]
    return [(str(groups[j]), float(probabilities[0, j])) for j in order]


def first_level_codes() -> dict[str, str]:
    """Every unit's code → the code of its first-level unit (today's tree, two queries)."""
    first = first_level_ids()
    codes = dict(Unit.objects.values_list("pk", "code"))
    return {codes[pk]: codes[top] for pk, top in first.items()}


#: On the pages, a unit the model gives less than this probability is not offered as a
#: suggestion of its own (a rule's suggestion stays, with the model's figure): a list of
#: near-zero guesses only slows the dispatcher or handler down, and the order page showed them
#: as "model 0%". The API lists the model's whole top 3 with its figures.
SUGGESTION_FLOOR = 0.01


def suggest(order: WorkOrder, *, floor: float = 0.0) -> list[dict[str, Any]]:
    """Rules first, then the model's top 3 with probabilities (with ``floor``, those of at least
    that much); each unit once.

    Each suggestion: ``unit``, ``source`` (category, address or model), ``why`` (the source,
    translated) and ``probability`` (the model's, also on a rule suggestion the model agrees
    with; ``None`` otherwise). A rule's suggestion keeps the model's figure only at ``floor`` or
    above: under it the page read '（地址，模型 0%）'.
    """
    found = rule_suggestions(order)
    predicted = model_suggestions(order)
    if predicted is None:
        return found
    _version, top = predicted
    for unit, probability in top:
        if probability < floor:
            continue
        same = next((s for s in found if s["unit"] == unit), None)
        if same is not None:
            same["probability"] = probability
        else:
            found.append(
                {"unit": unit, "why": _("model"), "source": "model", "probability": probability}
            )
    return found


def suggest_inside(order: WorkOrder, k: int = TOP_K) -> list[tuple[Unit, float]]:
    """Sub-units of the order's lead unit the active model suggests, as (unit, probability), best
    first; empty without an active model, a lead unit with sub-units, or a sub-unit it knows.

    The probability is the model's, given that the order belongs to the lead unit: each
    sub-unit's share of the probability of the lead unit's whole subtree (the lead unit itself
    included, so a history where such orders stay with the lead unit shows as low shares); a
    share under :data:`SUGGESTION_FLOOR` is not offered.
    """
    if order.lead_unit_id is None:
        return []
    inside = Unit.objects.handling().filter(id__in=subtree_ids([order.lead_unit_id]))
    by_code = {u.code: u for u in inside}
    lead = next((u for u in by_code.values() if u.pk == order.lead_unit_id), None)
    subs = {code: u for code, u in by_code.items() if u.pk != order.lead_unit_id}
    loaded = active_model(Target.UNIT) if subs else None
    if loaded is None:
        return []
    model = loaded[1]
    text = order_text(order.title, order.description)
    ranked = model.predict_top([text], k=len(model.classes_))[0]
    within = {code: p for code, p in ranked if code in subs or (lead and code == lead.code)}
    total = sum(within.values())
    if total <= 0.0:
        return []
    shares = [(subs[code], p / total) for code, p in within.items() if code in subs]
    shares.sort(key=lambda pair: -pair[1])
    return [(unit, share) for unit, share in shares[:k] if share >= SUGGESTION_FLOOR]


def _receiving_units(codes: list[str]) -> dict[str, Unit]:
    units = Unit.objects.filter(code__in=codes, active=True).exclude(kind=UnitKind.HOTLINE_CENTRE)
    return {u.code: u for u in units}


# -- prediction at registration ---------------------------------------------------------------


def auto_dispatch_enabled() -> bool:
    return bool(getattr(settings, "AUTO_DISPATCH", False))


def predict(order: WorkOrder, target: str = Target.UNIT) -> Prediction | None:
    """Store the active ``target`` model's prediction for the order (once); ``None`` without one.
    A unit model trained with the unit tree also names the first-level units, with their own
    confidence."""
    loaded = active_model(target)
    if loaded is None:
        return None
    row, model = loaded
    result = model.predict([order_text(order.title, order.description)], k=TOP_K)[0]
    prediction, _created = Prediction.objects.get_or_create(
        order=order,
        target=target,
        defaults={
            "model_version": row.version,
            "top": [[code, round(p, 6)] for code, p in result.suggestions],
            "confidence": round(result.confidence, 6),
            "first_level": [[code, round(p, 6)] for code, p in result.first_level],
            "first_level_confidence": (
                round(result.first_level_confidence, 6) if result.first_level else None
            ),
            "created_at": clock.now(),
        },
    )
    return prediction


def auto_dispatch_units(
    prediction: Prediction, row: DispatchModel | None
) -> tuple[Unit, Unit | None] | None:
    """Where the system may send the order on its own: (first-level unit, sub-unit or ``None``).

    - The unit suggestion at or above the model's threshold, and (with a first level) lying under
      the first-level unit the model suggests: to its first-level unit, and the unit itself as
      the sub-unit when it lies below that.
    - Else the first-level suggestion at or above the first-level threshold: to that unit only;
      it assigns inside itself (the model's sub-units are suggested to it).
    - Else ``None``. An empty threshold never dispatches at its level.
    """
    if row is None:
        return None
    tree = first_level_codes()
    code = str(prediction.predicted)
    first_code = tree.get(code, code)
    suggested_first = str(prediction.first_level[0][0]) if prediction.first_level else None
    unit_sure = row.threshold is not None and prediction.confidence >= row.threshold
    if unit_sure and suggested_first in (None, first_code):
        units = _receiving_units([first_code, code])
        if first_code in units:
            return units[first_code], units.get(code) if code != first_code else None
    level_sure = (
        row.first_level_threshold is not None
        and prediction.first_level_confidence is not None
        and prediction.first_level_confidence >= row.first_level_threshold
    )
    if level_sure and suggested_first is not None:
        unit = _receiving_units([suggested_first]).get(suggested_first)
        if unit is not None and tree.get(suggested_first, suggested_first) == suggested_first:
            return unit, None
    return None


def predict_and_maybe_dispatch(order: WorkOrder) -> Prediction | None:
    """After registration: store the predictions; auto-dispatch when allowed and confident enough.

    Auto-dispatch needs ``AUTO_DISPATCH`` on, a registered order and a confident prediction
    (:func:`auto_dispatch_units`). The centre always dispatches to the first-level unit; when the
    model is also confident about a sub-unit below it, the system assigns the order inside to
    that sub-unit (the first-level unit can reassign it or take it back; otherwise it assigns
    inside itself, with the model's sub-units suggested). System actions (no actor); a refusal
    leaves the order registered.
    """
    predict(order, Target.CATEGORY)
    prediction = predict(order, Target.UNIT)
    if prediction is None or prediction.auto_dispatched or not auto_dispatch_enabled():
        return prediction
    if order.state != State.REGISTERED:
        return prediction
    row = DispatchModel.objects.filter(version=prediction.model_version).first()
    found = auto_dispatch_units(prediction, row)
    if found is None:
        return prediction
    unit, sub_unit = found
    from hotline.orders import actions  # the write path; imported late (it imports much)
    from hotline.orders.rules import ActionError

    try:
        with transaction.atomic():
            actions.dispatch(
                order, None, lead_unit=unit, auto=True, model_version=prediction.model_version
            )
            if sub_unit is not None:
                actions.assign_inside(
                    order, None, unit=sub_unit, note=_("Assigned by the dispatch model.")
                )
            Prediction.objects.filter(pk=prediction.pk).update(auto_dispatched=True)
    except ActionError as exc:  # e.g. a dispatcher was quicker: the order stays theirs
        log.info("auto-dispatch of %s refused: %s", order.number, exc.message)
        return prediction
    prediction.auto_dispatched = True
    return prediction


# -- category suggestions while the operator types ---------------------------------------------

#: Below this calibrated confidence the category model's first choice is not shown: a guess
#: offered to an operator on a call costs more than no suggestion.
CATEGORY_CONFIDENCE_FLOOR = 0.5
#: Nor when the text is unlike anything the model learnt from ("你好", "asdf"): a linear model
#: still names a class with high probability there. Cosine similarity of the nearest example.
CATEGORY_SIMILARITY_FLOOR = 0.15


def suggest_categories(title: str, description: str) -> list[tuple[Category, float]]:
    """Up to :data:`TOP_K` active leaf categories for the text being typed, with the chance each
    is right, best first; empty without an active category model or a confident answer."""
    text = order_text(title, description)
    loaded = active_model(Target.CATEGORY) if text else None
    if loaded is None:
        return []
    result = loaded[1].predict([text], k=TOP_K)[0]
    if result.confidence < CATEGORY_CONFIDENCE_FLOOR or result.nearest < CATEGORY_SIMILARITY_FLOOR:
        return []
    # The first at its calibrated confidence; runners-up at their probability, if not too low.
    chances = [(result.label, result.confidence)] + [
        (code, p) for code, p in result.suggestions[1:] if p >= CATEGORY_CONFIDENCE_FLOOR
    ]
    found = Category.objects.filter(code__in=[code for code, _p in chances], active=True)
    by_code = {c.code: c for c in found.select_related("parent__parent")}
    return [(by_code[code], p) for code, p in chances if code in by_code]


# -- the demo district: models on first start ---------------------------------------------------

#: The demo trains small and fast on first start (one grid point, three folds: seconds, not
#: minutes); `hotline dispatch train` does the full search.
DEMO_GRID = (Params(char_ngram_max=2, C=1.0),)
DEMO_FOLDS = 3
#: Fewer labelled orders than this is a test-sized district: no model to learn from it.
DEMO_MIN_ORDERS = 1000
#: The demo's three months give each 居委会 a handful of kept orders (a real district's history,
#: years of it, gives dozens): learnt from two, so that the street is suggested its 居委会.
DEMO_MIN_PER_LABEL = 2


def train_demo_models(progress: Callable[[str], None]) -> None:
    """``hotline.org.demo`` load hook: a unit and a category model from the demo's orders, so
    dispatch suggestions and intake's category suggestions work from the first call."""
    for target in (Target.UNIT, Target.CATEGORY):
        data = training_set(target, min_per_label=DEMO_MIN_PER_LABEL)
        if len(data.texts) < DEMO_MIN_ORDERS:
            continue
        progress(f"Training the dispatch model ({target}) …")
        train(data, target=target, folds=DEMO_FOLDS, grid=DEMO_GRID)


# -- training from the database ---------------------------------------------------------------


@dataclass
class TrainingSet:
    texts: list[str]
    labels: list[str]
    skipped_labels: dict[str, int]
    #: The fewest orders a label needed to be kept (recorded with the model trained on it).
    min_per_label: int = 1

    @property
    def skipped_orders(self) -> int:
        return sum(self.skipped_labels.values())


#: Order ids looked up at once by :func:`final_units` (below every database's parameter limit).
ID_CHUNK = 900


def unit_codes() -> dict[int | None, str | None]:
    """Every unit's id → its code (``None`` → ``None``): what :func:`kept_units` reads the
    events' units by. Read once per report, not once per chunk of orders."""
    codes: dict[int | None, str | None] = {None: None}
    codes.update(Unit.objects.values_list("id", "code"))
    return codes


def final_units(
    order_ids: Iterable[int] | None = None,
    registered_from: dt.datetime | None = None,
    registered_before: dt.datetime | None = None,
) -> dict[int, str]:
    """Per order its unit has kept (replied to: :data:`KEPT_STATES`): the code of the unit that
    finally kept it — the sub-unit it was assigned to inside its lead unit (二级派单), if any,
    else the lead unit; optionally only for orders registered in ``[registered_from,
    registered_before)``. Open orders before the reply (a unit may still return them, or is
    returning them) and cancelled or merged ones are left out: they teach nothing yet.

    Given ``order_ids``, only those orders, looked up :data:`ID_CHUNK` at a time along the
    events' order index: a long list is no single ``IN`` list past the database's parameter
    limit, and a few ids do not cost a scan of every dispatch and reply in the history."""
    fields = ("order_id", "action", "unit__code", "assigned_unit__code")
    if order_ids is not None:
        ids = list(order_ids)
        codes = unit_codes()
        found: dict[int, str] = {}
        for start in range(0, len(ids), ID_CHUNK):
            # The ids alone in SQL, the state checked here: with it in the query, SQLite walks
            # the state's index — every kept order of the history — for a few hundred orders.
            kept = [
                pk
                for pk, state in WorkOrder.objects.filter(
                    id__in=ids[start : start + ID_CHUNK]
                ).values_list("id", "state")
                if state in KEPT_STATES
            ]
            found.update(kept_units(kept, codes))
        return found
    labelled = (
        Event.objects.filter(order__state__in=KEPT_STATES)
        .filter(Q(action__in=LABEL_ACTIONS, unit__isnull=False) | Q(action=Action.REPLY))
        .order_by("order_id", "seq")
    )
    if registered_from is not None:
        labelled = labelled.filter(order__registered_at__gte=registered_from)
    if registered_before is not None:
        labelled = labelled.filter(order__registered_at__lt=registered_before)
    return _kept_by(labelled.values_list(*fields))


def kept_units(kept_ids: Sequence[int], codes: dict[int | None, str | None]) -> dict[int, str]:
    """:func:`final_units` of orders the caller read in :data:`KEPT_STATES` (at most
    :data:`ID_CHUNK` of them), the units' codes from :func:`unit_codes`: one query, their
    events. Orders without a label event (history imported closed, never sent to a unit) are
    left out."""
    if not kept_ids:
        return {}
    # The action checked here, not in SQL: with it in the query, SQLite walks the action's
    # index — every dispatch and reply of the history — for a few hundred orders.
    events = list(
        Event.objects.filter(order_id__in=kept_ids)
        .order_by("order_id", "seq")
        .values_list("order_id", "action", "unit_id", "assigned_unit_id")
    )
    # A unit created since the codes were read (a long report, a busy day): read it too.
    if missing := {u for *_ids, lead, sub in events for u in (lead, sub) if u not in codes}:
        codes.update(Unit.objects.filter(id__in=missing).values_list("id", "code"))
    return _kept_by(
        (order_id, action, codes[lead], codes[sub]) for order_id, action, lead, sub in events
    )


def labelled(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """Those of ``orders`` that have a label event (:data:`LABEL_ACTIONS` naming a unit): the
    ones :func:`final_units` finds a unit for, if they are in :data:`KEPT_STATES`."""
    return orders.filter(
        Exists(
            Event.objects.filter(order=OuterRef("pk"), action__in=LABEL_ACTIONS, unit__isnull=False)
        )
    )


def _kept_by(events: Iterable[tuple[int, str, str | None, str | None]]) -> dict[int, str]:
    """:func:`final_units` from an order's events (order id, action, lead unit, sub-unit),
    ordered by order and seq; events other than a label's or a reply are passed over."""
    # Each label event records the lead unit and the sub-unit holding the order after it (a
    # hand-back up to the lead unit empties the latter); the label is who held the order at its
    # last reply — a reopened order may since have been assigned inside or handed back by a unit
    # that has not replied (yet). An order with no reply event (history imported closed) keeps
    # its last holder.
    holder: dict[int, str] = {}
    replied: dict[int, str] = {}
    for order_id, action, lead, assigned in events:
        if action == Action.REPLY:
            if order_id in holder:
                replied[order_id] = holder[order_id]
        elif action in LABEL_ACTIONS and lead is not None:
            holder[order_id] = assigned or lead
    return {order_id: replied.get(order_id, unit) for order_id, unit in holder.items()}


def training_set(
    target: str = Target.UNIT,
    min_per_label: int = 5,
    registered_from: dt.datetime | None = None,
    registered_before: dt.datetime | None = None,
) -> TrainingSet:
    """Texts and labels from the orders (those registered in ``[registered_from,
    registered_before)`` when given); labels with fewer than ``min_per_label`` orders are skipped
    (a unit seen twice cannot be learnt, and would only add noise)."""
    orders = WorkOrder.objects.all()
    if registered_from is not None:
        orders = orders.filter(registered_at__gte=registered_from)
    if registered_before is not None:
        orders = orders.filter(registered_at__lt=registered_before)
    if target == Target.UNIT:
        labels_by_order = final_units(
            registered_from=registered_from, registered_before=registered_before
        )
        orders = orders.filter(state__in=KEPT_STATES)
    else:
        orders = orders.filter(category__isnull=False).exclude(state__in=EXCLUDED_STATES)
        labels_by_order = dict(orders.values_list("id", "category__code"))
    # The texts by the same filter, not by one IN list of every labelled id: a district's history
    # (100,000-300,000 orders) would pass the databases' parameter limits.
    rows = orders.values_list("id", "title", "description")
    texts, labels = [], []
    for pk, title, description in rows.order_by("id").iterator():
        if pk in labels_by_order:
            texts.append(order_text(title, description))
            labels.append(labels_by_order[pk])
    counts = Counter(labels)
    rare = {label: n for label, n in counts.items() if n < min_per_label}
    keep = [i for i, label in enumerate(labels) if label not in rare]
    return TrainingSet(
        texts=[texts[i] for i in keep],
        labels=[labels[i] for i in keep],
        skipped_labels=rare,
        min_per_label=min_per_label,
    )


def train(
    data: TrainingSet | tuple[list[str], list[str]],
    *,
    target: str = Target.UNIT,
    target_precision: float = 0.98,
    folds: int = 5,
    grid: Sequence[Params] = DEFAULT_GRID,
    activate_it: bool = True,
    root: Path | None = None,
    now: dt.datetime | None = None,
    trained_until: dt.datetime | None = None,
    via: str = ModelChange.Via.COMMAND,
    actor: User | None = None,
    progress: Callable[[str], None] | None = None,
) -> DispatchModel:
    """Fit a model, write it as a new version and record it; ``ValueError`` for too little data.

    A unit model learns the first level too, from today's unit tree (二级派单), with its own
    auto-dispatch threshold. ``trained_until``: the orders it learnt from were registered before
    this time (recorded, so that a later comparison knows which orders the model has not seen).
    ``progress`` receives the classifier's progress lines.
    """
    texts, labels = (data.texts, data.labels) if isinstance(data, TrainingSet) else data
    model = DispatchClassifier(
        grid=grid, n_splits=folds, target_precision=target_precision, progress=progress or False
    ).fit(texts, labels, first_level_of=first_level_codes() if target == Target.UNIT else None)
    meta = store.save_version(
        model, root or store.default_root(), now or clock.now(), target=target, activate=False
    )
    row = DispatchModel.objects.create(
        version=meta["version"],
        target=target,
        created_at=now or clock.now(),
        training_size=meta["training_size"] or len(texts),
        metrics={
            **{k: v for k, v in meta["metrics"].items() if k != "grid"},
            # The next scheduled retraining learns by the same rule (retraining.min_per_label).
            **({"min_per_label": data.min_per_label} if isinstance(data, TrainingSet) else {}),
        },
        threshold=_finite(meta["threshold"]),
        first_level_threshold=(
            _finite(model.first_level.threshold) if model.first_level.active else None
        ),
        trained_until=trained_until,
    )
    if activate_it:
        activate(row, via=via, actor=actor, reason_code=ChangeReason.TRAINED)
    return row


def _finite(value: Any) -> float | None:
    return float(value) if isinstance(value, float) and math.isfinite(value) else None


# -- the corrections report -------------------------------------------------------------------


def report(
    version: str | None = None, top: int = 10, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Predicted top unit vs the unit that finally kept the order, for one version or all.

    ``accuracy`` over orders with a prediction and a final unit, ``first_level_accuracy`` the
    same one level up (the model's first-level suggestion, or its unit's first-level unit, against
    the final unit's, in today's tree); ``auto_precision`` over the auto-dispatched ones among
    them, at the first level, where the system sends orders (``None`` when there are none);
    ``confusions``: the most frequent (predicted, final) pairs that differ; ``conflicts``:
    near-identical recent orders that ended with different units
    (:func:`hotline.dispatch.conflicts.find`), for an administrator to fix the rule or the
    taxonomy.
    """
    from hotline.dispatch import conflicts  # it reads the labels through this module

    predictions = Prediction.objects.filter(target=Target.UNIT)
    if version:
        predictions = predictions.filter(model_version=version)
    rows = list(predictions.values_list("order_id", "top", "first_level", "auto_dispatched"))
    final = final_units([order_id for order_id, *_rest in rows])
    tree = first_level_codes()
    compared = auto = auto_right = right = first_right = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for order_id, top_list, first_list, was_auto in rows:
        kept = final.get(order_id)
        if kept is None or not top_list:
            continue
        guess = str(top_list[0][0])
        guess_first = str(first_list[0][0]) if first_list else tree.get(guess, guess)
        compared += 1
        hit = guess == kept
        first_hit = guess_first == tree.get(kept, kept)
        right += hit
        first_right += first_hit
        if was_auto:
            auto += 1
            auto_right += first_hit
        if not hit:
            confusions[(guess, kept)] += 1
    return {
        "version": version,
        "predictions": len(rows),
        "compared": compared,
        "accuracy": round(right / compared, 4) if compared else None,
        "first_level_accuracy": round(first_right / compared, 4) if compared else None,
        "auto_dispatched": auto,
        "auto_precision": round(auto_right / auto, 4) if auto else None,
        "confusions": [
            {"predicted": p, "final": f, "count": n} for (p, f), n in confusions.most_common(top)
        ],
        "conflicts": conflicts.find(now=now, top=top),
    }
