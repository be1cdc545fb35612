"""``Idempotency-Key``: retrying a registration never registers the call twice.

``POST /api/v1/orders`` and Open311's ``POST requests`` accept the header (any printable ASCII
up to 255 characters, e.g. a UUID the client draws per call). The first request with a key
registers the order and stores the key with it, in the same transaction; a retry with the same
key by the same client within 24 hours gets that order back (``Idempotent-Replayed: true``)
instead of a second one; the same key with a different request is refused (409
``idempotency_key_reused``). Without the header nothing changes.

Two retries racing each other: both try to store the key; the unique index lets one commit and
rolls the other's registration back, which then answers with the first's order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from hotline import clock
from hotline.api.models import IdempotencyKey
from hotline.orders.models import Action, WorkOrder
from hotline.orders.rules import ActionError, InvalidInput
from hotline.org.models import User

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WINDOW = dt.timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class KeyReused(ActionError):
    code, status = "idempotency_key_reused", 409


def key_of(request: HttpRequest) -> str | None:
    """The request's key, ``None`` without one; a malformed key is refused."""
    return checked_key(request.headers.get(HEADER))


def checked_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not _KEY.match(raw.strip()):
        raise InvalidInput(
            _("Idempotency-Key must be 1 to 255 printable ASCII characters without spaces."),
            field=HEADER,
        )
    return raw.strip()


def fingerprint(*parts: Any) -> str:
    """A hash of what the request asks for (its endpoint and its input)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def as_first_answered(order: WorkOrder) -> dict[str, Any]:
    """The order's number, state and version as its registration's answer gave them: after the
    registration's event and, when the system dispatched it right after, that dispatch's (and the
    assignment inside that came with it, at the same instant). A replay answers this, not the
    order as it is now: to a token refused every GET, today's state and version told how the
    order went on (brief, session 24). Events are append-only and their ``seq`` is the version
    they left, so this is the first answer whatever happened since; no schema change."""
    events = list(
        order.events.order_by("seq").values(
            "seq", "action", "to_state", "at", "payload", "actor_id"
        )[:3]
    )
    last = events[0]
    if (
        len(events) > 1
        and events[1]["action"] == Action.DISPATCH
        and events[1]["payload"].get("auto")
    ):
        last = events[1]
        # The sub-unit the model chose, assigned by the system in the same step (no person:
        # dispatch.services.predict_and_maybe_dispatch); a person's later assignment is not.
        if (
            len(events) > 2
            and events[2]["action"] == Action.ASSIGN_INSIDE
            and events[2]["actor_id"] is None
        ):
            last = events[2]
    return {"number": order.number, "state": last["to_state"], "version": last["seq"]}


def _earlier(client: User, key: str, print_: str) -> WorkOrder | None:
    found = (
        IdempotencyKey.objects.select_related("order")
        .filter(client=client, key=key, at__gte=clock.now() - WINDOW)
        .first()
    )
    if found is None:
        return None
    if found.fingerprint != print_:
        raise KeyReused(
            _(
                "This Idempotency-Key was used for a different request "
                "(order %(number)s). Use a new key for a new request."
            )
            % {"number": found.order.number},
            field=HEADER,
        )
    return found.order


def register_once(
    client: User,
    key: str | None,
    print_: str,
    register: Callable[[Callable[[WorkOrder], object]], WorkOrder],
) -> tuple[WorkOrder, bool]:
    """``(order, True)`` after ``register(within)``, or ``(earlier order, False)`` for a retry.

    ``register`` must call ``within(order)`` inside the registration's transaction (the
    ``within`` of :func:`hotline.orders.actions.register`): that stores the key.
    """
    if key is None:
        return register(lambda _order: None), True
    earlier = _earlier(client, key, print_)
    if earlier is not None:
        return earlier, False
    # A key older than the window may be used again: make room for it (and drop all the others
    # that expired; the index on ``at`` keeps this cheap).
    IdempotencyKey.objects.filter(at__lt=clock.now() - WINDOW).delete()

    def store(order: WorkOrder) -> None:
        IdempotencyKey.objects.create(client=client, key=key, fingerprint=print_, order=order)

    try:
        return register(store), True
    except IntegrityError:
        earlier = _earlier(client, key, print_)
        if earlier is None:
            raise
        return earlier, False
