"""Citizens' phone numbers: who may see them whole, the record of each time they were, and masking
in free text (logs, exports).

Hotline-centre staff see the full number (they call citizens back); unit handlers see it masked
(:func:`hotline.orders.rules.sees_full_phone`). Every response that shows a full number records a
:class:`~hotline.security.models.PhoneView` through :func:`record_views`; free text is masked with
:func:`~hotline.security.masking.mask_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from hotline.orders.rules import sees_full_phone
from hotline.security.client import client_address
from hotline.security.masking import mask_text
from hotline.security.models import PhoneView

if TYPE_CHECKING:
    from django.http import HttpRequest

    from hotline.orders.models import WorkOrder
    from hotline.org.models import User


def _client(request: HttpRequest | None) -> str:
    return client_address(request)[:64] if request is not None else ""


def record_views(
    user: User | None,
    orders: Iterable[WorkOrder],
    where: str,
    request: HttpRequest | None = None,
    *,
    revealed: bool = False,
    detail: str = "",
) -> int:
    """Record that ``user`` was shown these orders' phone numbers unmasked.

    Only orders with a phone count, and only for a user who sees full numbers (a masked view is
    no disclosure) or to whom a number was ``revealed`` on request (the lead unit's one-click
    reveal, :func:`hotline.orders.rules.may_reveal_phone`). One insert for the lot. Returns the
    number of rows written. ``detail`` says more where ``where`` alone does not (whose consent).
    """
    if user is not None and not revealed and not sees_full_phone(user):
        return 0
    path = request.path[:200] if request is not None else ""
    rows = [
        PhoneView(
            user=user,
            order=o,
            where=where,
            path=path,
            client=_client(request),
            detail=detail[:300],
        )
        for o in orders
        if o.citizen_phone
    ]
    PhoneView.objects.bulk_create(rows)
    return len(rows)


def record_export(user: User | None, where: str, detail: str) -> PhoneView:
    """An export that carries full phone numbers: one row saying what was exported."""
    return PhoneView.objects.create(user=user, where=where, detail=detail[:300])


__all__ = ["mask_text", "record_export", "record_views"]
