"""帮办 and 代办: who helped whom with which matters, from when to when, with what outcome.

- 帮办 (assisted handling): a member of the hall's staff — or a leader doing 帮办 at a
  one-window-for-all counter — helps a citizen through their matters; started, then ended with an
  outcome.
- 代办 (proxy handling): the hall acts for the applicant under a written authorisation (授权委托书:
  who authorised it, the document's reference, valid until); it moves through its stages —
  authorised, accepted, submitted, completed — or is withdrawn.

The ``state`` column changes only through :mod:`hotline.assistance.actions`, which writes an
:class:`AssistanceEvent` in the same transaction. The citizen is kept as a masked name and the
hall's keyed hash (as tickets are), never a number in clear.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hotline.appendonly import AppendOnly


class Kind(models.TextChoices):
    HELP = "help", _("Assisted handling")
    PROXY = "proxy", _("Proxy handling")


class AssistState(models.TextChoices):
    OPEN = "open", _("Helping")
    ENDED = "ended", _("Ended")
    AUTHORISED = "authorised", _("Authorised")
    ACCEPTED = "accepted", _("Accepted by the hall")
    SUBMITTED = "submitted", _("Submitted for the applicant")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")
    REFERRED = "referred", _("Referred elsewhere")


class AssistAction(models.TextChoices):
    START = "start", _("Started")
    END = "end", _("Ended")
    ACCEPT = "accept", _("Accepted")
    # Not the shared "Submitted" (提交时间, a column of when an order came in).
    SUBMIT = "submit", pgettext_lazy("a proxy application lodged", "Submitted")
    COMPLETE = "complete", _("Completed")
    WITHDRAW = "withdraw", _("Withdrawn")


class Assistance(models.Model):
    """One 帮办 or 代办: the helper, the citizen (masked), the matters, the time and the outcome."""

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("hall"), on_delete=models.PROTECT, related_name="assistances"
    )
    helper = models.ForeignKey(
        "org.User", verbose_name=_("helper"), on_delete=models.PROTECT, related_name="+"
    )
    by_leader = models.BooleanField(
        _("by a leader"), default=False, help_text=_("The helper was a leader.")
    )
    citizen_name = models.CharField(_("citizen (masked)"), max_length=30, blank=True)
    citizen_key = models.CharField(_("citizen key"), max_length=64, blank=True, db_index=True)
    matters = models.ManyToManyField("matters.Matter", verbose_name=_("matters"), related_name="+")
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case_numbers = models.JSONField(_("case numbers"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=AssistState.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # 代办 only: the written authorisation (授权委托书).
    authoriser_name = models.CharField(_("authorised by (masked)"), max_length=30, blank=True)
    authorisation_ref = models.CharField(_("authorisation reference"), max_length=60, blank=True)
    authorised_until = models.DateField(_("authorisation valid until"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("assisted or proxy handling")
        verbose_name_plural = _("assisted and proxy handling")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="proxy") | ~models.Q(authorisation_ref=""),
                name="assistance_proxy_has_authorisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.citizen_name} {self.started_at:%Y-%m-%d}"


class AssistanceEvent(AppendOnly):
    """One step of a 帮办 or 代办. Append-only."""

    assistance = models.ForeignKey(
        Assistance,
        verbose_name=_("assisted or proxy handling"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=10, choices=AssistAction.choices)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        "org.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(
        _("from state"), max_length=12, choices=AssistState.choices, blank=True
    )
    to_state = models.CharField(_("to state"), max_length=12, choices=AssistState.choices)
    note = models.TextField(_("note"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assistance event")
        verbose_name_plural = _("assistance events")
        ordering = ["assistance", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["assistance", "seq"], name="assistance_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.assistance_id}#{self.seq} {self.get_action_display()}"
