"""申诉: a unit contests an order's KPI-negative outcome; a supervisor approves or rejects.

An appeal changes no state. The order carries at most one pending appeal
(``WorkOrder.appeal_pending`` names its KPI), and every step is an event: ``appeal`` (with the
KPI, the reason and any attachment), then ``approve_appeal`` or ``reject_appeal``. Approved
appeals are read back from the event log by :func:`hotline.assessment.kpis.approved_exclusions`,
so the order leaves that KPI's numerator and denominator in every period, and no other KPI.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from hotline import clock
from hotline.orders.actions._core import _apply, _reason
from hotline.orders.actions.intake import store_attachment, upload_name
from hotline.orders.models import Action, Event, WorkOrder
from hotline.orders.rules import InvalidInput, InvalidTransition, check
from hotline.org.models import User


def _pending(order: WorkOrder) -> str:
    if not order.appeal_pending:
        raise InvalidTransition(_("No appeal is waiting for a decision."))
    return order.appeal_pending


def appeal(
    order: WorkOrder,
    actor: User,
    *,
    kpi: str,
    reason: str,
    attachment: UploadedFile | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The lead unit asks for the order to be left out of one KPI it counts against."""
    from hotline.assessment import kpis  # assessment reads orders; import late to keep layers

    now = now or clock.now()
    check(order, actor, Action.APPEAL)
    if order.appeal_pending:
        raise InvalidTransition(_("An appeal on this order is already waiting for a decision."))
    if kpi not in kpis.APPEALABLE:
        raise InvalidInput(_("Choose the indicator the appeal is about."), field="kpi")
    reason = _reason(reason, "reason", _("Say why the outcome should not count against the unit."))
    if kpis.appeal_decided(order, kpi):
        raise InvalidTransition(_("An appeal on this indicator was already approved."))
    # Whether the order really counts against the unit on that KPI is the supervisor's call:
    # the appeal queue shows it (kpis.negative_kpis), the appeal itself is not refused for it.
    name = upload_name(attachment) if attachment is not None else ""
    with transaction.atomic():
        event = _apply(
            order,
            actor,
            Action.APPEAL,
            now=now,
            expected_version=expected_version,
            changes={"appeal_pending": kpi},
            reason=reason,
            payload={"kpi": kpi, "attachment": name} if name else {"kpi": kpi},
        )
        if attachment is not None:
            store_attachment(order, actor, attachment, name=name, event=event, now=now)
    return event


def approve_appeal(
    order: WorkOrder,
    actor: User,
    *,
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """The order leaves the appealed KPI (numerator and denominator) in every period."""
    now = now or clock.now()
    check(order, actor, Action.APPROVE_APPEAL)
    kpi = _pending(order)
    return _apply(
        order,
        actor,
        Action.APPROVE_APPEAL,
        now=now,
        expected_version=expected_version,
        changes={"appeal_pending": ""},
        reason=_reason(note, "note"),
        payload={"kpi": kpi},
    )


def reject_appeal(
    order: WorkOrder,
    actor: User,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Event:
    now = now or clock.now()
    check(order, actor, Action.REJECT_APPEAL)
    kpi = _pending(order)
    reason = _reason(reason, "reason", _("Say why the appeal is rejected."))
    return _apply(
        order,
        actor,
        Action.REJECT_APPEAL,
        now=now,
        expected_version=expected_version,
        changes={"appeal_pending": ""},
        reason=reason,
        payload={"kpi": kpi},
    )
