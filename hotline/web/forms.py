"""One form per order action: typed input for the page, then the action itself.

Forms only validate what a person typed; every business rule stays in
:mod:`hotline.orders.actions`, whose errors the view puts back on the form (nothing typed is lost).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hotline.orders import actions
from hotline.orders.models import (
    DESCRIPTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    Action,
    CallbackOutcome,
    Channel,
    ContactWay,
    Event,
    Kind,
    ReplyResult,
    Satisfaction,
    WorkOrder,
)
from hotline.orders.rules import NotFound
from hotline.org.models import Category, Unit, User, first_level_ids
from hotline.sla.models import Urgency
from hotline.web.unit_picker import UnitTreeSelect, UnitTreeSelectMultiple

TEXTAREA = forms.Textarea(attrs={"rows": 3})

#: Too short a text, in the project's words: Django's own read "确保该变量至少包含 10 字符(目前
#: 字符数 9)" to a citizen (a programmer's "variable", half-width brackets; walk-through,
#: session 23).
TOO_SHORT = ngettext_lazy(
    "Please write at least %(limit_value)d character (now %(show_value)d).",
    "Please write at least %(limit_value)d characters (now %(show_value)d).",
    "limit_value",
)

#: Too long a text, in the words the actions use for the same limit ("请控制在1000字以内
#: （现有1200字）。"): the form answers first, and Django's own read "确保该变量包含不超过
#: 1000 字符 (目前字符数 1200)。" (walk-through, session 26, L1).
TOO_LONG = ngettext_lazy(
    "Keep it to %(limit_value)d character (this has %(show_value)d).",
    "Keep it to %(limit_value)d characters (this has %(show_value)d).",
    "limit_value",
)


class ReasonField(forms.CharField):
    """A reason or note: at most :data:`REASON_MAX_LENGTH` characters, checked on the server
    and said beside the field (no ``maxlength`` attribute, which would cut a paste silently);
    what was typed stays in the form."""

    limit = REASON_MAX_LENGTH

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", TEXTAREA)
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, validators.MinLengthValidator):
                validator.message = TOO_SHORT
        self.validators.append(validators.MaxLengthValidator(self.limit, message=TOO_LONG))

    def to_python(self, value: Any) -> Any:
        # Browsers send a textarea's line breaks as CRLF: counted as two, 999 characters typed
        # on ten lines read "1,008" and were refused. One line break is one character.
        text = super().to_python(value)
        return text.replace("\r\n", "\n") if isinstance(text, str) else text


class ReplyField(ReasonField):
    """An answer or reply to the citizen: at most :data:`REPLY_MAX_LENGTH` characters."""

    limit = REPLY_MAX_LENGTH


class DescriptionField(ReasonField):
    """A request's description: at most :data:`DESCRIPTION_MAX_LENGTH` characters."""

    limit = DESCRIPTION_MAX_LENGTH


def handling_units() -> Any:
    return Unit.objects.handling().select_related("parent").order_by("kind", "sort_order", "code")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class ActionForm(forms.Form):
    """Base: ``perform`` calls the action with the cleaned data."""

    action: Action
    danger = False  # shown with a warning colour (cancel, return …)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        raise NotImplementedError


def _simple(
    action: Action,
    function: Any,
    field: str | None,
    label: Any,
    required: bool,
    danger: bool = False,
    keyword: str | None = None,
) -> type[ActionForm]:
    """A form with at most one text field (reason, note or text)."""
    attrs: dict[str, Any] = {"action": action, "danger": danger}
    if field:
        # Reasons, notes and comments have one cap, the answer to the citizen a longer one.
        kind = ReplyField if action == Action.ANSWER else ReasonField
        attrs[field] = kind(label=label, required=required, widget=TEXTAREA)

    def perform(self: ActionForm, order: WorkOrder, user: User, version: int | None) -> Event:
        kwargs = {keyword or field: self.cleaned_data[field]} if field else {}
        return function(order, user, expected_version=version, **kwargs)

    attrs["perform"] = perform
    return type(f"{action.title().replace('_', '')}Form", (ActionForm,), attrs)


#: The picker's words (unit-picker.js reads them from the select: scripts hold no text).
PICKER_TEXT = {
    "data-placeholder": _("Type a name or its pinyin initials (e.g. jnl)"),
    "data-empty": _("No unit matches."),
    "data-remove": _("Remove"),
    "data-required": _("Choose a unit from the list."),
}


