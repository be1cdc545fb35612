import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hotline import clock
from hotline.dispatch import conflicts, reasons, retraining, services
from hotline.dispatch.models import (
    DispatchModel,
    ModelChange,
    Prediction,
    RetrainRun,
    Target,
)
from hotline.dispatch.reasons import ChangeReason
from hotline.interchange.tables import FORMATS, write_table
from hotline.orders.models import WorkOrder
from hotline.orders.rules import visible_orders
from hotline.org.models import Category, Unit, User
from hotline.readonly_admin import ReadOnlyAdmin, ReadOnlyInline
from hotline.web.downloads import attachment


def _admin(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _decision(comparison: dict[str, Any]) -> str:
    kind = comparison.get("decision")
    return str(ModelChange.Kind(kind).label) if kind in ModelChange.Kind.values else ""


def _overrule(request: HttpRequest) -> bool:
    return request.POST.get("overrule") in ("on", "true", "1")


def _guard_message(exc: Exception) -> str:
    return _("%(refusal)s Tick “%(overrule)s” to use it all the same.") % {
        "refusal": exc,
        "overrule": _("Overrule the retraining guard"),
    }


def _overruled(obj: DispatchModel) -> bool:
    """Whether a candidate the guard refused was put into use since (rollback or activation)."""
    if (obj.comparison or {}).get("decision") != ModelChange.Kind.REFUSED:
        return False
    known = getattr(obj, "overruled", None)
    if known is not None:
        return bool(known)
    return obj.changes.filter(
        kind__in=[ModelChange.Kind.ACTIVATED, ModelChange.Kind.ROLLED_BACK]
    ).exists()


def _threshold(value: float | None) -> str:
    # Stored with 17 digits (0.28530131303740136); four say all a person can use. Empty: the
    # model never dispatches on its own (at that level).
    return "—" if value is None else f"{value:.4f}"


def _seconds(value: float | None) -> str:
    return "—" if value is None else _("%(seconds).1f s") % {"seconds": value}


#: The figures of a model's training, named as a person reads them: (key, label, format). Each
#: is shown for the unit (or category) level and, where the model has one, the first level.
METRIC_ROWS: tuple[tuple[str, Any, Any], ...] = (
    ("oof_accuracy", _("Accuracy (cross-validated)"), _percent),
    ("oof_top3_accuracy", _("Right unit among the top three"), _percent),
    ("threshold", _("Auto-dispatch threshold"), _threshold),
    ("oof_auto_coverage", _("Orders it would dispatch on its own"), _percent),
    ("oof_auto_precision", _("Of those, dispatched right"), _percent),
)


#: The training steps the classifier times, and the first-level methods, in words.
STEP_LABELS = {
    "prepare": _("preparing the texts"),
    "grid": _("choosing the settings"),
    "neighbours": _("nearest orders"),
    "first level": _("first level"),
    "confidence": _("confidence model"),
    "final": _("final fit"),
}
METHOD_LABELS = {
    "roll_up": _("summed from its units"),
    "combined": _("combined"),
    "separate": _("a model of its own"),
}


def metrics_table(metrics: dict[str, Any]) -> str:
    """A model's metrics as a table (figures named and translated; the JSON stays downloadable)."""
    if not metrics:
        return "—"
    first = metrics.get("first_level") or {}
    header = format_html(
        "<tr><th>{}</th><th>{}</th>{}</tr>",
        _("Figure"),
        _("Model"),
        format_html("<th>{}</th>", _("First level")) if first else "",
    )
    rows = [
        format_html(
            '<tr><th scope="row">{}</th><td>{}</td>{}</tr>',
            label,
            show(metrics.get(key)),
            format_html("<td>{}</td>", show(first.get(key))) if first else "",
        )
        for key, label, show in METRIC_ROWS
    ]
    facts = [
        (_("Folds"), metrics.get("n_splits", "—")),
        (_("Training time"), _seconds(metrics.get("seconds"))),
    ]
    if "min_per_label" in metrics:
        facts.append((_("Units learnt from at least (kept orders)"), metrics["min_per_label"]))
    if timings := metrics.get("timings"):
        facts.append(
            (
                _("Where the time went"),
                ", ".join(
                    f"{STEP_LABELS.get(step, step)} {_seconds(sec)}"
                    for step, sec in timings.items()
                ),
            )
        )
    if first:
        facts.append((_("First-level units"), first.get("labels", "—")))
        method = first.get("method") or "—"
        facts.append((_("First-level method"), METHOD_LABELS.get(method, method)))
    rows += [
        format_html(
            '<tr><th scope="row">{}</th><td colspan="{}">{}</td></tr>',
            label,
            2 if first else 1,
            value,
        )
        for label, value in facts
    ]
    return format_html(
        '<table class="model-metrics"><thead>{}</thead><tbody>{}</tbody></table>',
        header,
        mark_safe("".join(rows)),  # each row escaped by format_html above
    )


#: Pairs of units the corrections page lists at most (the most pairs first).
CONFLICTS_SHOWN = 200


class ConflictFilter(forms.Form):
    """The corrections page's filters: how far back, how alike, which unit."""

    days = forms.IntegerField(
        label=_("Last days"), required=False, min_value=1, max_value=3660, initial=conflicts.DAYS
    )
    similar = forms.FloatField(
        label=_("Text similarity at least"),
        required=False,
        min_value=0.5,
        max_value=1.0,
        initial=conflicts.SIMILAR,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    unit = forms.CharField(label=_("Unit (code or name)"), required=False, max_length=100)


def _names_unit(query: str, codes: list[str], units: dict[str, Unit]) -> bool:
    """Whether a pair of units matches the unit filter: a code, or part of a name."""
    if not query:
        return True
    q = query.strip().lower()
    return any(
        code.lower() == q or (code in units and q in units[code].name.lower()) for code in codes
    )


def _conflicts_file(
    groups: list[dict[str, Any]], fmt: str, user: User, *, note: str | None = None
) -> HttpResponse:
    """The listed pairs as a table, one row per order: the pair of units, its count, the
    order's own unit, its number and — for an order ``user`` may see — its title (the page
    needs only the model's view permission, which a unit's handler may be given; review).
    ``note`` (the cap cut the period: :func:`conflicts.capped_note`) ends the file, after an
    empty row, as the page says it above the table: a file read without the page must not pass
    for the whole period."""
    numbers = [n for g in groups for side in g["sides"] for n in side["numbers"]]
    titles = dict(
        visible_orders(user, WorkOrder.objects.filter(number__in=numbers)).values_list(
            "number", "title"
        )
    )
    header = [
        str(_("Unit")),
        str(_("Unit name")),
        str(_("Other unit")),
        str(_("Other unit name")),
        str(_("Near-identical pairs")),
        str(_("Order kept by")),
        str(_("Order")),
        str(_("Title")),
    ]

    def name(side: dict[str, Any]) -> str:
        return side["unit"].name if side["unit"] else ""

    rows = [
        [
            a["code"],
            name(a),
            b["code"],
            name(b),
            g["pairs"],
            side["code"],
            number,
            titles.get(number, ""),
        ]
        for g in groups
        for a, b in [g["sides"]]
        for side in g["sides"]
        for number in side["numbers"]
    ]
    if note:
        rows += [[], [note]]
    out = io.BytesIO()
    write_table(out, fmt, header, rows, title=str(_("Conflicting units")))
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")  # the hotline's time
    return attachment(out.getvalue(), fmt, f"dispatch-conflicts-{stamp}.{fmt}")


class ReasonForm(ActionForm):
    """The action bar with a reason: activations and rollbacks are recorded with why."""

    # No max_length here: Django's admin answers an action form that does not validate with
    # "No action selected"; the actions check the length and say so (retraining.checked_reason).
    reason = forms.CharField(label=_("Reason"), required=False)
    # A candidate the retraining guard kept out is put into use only when the administrator
    # says so here (the command line's --force).
    overrule = forms.BooleanField(label=_("Overrule the retraining guard"), required=False)


def _confidence(value: float | None) -> float | None:
    # A confidence lies between 0 and 1: -1 would dispatch every order on its own, and 90 (meant
    # as 90 %) none.
    if value is not None and not 0.0 <= value <= 1.0:
        raise forms.ValidationError(
            _("Give a number between 0 and 1, such as 0.9, or leave it empty.")
        )
    return value


class DispatchModelForm(forms.ModelForm):
    """The thresholds an administrator may set: each a confidence, or empty (never on its own)."""

    class Meta:
        model = DispatchModel
        fields = ["threshold", "first_level_threshold"]

    def clean_threshold(self) -> float | None:
        return _confidence(self.cleaned_data.get("threshold"))

    def clean_first_level_threshold(self) -> float | None:
        return _confidence(self.cleaned_data.get("first_level_threshold"))


@admin.display(description=_("reason"))
def _reason_shown(obj: ModelChange) -> str:
    return obj.reason_shown


class ChangeInline(ReadOnlyInline):
    model = ModelChange
    fk_name = "model"
    fields = ["at", "kind", "via", "actor", "previous_version", "reason_shown"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "reason_shown"]

    reason_shown = staticmethod(_reason_shown)


@admin.register(DispatchModel)
class DispatchModelAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "target",
        "created_at",
        "training_size",
        "auto_threshold",
        "first_level_auto_threshold",
        "held_out",
        "active",
    ]
    list_filter = ["target", "active"]
    search_fields = ["version"]
    readonly_fields = [
        "version",
        "target",
        "created_at",
        "trained_until",
        "training_size",
        "metrics_shown",
        "held_out_comparison",
        "active",
    ]
    form = DispatchModelForm
    actions = ["activate", "roll_back"]
    action_form = ReasonForm
    inlines = [ChangeInline]

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "conflicts/",
                self.admin_site.admin_view(self.conflicts_view),
                name="dispatch_dispatchmodel_conflicts",
            ),
            path(
                "<int:pk>/metrics.json",
                self.admin_site.admin_view(self.metrics_json),
                name="dispatch_dispatchmodel_metrics",
            ),
            *super().get_urls(),
        ]

    def conflicts_view(self, request: HttpRequest) -> HttpResponse:
        """The corrections report (issue 16 item 4) for the administrator who fixes the rule or
        the taxonomy: near-identical orders that ended with different units, per pair of units,
        each order linked; filtered by period, similarity and unit; as CSV or Excel."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ConflictFilter(request.GET or None)
        days, similar, unit = conflicts.DAYS, conflicts.SIMILAR, ""
        if form.is_bound and form.is_valid():
            days = form.cleaned_data["days"] or days
            similar = form.cleaned_data["similar"] or similar
            unit = form.cleaned_data["unit"]
        # With a unit asked for, every pair is read and the unit's kept: the busiest
        # CONFLICTS_SHOWN first would leave a unit below them with "none found" (review).
        found = conflicts.find(days=days, similar=similar, top=None if unit else CONFLICTS_SHOWN)
        codes = {code for c in found["units"] for code in c["units"]}
        units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        groups = [
            {
                "pairs": c["pairs"],
                "sides": [
                    {
                        "unit": units.get(code),
                        "code": code,
                        "count": c["orders"][code],
                        "numbers": c["numbers"][code],
                    }
                    for code in c["units"]
                ],
            }
            for c in found["units"]
            if _names_unit(unit, c["units"], units)
        ][:CONFLICTS_SHOWN]
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            assert isinstance(request.user, User)
            return _conflicts_file(groups, fmt, request.user, note=conflicts.capped_note(found))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Near-identical orders that ended with different units"),
            "form": form,
            "found": found,
            "groups": groups,
            "days": days,
            "similar": similar,
            "unit": unit,
            "shown_max": CONFLICTS_SHOWN,
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/dispatch/dispatchmodel/conflicts.html", context)

    def metrics_json(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The model's metrics as recorded, to download."""
        model = DispatchModel.objects.filter(pk=pk).first()
        if model is None or not self.has_view_permission(request, model):
            raise Http404
        response = JsonResponse(
            model.metrics, json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="{model.version}-metrics.json"'
        return response

    @admin.display(description=_("metrics"))
    def metrics_shown(self, obj: DispatchModel) -> str:
        link = format_html(
            '<p><a href="{}" download>{}</a></p>',
            reverse("admin:dispatch_dispatchmodel_metrics", args=[obj.pk]),
            _("Download the metrics (JSON)"),
        )
        return format_html("{}{}", metrics_table(obj.metrics or {}), link)

    @admin.display(description=_("auto-dispatch threshold"), ordering="threshold")
    def auto_threshold(self, obj: DispatchModel) -> str:
        return _threshold(obj.threshold)

    @admin.display(
        description=_("first-level auto-dispatch threshold"), ordering="first_level_threshold"
    )
    def first_level_auto_threshold(self, obj: DispatchModel) -> str:
        return _threshold(obj.first_level_threshold)

    @admin.display(description=_("held-out month"))
    def held_out(self, obj: DispatchModel) -> str:
        c = obj.comparison or {}
        if not c.get("month"):
            return "—"
        figures = _("%(month)s: new model %(new)s, active model %(old)s") % {
            "month": c["month"],
            "new": _percent(c.get("candidate_accuracy")),
            "old": _percent(c.get("active_accuracy")),
        }
        decision = _decision(c)
        if _overruled(obj):
            decision = str(_("not activated by the guard; activated since by an administrator"))
        return (
            _("%(figures)s (%(decision)s)") % {"figures": figures, "decision": decision}
            if decision
            else figures
        )

    @admin.display(description=_("comparison with the active model"))
    def held_out_comparison(self, obj: DispatchModel) -> str:
        """The month held out, read as a person reads it (the JSON is kept in the row)."""
        c = obj.comparison or {}
        if not c.get("month"):
            return "—"
        lines = [
            _("%(month)s (%(orders)s orders)")
            % {"month": c["month"], "orders": c.get("orders", 0)},
            _("Lead unit: new model %(new)s, active model %(old)s")
            % {
                "new": _percent(c.get("candidate_accuracy")),
                "old": _percent(c.get("active_accuracy")),
            },
            _("First level: new model %(new)s, active model %(old)s")
            % {
                "new": _percent(c.get("candidate_first_level_accuracy")),
                "old": _percent(c.get("active_first_level_accuracy")),
            },
        ]
        if c.get("active_saw_month"):
            lines.append(str(_("The active model was trained on part of this month's orders.")))
        if decision := _decision(c):
            lines.append(_("Decision: %(decision)s") % {"decision": decision})
        if _overruled(obj):
            lines.append(
                str(_("An administrator activated it since, overruling the guard (see below)."))
            )
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.action(description=_("Activate the selected model"))
    def activate(self, request: HttpRequest, queryset: QuerySet[DispatchModel]) -> None:
        chosen = list(queryset)
        if len({m.target for m in chosen}) != len(chosen):
            self.message_user(
                request, _("Choose one model per target to activate."), messages.ERROR
            )
            return
        try:
            reason = retraining.checked_reason(request.POST.get("reason", ""))
            for model in chosen:
                if model.active:  # nothing would change: no change is recorded
                    raise ValueError(
                        _("%(version)s is already the active model.") % {"version": model.version}
                    )
                retraining.check_guard(model, force=_overrule(request))
                retraining.check_files(model.version)
        except retraining.GuardRefused as exc:
            self.message_user(request, _guard_message(exc), messages.ERROR)
            return
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        for model in chosen:
            services.activate(
                model,
                via=ModelChange.Via.ADMIN,
                actor=_admin(request),
                reason=reason,
                reason_code="" if reason else ChangeReason.ADMIN,
            )
        self.message_user(request, _("Activated: %s") % ", ".join(m.version for m in chosen))

    @admin.action(description=_("Roll back to the selected model (say why)"))
    def roll_back(self, request: HttpRequest, queryset: QuerySet[DispatchModel]) -> None:
        chosen = list(queryset)
        if len(chosen) != 1:
            self.message_user(request, _("Choose one model to roll back to."), messages.ERROR)
            return
        try:
            retraining.rollback(
                chosen[0].version,
                reason=request.POST.get("reason", ""),
                via=ModelChange.Via.ADMIN,
                actor=_admin(request),
                force=_overrule(request),
            )
        except retraining.GuardRefused as exc:
            self.message_user(request, _guard_message(exc), messages.ERROR)
            return
        except (LookupError, ValueError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("Rolled back to %s.") % chosen[0].version)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from ``hotline dispatch train``

    def get_queryset(self, request: HttpRequest) -> QuerySet[DispatchModel]:
        # The list says so when a candidate the guard refused was put into use all the same.
        return (
            super()
            .get_queryset(request)
            .annotate(
                overruled=Exists(
                    ModelChange.objects.filter(
                        model=OuterRef("pk"),
                        kind__in=[ModelChange.Kind.ACTIVATED, ModelChange.Kind.ROLLED_BACK],
                    )
                )
            )
        )


@admin.register(ModelChange)
class ModelChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "kind",
        "target",
        "model",
        "previous_version",
        "via",
        "actor",
        "reason_shown",
    ]
    list_filter = ["kind", "target", "via", "reason_code"]
    search_fields = ["model__version", "previous_version", "reason"]
    list_select_related = ["model", "actor"]
    # The reason as the reader reads it (a system reason translated), not the stored text.
    exclude = ["reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "reason_shown"]

    reason_shown = staticmethod(_reason_shown)


@admin.register(RetrainRun)
class RetrainRunAdmin(ReadOnlyAdmin):
    list_display = ["target", "started_at", "finished_at", "outcome_shown"]
    exclude = ["outcome"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*super().get_readonly_fields(request, obj), "outcome_shown"]

    @admin.display(description=_("outcome"))
    def outcome_shown(self, obj: RetrainRun) -> str:
        # Stored as text by the worker, in its language: a sentence the app wrote is translated.
        return reasons.shown_text(obj.outcome)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting the claim lets the schedule start afresh (it creates the row again): the one
        # thing an administrator may do with it, as before.
        return admin.ModelAdmin.has_delete_permission(self, request, obj)


def _ranked(pairs: list[Any], names: dict[str, str]) -> str:
    """[code, probability] pairs as lines a person reads: 江宁路街道 (jnl) 80.0%."""
    if not pairs:
        return "—"
    return format_html_join(
        mark_safe("<br>"),
        "{} ({}) {}",
        ((names.get(str(code), str(code)), code, _percent(float(p))) for code, p in pairs),
    )


@admin.register(Prediction)
class PredictionAdmin(ReadOnlyAdmin):
    # The suggestions as names and percentages, not the stored JSON pairs.
    exclude = ["top", "first_level"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = super().get_readonly_fields(request, obj)
        at = fields.index("confidence")
        return [*fields[:at], "suggestions", *fields[at:], "first_level_suggestions"]

    def _names(self, obj: Prediction) -> dict[str, str]:
        codes = [str(c) for c, _p in [*(obj.top or []), *(obj.first_level or [])]]
        rows = Category if obj.target == Target.CATEGORY else Unit
        return dict(rows.objects.filter(code__in=codes).values_list("code", "name"))

    @admin.display(description=_("suggestions"))
    def suggestions(self, obj: Prediction) -> str:
        return _ranked(obj.top or [], self._names(obj))

    @admin.display(description=_("first-level suggestions"))
    def first_level_suggestions(self, obj: Prediction) -> str:
        return _ranked(obj.first_level or [], self._names(obj))

    list_display = [
        "order",
        "target",
        "model_version",
        "confidence",
        "auto_dispatched",
        "created_at",
    ]
    list_filter = ["target", "auto_dispatched", "model_version"]
    search_fields = ["order__number", "model_version"]
    list_select_related = ["order"]
