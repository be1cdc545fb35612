"""Work orders and their append-only event log.

The ``state`` column and every other lifecycle column change only through
:mod:`hotline.orders.actions`, which writes an :class:`Event` in the same transaction.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline import clock
from hotline.appendonly import AppendOnly
from hotline.security.masking import mask_number
from hotline.sla.models import Urgency


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ANSWERED = "answered", _("Answered directly")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Return requested")
    REPLIED = "replied", _("Replied, awaiting review")
    REVIEWED = "reviewed", _("Reply approved")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")
    CANCELLED = "cancelled", _("Cancelled")


#: The longest reason or note a person gives an action (a return's or a refusal's reason, a
#: hand-back, an assignment's note, a comment …): the pages, the API and the actions all read it.
REASON_MAX_LENGTH = 1000
#: The longest answer or reply to the citizen (直接答复, 办结答复): longer than a reason, still a
#: page, not a pasted document.
REPLY_MAX_LENGTH = 5000
#: The longest description of a request (诉求内容), however it comes in: the operator's intake
#: form, the citizen's portal form, the API, Open311 and imports all read it, as does
#: :func:`~hotline.orders.actions.register` (a pasted megabyte was stored and shown).
DESCRIPTION_MAX_LENGTH = 4000

#: States in which nothing more happens to an order (``closed`` may still be reopened).
FINAL_STATES = frozenset({State.ANSWERED, State.CLOSED, State.MERGED, State.CANCELLED})
#: States in which a handling unit holds the order and its deadlines run.
AT_UNIT_STATES = frozenset({State.DISPATCHED, State.ACCEPTED, State.REOPENED})
OPEN_STATES = frozenset(set(State) - FINAL_STATES)


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    APP = "app", _("App")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    HELP = "help", _("Request for help")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    REPORT = "report", _("Report")
    PRAISE = "praise", _("Praise")


class ReplyResult(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    EXPLAINED = "explained", _("Explained")
    UNRESOLVABLE = "unresolvable", _("Cannot be resolved")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class CallbackOutcome(models.TextChoices):
    """A callback call that did not reach a verdict (a reached call is the ``callback`` action)."""

    NOT_REACHED = "not_reached", _("Not reached")
    REFUSED = "refused", _("Refused")


class ContactWay(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    SMS = "sms", _("SMS")


class Action(models.TextChoices):
    """Every kind of event. Names are the glossary's; the API uses them in kebab-case."""

    REGISTER = "register", _("Register")
    ANSWER = "answer", _("Answer directly")
    DISPATCH = "dispatch", _("Dispatch")
    REDISPATCH = "redispatch", _("Redispatch")
    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Request return")
    APPROVE_RETURN = "approve_return", _("Approve return")
    REJECT_RETURN = "reject_return", _("Reject return")
    FIRST_CONTACT = "first_contact", _("First contact")
    REQUEST_EXTENSION = "request_extension", _("Request extension")
    APPROVE_EXTENSION = "approve_extension", _("Approve extension")
    REJECT_EXTENSION = "reject_extension", _("Reject extension")
    REPLY = "reply", _("Reply")
    APPROVE_REPLY = "approve_reply", _("Approve reply")
    REJECT_REPLY = "reject_reply", _("Reject reply")
    CALLBACK = "callback", _("Callback")
    # 未接通 / 拒访: a callback call that did not reach a verdict (no state change); enough of them,
    # or a refusal, close the order as unreachable (close_unreachable).
    CALLBACK_ATTEMPT = "callback_attempt", _("Callback attempt")
    CLOSE_UNREACHABLE = "close_unreachable", _("Closed: citizen unreachable")
    REOPEN = "reopen", _("Reopen")
    URGE = "urge", _("Urge")
    SUPERVISE = "supervise", _("Supervise")
    MERGE = "merge", _("Merge")
    CANCEL = "cancel", _("Cancel")
    COMMENT = "comment", _("Comment")
    CLOSE = "close", pgettext_lazy("an order's action", "Close")
    OVERDUE = "overdue", _("Marked overdue")
    APPEAL = "appeal", _("Appeal")
    APPROVE_APPEAL = "approve_appeal", _("Approve appeal")
    REJECT_APPEAL = "reject_appeal", _("Reject appeal")
    # 二级派单: the lead unit assigns the order to one of its sub-units (or reassigns it); the
    # sub-unit may hand it back up to its parent. The centre still deals with the lead unit.
    ASSIGN_INSIDE = "assign_inside", _("Assign inside the unit")
    HAND_BACK = "hand_back", _("Hand back up")


def mask_phone(phone: str) -> str:
    """*******5678: at most the last four digits, never more than half of them, at any length
    (one rule with the log and access-log masking, :func:`hotline.security.masking.mask_number`)."""
    return mask_number(phone.strip())