class DispatchForm(ActionForm):
    action = Action.DISPATCH
    # Plain selects in tree order; unit-picker.js turns them into a searchable tree (pinyin
    # initials from the server), co-units picked one by one without Ctrl-click.
    lead_unit = UnitChoiceField(
        label=_("Lead unit"),
        queryset=Unit.objects.none(),
        widget=UnitTreeSelect(attrs={"data-unit-picker": "one", **PICKER_TEXT}),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "First-level units only (a street, a bureau): each involves its own sub-units."
        ),
        widget=UnitTreeSelectMultiple(attrs={"size": 6, "data-unit-picker": "many", **PICKER_TEXT}),
    )
    note = ReasonField(label=_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = handling_units()
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = units  # type: ignore[attr-defined]
        listed = list(units)
        # The centre deals with first-level units: a sub-unit is offered under its own one, and
        # choosing it dispatches to that one, which is assigned the sub-unit (二级派单). A co-unit
        # has no assignment inside of its own, so only first-level units are offered there (the
        # action refuses a sub-unit, naming its first-level unit; review r1 M4).
        self.fields["lead_unit"].widget.set_units(listed, blank="—", by_first_level=True)
        levels = first_level_ids()
        first = [u for u in listed if levels.get(u.pk, u.pk) == u.pk]
        self.fields["co_units"].widget.set_units(first, by_first_level=True)

    # Which action sends the order to the chosen unit, and what it calls the free text.
    send: Callable[..., Event] = staticmethod(actions.dispatch)
    text_keyword = "note"

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        data = self.cleaned_data
        return self.send(
            order,
            user,
            lead_unit=data["lead_unit"],
            co_units=data["co_units"],
            expected_version=version,
            **{self.text_keyword: data["note"]},
        )


class RedispatchForm(DispatchForm):
    action = Action.REDISPATCH
    note = ReasonField(label=_("Reason"))
    send = staticmethod(actions.redispatch)
    text_keyword = "reason"


class ApproveReturnForm(DispatchForm):
    action = Action.APPROVE_RETURN
    send = staticmethod(actions.approve_return)


class AssignInsideForm(ActionForm):
    """二级派单: the lead unit picks one of its sub-units. The picker lists only the units this
    person may assign to (:meth:`limit_to`); the action checks the choice again."""

    action = Action.ASSIGN_INSIDE
    order: WorkOrder  # set by limit_to
    unit = UnitChoiceField(
        label=_("Assign to"),
        queryset=Unit.objects.none(),
        widget=UnitTreeSelect(attrs={"data-unit-picker": "one", **PICKER_TEXT}),
    )
    note = ReasonField(label=_("Note"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Bound from a POST before the order is known: any active unit here, the action decides.
        self.fields["unit"].queryset = Unit.objects.active()  # type: ignore[attr-defined]

    def limit_to(self, order: WorkOrder, user: User) -> None:
        from hotline.orders.actions.inside import assignable_unit_ids

        self.order = order
        ids = assignable_unit_ids(order, user) - {order.assigned_unit_id}
        units = Unit.objects.active().filter(pk__in=ids).order_by("sort_order", "code")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].widget.set_units(list(units), blank="—")

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.assign_inside(
            order,
            user,
            unit=self.cleaned_data["unit"],
            note=self.cleaned_data["note"],
            expected_version=version,
        )


class FirstContactForm(ActionForm):
    action = Action.FIRST_CONTACT
    way = forms.ChoiceField(
        label=_("Way"),
        choices=ContactWay.choices,
        widget=forms.RadioSelect,
        initial=ContactWay.PHONE,
    )
    contacted_at = forms.DateTimeField(
        label=_("Contacted at (empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = ReasonField(label=_("Note"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        data = self.cleaned_data
        when = data["contacted_at"]
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        return actions.first_contact(
            order,
            user,
            way=data["way"],
            contacted_at=when,
            note=data["note"],
            expected_version=version,
        )


class RequestExtensionForm(ActionForm):
    action = Action.REQUEST_EXTENSION
    days = forms.IntegerField(label=_("Working days"), min_value=1, initial=3)
    reason = ReasonField(label=_("Reason"))

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.request_extension(
            order,
            user,
            days=self.cleaned_data["days"],
            reason=self.cleaned_data["reason"],
            expected_version=version,
        )


class ReplyForm(ActionForm):
    action = Action.REPLY
    result = forms.ChoiceField(
        label=_("Result"),
        choices=ReplyResult.choices,
        widget=forms.RadioSelect,
        initial=ReplyResult.RESOLVED,
    )
    text = ReplyField(label=_("Reply to the citizen"), widget=forms.Textarea(attrs={"rows": 5}))

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.reply(
            order,
            user,
            result=self.cleaned_data["result"],
            text=self.cleaned_data["text"],
            expected_version=version,
        )


class CallbackForm(ActionForm):
    """The citizen was reached: their verdict, which the agent must choose (nothing preselected:
    a default verdict would be recorded by one careless click and inflate the KPIs)."""

    action = Action.CALLBACK
    resolved = forms.TypedChoiceField(
        label=_("Resolved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    note = ReasonField(label=_("Note"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        data = self.cleaned_data
        return actions.callback(
            order,
            user,
            resolved=data["resolved"],
            satisfaction=data["satisfaction"],
            note=data["note"],
            expected_version=version,
        )


class CallbackAttemptForm(ActionForm):
    """The citizen was not reached (未接通) or refused (拒访): recorded with the time."""

    action = Action.CALLBACK_ATTEMPT
    outcome = forms.ChoiceField(
        label=_("Outcome of the call"), choices=CallbackOutcome.choices, widget=forms.RadioSelect
    )
    note = ReasonField(label=_("Note"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.callback_attempt(
            order,
            user,
            outcome=self.cleaned_data["outcome"],
            note=self.cleaned_data["note"],
            expected_version=version,
        )


class SuperviseForm(ActionForm):
    action = Action.SUPERVISE
    working_days = forms.IntegerField(label=_("Deadline in working days"), min_value=1, initial=2)
    note = ReasonField(label=_("Note"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.supervise(
            order,
            user,
            working_days=self.cleaned_data["working_days"],
            note=self.cleaned_data["note"],
            expected_version=version,
        )


class MergeForm(ActionForm):
    action = Action.MERGE
    parent = forms.CharField(label=_("Merge into order number"), max_length=20)
    reason = ReasonField(label=_("Reason"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        parent = WorkOrder.objects.filter(number=self.cleaned_data["parent"].strip()).first()
        if parent is None:
            raise NotFound(str(_("No order with this number.")), field="parent")
        return actions.merge(
            order, user, parent=parent, reason=self.cleaned_data["reason"], expected_version=version
        )


def _appeal_choices() -> list[tuple[str, Any]]:
    from hotline.assessment.kpis import APPEALABLE, LABELS

    return [(name, LABELS[name]) for name in APPEALABLE]


class AppealForm(ActionForm):
    action = Action.APPEAL
    kpi = forms.ChoiceField(label=_("Indicator"), choices=_appeal_choices)
    reason = ReasonField(label=_("Why it should not count"))
    attachment = forms.FileField(label=_("Evidence (optional)"), required=False)

    def perform(self, order: WorkOrder, user: User, version: int | None) -> Event:
        return actions.appeal(
            order,
            user,
            kpi=self.cleaned_data["kpi"],
            reason=self.cleaned_data["reason"],
            attachment=self.cleaned_data["attachment"],
            expected_version=version,
        )


_FORMS: list[type[ActionForm]] = [
    _simple(Action.ANSWER, actions.answer, "text", _("Answer given"), True),
    DispatchForm,
    RedispatchForm,
    _simple(Action.ACCEPT, actions.accept, None, None, False),
    AssignInsideForm,
    _simple(
        Action.HAND_BACK,
        actions.hand_back,
        "reason",
        _("Why does it go back up?"),
        True,
        danger=True,
    ),
    _simple(
        Action.RETURN,
        actions.request_return,
        "reason",
        _("Why is this not your unit's?"),
        True,
        danger=True,
    ),
    ApproveReturnForm,
    _simple(Action.REJECT_RETURN, actions.reject_return, "reason", _("Reason"), True),
    FirstContactForm,
    RequestExtensionForm,
    _simple(Action.APPROVE_EXTENSION, actions.approve_extension, "note", _("Note"), False),
    _simple(Action.REJECT_EXTENSION, actions.reject_extension, "reason", _("Reason"), True),
    ReplyForm,
    _simple(Action.APPROVE_REPLY, actions.approve_reply, "note", _("Note"), False),
    _simple(
        Action.REJECT_REPLY,
        actions.reject_reply,
        "reason",
        _("What is missing?"),
        True,
        danger=True,
    ),
    CallbackForm,
    CallbackAttemptForm,
    _simple(Action.REOPEN, actions.reopen, "reason", _("Reason"), True, danger=True),
    _simple(Action.URGE, actions.urge, "note", _("Note"), False),
    SuperviseForm,
    MergeForm,
    _simple(Action.CANCEL, actions.cancel, "reason", _("Reason"), True, danger=True),
    _simple(Action.COMMENT, actions.comment, "text", _("Comment"), True),
    _simple(Action.CLOSE, actions.close, "note", _("Note"), False),
    AppealForm,
    _simple(Action.APPROVE_APPEAL, actions.approve_appeal, "note", _("Note"), False),
    _simple(Action.REJECT_APPEAL, actions.reject_appeal, "reason", _("Reason"), True, danger=True),
]
ACTION_FORMS: dict[str, type[ActionForm]] = {form.action: form for form in _FORMS}


class IntakeForm(forms.Form):
    """The operator's registration form: what the citizen says, in the order they say it."""

    citizen_phone = forms.CharField(
        label=_("Caller phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autofocus": True, "autocomplete": "off"}),
    )
    citizen_name = forms.CharField(label=_("Caller name"), max_length=50, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    # Open311 is the channel of requests posted through Open311 (they are published): not a
    # choice for staff (orders.actions.register refuses it too).
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.OPEN311],
        initial=Channel.PHONE,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.HELP)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = DescriptionField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    street = UnitChoiceField(label=_("Street"), queryset=Unit.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        # A list box, filtered by the search box above it (app.js): no drop-down to open.
        widget=forms.Select(attrs={"size": 6}),
    )
    answer_text = ReplyField(
        label=_("Answer directly (consultations): the answer given"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Unit.objects.active().filter(kind="street")  # type: ignore[attr-defined]
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            Category.objects.filter(active=True, level=Category.MAX_LEVEL)
            .select_related("parent__parent")
            .order_by("parent__parent__sort_order", "parent__sort_order", "sort_order", "code")
        )


def local_input(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""
