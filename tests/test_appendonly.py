"""Every event table of every app refuses changes through one shared guard (hotline.appendonly).

The per-app tests (orders, cases, kb, hall…) change and delete real stored events; this file checks
that no event model was left out of the guard, so a new app's event table is caught when it
forgets it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from hotline.appendonly import AppendOnly, AppendOnlyQuerySet

# Written-once rows whose names do not end in "Event".
OTHER_LOGS = {"kb.Revision", "kb.ArticleUse", "hall.SelfServiceUse"}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def event_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label != "admin"
        and (model.__name__.endswith("Event") or model._meta.label in OTHER_LOGS)
    ]


def test_the_event_tables_are_the_ones_we_know() -> None:
    # A guard list that silently matched nothing would pass everything below.
    labels = {model._meta.label for model in event_models()}
    assert {
        "orders.Event",
        "kb.ArticleEvent",
        "kb.Revision",
        "hall.TicketEvent",
        "hall.WindowEvent",
        "hall.AppointmentEvent",
        "hall.SelfServiceUse",
        "cases.CaseEvent",
        "ratings.RatingEvent",
        "assistance.AssistanceEvent",
    } <= labels


@pytest.mark.parametrize("model", event_models(), ids=lambda m: m._meta.label)
def test_bulk_update_and_delete_of_events_are_refused(model: type[models.Model]) -> None:
    events = model._default_manager.all()
    assert isinstance(events, AppendOnlyQuerySet)
    with pytest.raises(ValidationError, match="append-only"):
        events.update(pk=1)
    with pytest.raises(ValidationError, match="append-only"):
        events.delete()


@pytest.mark.parametrize(
    "model",
    [model for model in event_models() if issubclass(model, AppendOnly)],
    ids=lambda m: m._meta.label,
)
def test_a_stored_event_cannot_be_saved_again_or_deleted(model: type[models.Model]) -> None:
    # A row loaded from the database is not "adding": the guard refuses before any SQL runs.
    event = model()
    event._state.adding = False
    with pytest.raises(ValidationError, match="append-only"):
        event.save()
    with pytest.raises(ValidationError, match="append-only"):
        event.delete()


@pytest.mark.parametrize(
    "label",
    [
        "orders.Event",
        "kb.ArticleEvent",
        "cases.CaseEvent",
        "ratings.RatingEvent",
        "assistance.AssistanceEvent",
    ],
)
def test_events_with_a_lifecycle_share_the_whole_guard(label: str) -> None:
    assert issubclass(apps.get_model(label), AppendOnly)