class DailyCounter(models.Model):
    """Hands out the per-day sequence in order numbers (``20230309-000123``)."""

    day = models.DateField(_("day"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("daily order counter")
        verbose_name_plural = _("daily order counters")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class WorkOrderQuerySet(models.QuerySet["WorkOrder"]):
    def open(self) -> WorkOrderQuerySet:
        return self.filter(state__in=OPEN_STATES)

    def at_units(self) -> WorkOrderQuerySet:
        return self.filter(state__in=AT_UNIT_STATES)


class WorkOrder(models.Model):
    """One citizen request's case file (工单)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # The citizen. Anonymous orders keep the phone for callback but never show it to units.
    citizen_name = models.CharField(_("citizen name"), max_length=50, blank=True)
    citizen_phone = models.CharField(_("citizen phone"), max_length=30, blank=True, db_index=True)
    citizen_email = models.EmailField(_("citizen e-mail"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The request.
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    street = models.ForeignKey(
        "org.Unit",
        verbose_name=_("street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        "org.Unit",
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    category = models.ForeignKey(
        "org.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.HELP)
    # The lifecycle.
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.REGISTERED
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Bumped by every event; a write that expected another version is a conflict."),
    )
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_orders",
    )
    # 二级派单: the sub-unit (a section, a 居委会) the lead unit assigned the order to, always
    # strictly below the lead unit; empty while the lead unit holds it itself.
    assigned_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_orders",
    )
    co_units = models.ManyToManyField(
        "org.Unit", verbose_name=_("co-units"), blank=True, related_name="co_orders"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    registered_at = models.DateTimeField(_("registered at"), default=clock.now, db_index=True)
    registered_by = models.ForeignKey(
        "org.User",
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Deadlines in force (an approved extension moves reply_due). Indexed for the SLA worker.
    accept_due = models.DateTimeField(_("sign for by"), null=True, blank=True, db_index=True)
    first_contact_due = models.DateTimeField(_("first contact by"), null=True, blank=True)
    reply_due = models.DateTimeField(_("reply by"), null=True, blank=True, db_index=True)
    return_due = models.DateTimeField(_("return allowed until"), null=True, blank=True)
    callback_due = models.DateTimeField(_("call back by"), null=True, blank=True, db_index=True)
    supervision_due = models.DateTimeField(_("supervision deadline"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    # What the SLA worker already did for the deadlines in force, so it never does it twice.
    accept_urged_for = models.DateTimeField(
        _("sign-for deadline urged"), null=True, blank=True, editable=False
    )
    reply_urged_for = models.DateTimeField(
        _("reply deadline urged"), null=True, blank=True, editable=False
    )
    # Pending requests from the unit.
    extension_days = models.PositiveSmallIntegerField(
        _("extension requested (working days)"), null=True, blank=True
    )
    appeal_pending = models.CharField(
        _("appeal pending (KPI)"),
        max_length=24,
        blank=True,
        help_text=_("The KPI a unit's appeal waiting for a supervisor's decision is about."),
    )
    # The outcome.
    reply_result = models.CharField(
        _("reply result"), max_length=16, choices=ReplyResult.choices, blank=True
    )
    reply_text = models.TextField(_("reply"), blank=True)
    callback_resolved = models.BooleanField(_("resolved at callback"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=24, choices=Satisfaction.choices, blank=True
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    cancel_reason = models.TextField(_("cancel reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["state", "lead_unit"], name="order_state_unit"),
            models.Index(fields=["lead_unit", "registered_at"], name="order_unit_registered"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    def masked_phone(self) -> str:
        return mask_phone(self.citizen_phone) if self.citizen_phone else ""

    @property
    def holding_unit_id(self) -> int | None:
        """The unit that has the order in hand: the sub-unit it was assigned to, else the lead
        unit. It and every unit above it sign for, contact and reply."""
        return self.assigned_unit_id or self.lead_unit_id


class Event(AppendOnly):
    """One thing that happened to an order: who, when, what, from which state to which, why.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger refuses them in
    the database too. Events are the audit trail and the source of every KPI.
    """

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="events"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        "org.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the system (SLA worker, automatic dispatch, portal)."),
    )
    actor_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("for unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    from_state = models.CharField(_("from state"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, choices=State.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The order's lead unit after this event: KPIs attribute events by it."),
    )
    assigned_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The sub-unit holding the order after this event (two-level dispatch); empty while the "
            "lead unit holds it. KPIs attribute the event to it, rolled up to the lead unit."
        ),
    )
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["order", "seq"]
        constraints = [
            # Two writers that raced past the version check still cannot both append seq N.
            models.UniqueConstraint(fields=["order", "seq"], name="event_order_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["action", "at"], name="event_action_at"),
            # KPIs leave out orders merged or cancelled before a period's end: a tiny partial
            # index finds those orders without scanning the whole log (bench/kpi.py).
            models.Index(
                fields=["order", "at"],
                condition=models.Q(to_state__in=["merged", "cancelled"]),
                name="event_order_gone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}#{self.seq} {self.get_action_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.order.number[:8]}/{instance.order.number}/{filename}"


class Attachment(models.Model):
    """A file attached to an order (photo, scan, recording) at registration or by an action."""

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        "org.User",
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name
