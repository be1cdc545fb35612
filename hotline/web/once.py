"""Register once per form: a one-time token in the intake and portal forms.

The form page renders a fresh :func:`new_token` in a hidden field (``{% include "_once.html" %}``);
the view passes the posted token and its registration to :func:`register_once`. The second
submission of the same form gets the first one's order back.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from hotline import clock
from hotline.orders.models import WorkOrder
from hotline.web.models import FormSubmission

FIELD = "submission"
KEEP = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(post: Mapping[str, Any]) -> str:
    """The token a form came back with, or ``""`` (an old page, a script): then no check."""
    value = post.get(FIELD) or ""
    return value if isinstance(value, str) and _TOKEN.match(value) else ""


def earlier_order(token: str) -> WorkOrder | None:
    """The order this token already registered, if any."""
    if not token:
        return None
    claim = FormSubmission.objects.select_related("order").filter(token=token).first()
    return claim.order if claim is not None else None


def register_once(token: str, register: Callable[[], WorkOrder]) -> tuple[WorkOrder, bool]:
    """``(order, True)`` after running ``register``, or ``(earlier order, False)`` when this
    token already registered one. Call inside no transaction of your own: the claim and the
    registration commit together, and an error in ``register`` releases the token.

    The claim is inserted first, so of two submissions racing with one token the second waits
    on the unique index (PostgreSQL) or the write lock (SQLite) and then finds the first's order.
    """
    if not token:
        with transaction.atomic():
            return register(), True
    try:
        with transaction.atomic():
            claim = FormSubmission.objects.create(token=token)
            order = register()
            claim.order = order
            claim.save(update_fields=["order"])
    except IntegrityError:
        earlier = earlier_order(token)
        if earlier is None:
            raise
        return earlier, False
    FormSubmission.objects.filter(at__lt=clock.now() - KEEP).delete()
    return order, True


def claim(token: str) -> bool:
    """Claim ``token`` for a write that registers no order (a 帮办 record): ``True`` the first
    time, ``False`` when an earlier sending of the same form claimed it. Call inside the write's
    own transaction, so a write that fails releases the token with it; no token (an old page, a
    script) claims nothing and is always ``True``."""
    if not token:
        return True
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        return False
    return True
