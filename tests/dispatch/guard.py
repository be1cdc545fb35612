"""Helpers for the retraining tests: a history spread over months, and recorded models.

``shift`` names the bureau Dan sends each kind of complaint to: 0 is the right one (the unit whose
issues the complaint is about), 1 the next bureau — a history where every order went to the wrong
unit, which teaches a model the wrong thing.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from hotline.dispatch import services
from hotline.dispatch.classifier import DispatchClassifier, Params
from hotline.dispatch.models import DispatchModel
from hotline.dispatch.store import save_version
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from hotline.org.models import Unit
from tests.conftest import District
from tests.dispatch import synthetic
from tests.dispatch.history import CODES, complaint_for, kept, register

ORDER = list(CODES.values())
#: One grid point, three folds: the tests train in a second or two.
SMALL = {"grid": (Params(char_ngram_max=2, C=1.0),), "folds": 3}


def sent_to(code: str, shift: int) -> str:
    return ORDER[(ORDER.index(code) + shift) % len(ORDER)]


def history(
    d: District,
    units: dict[str, Unit],
    registered_at: dt.datetime,
    per_unit: int,
    shift: int = 0,
    seed: int = 0,
) -> list[WorkOrder]:
    """``per_unit`` complaints per bureau registered at ``registered_at``, each dispatched by Dan
    to the bureau ``shift`` places along, which replied (kept it)."""
    orders = []
    for code in ORDER:
        for i in range(per_unit):
            order = register(d, complaint_for(code, seed=seed * 1000 + ORDER.index(code) * 50 + i))
            actions.dispatch(order, d.dan, lead_unit=units[sent_to(code, shift)])
            orders.append(kept(order))
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders]).update(registered_at=registered_at)
    return orders


def recorded_model(
    data_dir: Path, created_at: dt.datetime, trained_until: dt.datetime, shift: int = 0
) -> DispatchModel:
    """A model trained on synthetic complaints labelled ``shift`` bureaus along, written under
    ``data_dir`` and recorded (not active)."""
    model, size = _fitted(shift)
    meta = save_version(model, data_dir / "models" / "dispatch", created_at, activate=False)
    return DispatchModel.objects.create(
        version=meta["version"],
        created_at=created_at,
        training_size=size,
        trained_until=trained_until,
    )


@functools.cache
def _fitted(shift: int) -> tuple[DispatchClassifier, int]:
    """Trained once per test run and shift (the same data gives the same model; saving does
    not change it): each test's set-up trained two, about 30 s on CI's busy cores."""
    texts, names = synthetic.labelled(per_unit=12, seed=7)
    model = DispatchClassifier(n_splits=3, grid=SMALL["grid"]).fit(
        texts, [sent_to(CODES[n], shift) for n in names]
    )
    return model, len(texts)


def activate(row: DispatchModel) -> None:
    services.activate(row, reason="set up by the test")
