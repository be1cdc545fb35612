"""差评 → a 12345 work order, through the orders' own intake and dispatch actions.

The order is registered by the system (like a self-service channel), in the rectification
category, and dispatched to the hall's service centre, so the hotline's lifecycle, deadlines,
urging, supervision and KPIs apply to it unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hotline.hall.models import Hall
from hotline.orders import actions as orders
from hotline.orders.models import Channel as OrderChannel
from hotline.orders.models import Kind, WorkOrder
from hotline.org.models import Category, Unit
from hotline.ratings.actions._core import step
from hotline.ratings.models import Rating, RatingAction
from hotline.sla.models import Basis, DeadlinePolicy, DeadlineRule, Urgency

#: The deadline policy the ratings app keeps in line with RATING_CONTACT_DAYS and
#: RATING_RECTIFY_DAYS (the demo's rectification category uses it).
POLICY_CODE = "hall-rectify"


def rectification_policy() -> DeadlinePolicy:
    """The ``hall-rectify`` policy, its normal-urgency rule equal to the settings (created or
    corrected here, so a changed setting applies to the next 差评 without a data migration)."""
    policy, _created = DeadlinePolicy.objects.get_or_create(
        code=POLICY_CODE,
        defaults={
            "name": "好差评整改",
            "description": "差评整改：1个工作日内联系群众，15个工作日内整改答复（可配置）。",
        },
    )
    terms = {
        "basis": Basis.WORKING_DAYS,
        "accept": 1,
        "first_contact": settings.RATING_CONTACT_DAYS,
        "reply": settings.RATING_RECTIFY_DAYS,
        "return_window": 1,
        "callback": settings.RATING_CONTACT_DAYS,
    }
    rule = policy.rule_for(Urgency.NORMAL)
    if rule is None:
        DeadlineRule.objects.create(policy=policy, urgency=Urgency.NORMAL, **terms)
    elif any(getattr(rule, name) != value for name, value in terms.items()):
        DeadlineRule.objects.filter(pk=rule.pk).update(**terms)
    return policy


def rectification_category() -> Category:
    """The category ``RATING_CATEGORY`` names; created at the top level (with the ``hall-rectify``
    policy) where a deployment's taxonomy has none, so no 差评 is ever lost for want of it."""
    policy = rectification_policy()
    category = Category.objects.filter(code=settings.RATING_CATEGORY).first()
    if category is None:
        category = Category.objects.create(
            code=settings.RATING_CATEGORY, name="好差评整改", deadline_policy=policy
        )
    return category


def responsible_unit(hall: Hall) -> Unit:
    """The unit that rectifies a hall's 差评: its own service centre. Dispatching names it; a
    service centre under a street goes to that street (the first-level unit the centre deals
    with), assigned inside to the service centre in the same step (二级派单)."""
    return hall.unit


def _citizen_name(rating: Rating) -> str:
    """The citizen's name as the visit gives it: the ticket's holder, else the applicant of the
    visit's first case (looked up by name: ratings work without the cases app)."""
    if rating.ticket.holder_name.strip():
        return rating.ticket.holder_name.strip()
    if not rating.case_numbers or not apps.is_installed("hotline.cases"):
        return ""
    case = (
        apps.get_model("cases", "Case")
        .objects.filter(number__in=rating.case_numbers)
        .select_related("submission")
        .order_by("number")
        .first()
    )
    return case.submission.applicant_name.strip() if case else ""


def open_rectification(rating: Rating, *, phone: str = "", now: dt.datetime) -> WorkOrder:
    """Register and dispatch the rating's rectification order; the rating records it.

    Written in the hall's language (``LANGUAGE_CODE``), not the rater's page's: the order, its
    description and its dispatch note are for the centre's and the unit's staff. A 差评 given on
    a page in English registered an English order (session 30, h4)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _open_rectification(rating, phone=phone, now=now)


def _open_rectification(rating: Rating, *, phone: str, now: dt.datetime) -> WorkOrder:
    ticket = rating.ticket
    hall = rating.hall
    local = timezone.localtime(rating.served_at)
    reasons = "、".join(rating.reason_labels())
    lines = [
        _("Service rating %(level)s at %(hall)s.")
        % {"level": rating.get_level_display(), "hall": hall.unit.name},
        _("Ticket %(ticket)s, %(matter)s, window %(window)s, served %(at)s.")
        % {
            "ticket": ticket.number,
            "matter": rating.matter.name,
            "window": rating.window.number if rating.window else "-",
            "at": f"{local:%Y-%m-%d %H:%M}",
        },
        _("Reasons: %(reasons)s") % {"reasons": reasons},
    ]
    if rating.case_numbers:
        lines.append(_("Cases: %(numbers)s") % {"numbers": ", ".join(rating.case_numbers)})
    if rating.comment:
        lines.append(_("The citizen wrote: %(comment)s") % {"comment": rating.comment})
    order = orders.register(
        None,
        title=_("Rectify a bad service rating: %(hall)s, ticket %(ticket)s")
        % {"hall": hall.unit.name, "ticket": ticket.number},
        description="\n".join(lines),
        channel=OrderChannel.OTHER,
        citizen_phone=phone,
        # The name the ticket or its case gives, so the unit calls the citizen by it (shown
        # masked per role, as every order's caller; walk-through, session 25, B-L5).
        citizen_name=_citizen_name(rating)[:50],
        kind=Kind.COMPLAINT,
        category=rectification_category(),
        now=now,
    )
    orders.dispatch(
        order,
        None,
        lead_unit=responsible_unit(hall),
        note=_("Rectify the service the citizen rated badly and tell them what was done."),
        now=now,
    )
    step(
        rating,
        None,
        RatingAction.RECTIFY,
        now=now,
        changes={"order": order},
        payload={"order": order.number, "unit": hall.unit.code},
    )
    return order
