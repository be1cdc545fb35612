"""随机抽选工单点评 pages: draws (list, new, detail), reviewing a sampled order, CSV export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from hotline.assessment import periods, sampling
from hotline.assessment.models import (
    ReviewCriterion,
    SampleDraw,
    SampleItem,
    SampleReview,
    SampleStrategy,
)
from hotline.interchange.cell_writer import csv_writer
from hotline.orders.models import Satisfaction, State
from hotline.orders.rules import ActionError
from hotline.org.models import Category, Unit, User
from hotline.web import once

DRAWABLE_STATES = [(v, label) for v, label in State.choices if v not in sampling.NEVER_DRAWN]


class DrawForm(forms.Form):
    size = forms.IntegerField(
        label=gettext_lazy("How many orders"),
        min_value=1,
        max_value=sampling.MAX_SAMPLE,
        initial=20,
        help_text=gettext_lazy(
            "In all, for a simple or stratified draw; for each unit, when drawing the same "
            "number from each unit (about units × this number in all)."
        ),
    )
    strategy = forms.ChoiceField(
        label=gettext_lazy("Strategy"),
        choices=SampleStrategy.choices,
        initial=SampleStrategy.STRATIFIED,
    )
    start = forms.DateField(
        label=gettext_lazy("Registered from"), required=False, validators=[periods.validate_day]
    )
    end = forms.DateField(
        label=gettext_lazy("Registered until"), required=False, validators=[periods.validate_day]
    )
    states = forms.MultipleChoiceField(
        label=gettext_lazy("States"),
        choices=DRAWABLE_STATES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    satisfaction = forms.MultipleChoiceField(
        label=gettext_lazy("Satisfaction"),
        choices=Satisfaction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit (with the units below it)"), required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Category (with the categories below it)"),
        required=False,
        # A list box filtered by the search box above it (app.js), as at intake.
        widget=forms.Select(attrs={"size": 6}),
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Leave empty for a fresh random seed; give one to repeat a draw."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)
    confirm_large = forms.BooleanField(
        label=gettext_lazy("Draw them all"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units"))] + [  # type: ignore[attr-defined]
            (u.code, u.name) for u in Unit.objects.handling().order_by("kind", "sort_order")
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [  # type: ignore[attr-defined]
            (c.code, "\u3000" * (c.level - 1) + c.name) for c in category_tree()
        ]
        self.fields["confirm_large"].help_text = _(
            "Needed only for a draw of more than %(count)d orders."
        ) % {"count": sampling.LARGE_DRAW}
        for name in ("start", "end"):
            self.fields[name].widget.input_type = "date"

    def filters(self) -> sampling.SampleFilters:
        data = self.cleaned_data
        return sampling.SampleFilters(
            start=data["start"],
            end=data["end"],
            states=tuple(data["states"]),
            satisfaction=tuple(data["satisfaction"]),
            category=data["category"].strip(),
            unit=data["unit"],
        )


def category_tree() -> list[Category]:
    """Active categories, each followed by its children (one query)."""
    categories = list(Category.objects.filter(active=True).order_by("sort_order", "code"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    ordered: list[Category] = []

    def walk(parent: int | None) -> None:
        for category in children.get(parent, []):
            ordered.append(category)
            walk(category.pk)

    walk(None)
    return ordered


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not sampling.can_read(user):
        raise PermissionDenied(_("Sampling review is for supervisors and leaders."))
    return user


@login_required
def draws(request: HttpRequest) -> HttpResponse:
    """The draws so far and, for supervisors, a form for a new one."""
    user = _reader(request)
    form = DrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not sampling.can_draw(user):
            raise PermissionDenied(_("Only supervisors draw samples."))
        if form.is_valid():
            try:
                # A double tap or Back and send again draws once: the form's one-time token is
                # claimed in the draw's transaction (a refused draw frees it), and the second
                # sending is shown the first draw instead of recording another with a new seed.
                with transaction.atomic():
                    fresh = once.claim(once.posted_token(request.POST))
                    if fresh:
                        sample = sampling.draw(
                            user,
                            size=form.cleaned_data["size"],
                            strategy=form.cleaned_data["strategy"],
                            filters=form.filters(),
                            seed=form.cleaned_data["seed"],
                            note=form.cleaned_data["note"],
                            confirm_large=form.cleaned_data["confirm_large"],
                        )
                    else:
                        sample = SampleDraw.objects.filter(drawn_by=user).latest("drawn_at", "pk")
            except ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 422
            else:
                if not fresh:
                    messages.info(
                        request, _("This form was already sent: this is the draw it made.")
                    )
                return redirect("sample_detail", pk=sample.pk)
        else:
            status = 422
    recent = SampleDraw.objects.select_related("drawn_by").order_by("-drawn_at", "-pk")[:50]
    return render(
        request,
        "web/samples.html",
        {
            "form": form,
            "draws": recent,
            "can_draw": sampling.can_draw(user),
            # A refused form keeps its token: corrected and sent, it draws once.
            "submission": once.posted_token(request.POST) or once.new_token(),
        },
        status=status,
    )


def describe_filters(filters: dict[str, Any]) -> list[tuple[str, str]]:
    """The draw's filters for people: label and value, only those that were set."""
    states = dict(State.choices)
    verdicts = dict(Satisfaction.choices)
    shown: list[tuple[str, str]] = []
    if filters.get("from"):
        shown.append((_("Registered from"), filters["from"]))
    if filters.get("to"):
        shown.append((_("Registered until"), filters["to"]))
    if filters.get("states"):
        shown.append((_("States"), _(", ").join(str(states.get(v, v)) for v in filters["states"])))
    if filters.get("satisfaction"):
        labels = _(", ").join(str(verdicts.get(v, v)) for v in filters["satisfaction"])
        shown.append((_("Satisfaction"), labels))
    if filters.get("unit"):
        unit = Unit.objects.filter(code=filters["unit"]).first()
        shown.append((_("Unit"), unit.name if unit else filters["unit"]))
    if filters.get("category"):
        category = Category.objects.filter(code=filters["category"]).first()
        shown.append((_("Category"), category.name if category else filters["category"]))
    return shown


def _person(user: User) -> str:
    """A person as colleagues know them: the full name, the login only when there is none."""
    return user.get_full_name() or user.get_username()


def _items(sample: SampleDraw) -> list[SampleItem]:
    return list(
        sample.items.select_related(
            "order", "order__category", "unit", "review__reviewer"
        ).order_by("position")
    )


def _render_detail(
    request: HttpRequest,
    sample: SampleDraw,
    user: User,
    *,
    status: int = 200,
    error_item: SampleItem | None = None,
    error: str = "",
) -> HttpResponse:
    """The draw's page; with ``error_item`` its review form opens again with what was typed."""
    items = _items(sample)
    criteria = list(ReviewCriterion.objects.filter(active=True))
    if error_item is not None:
        for each in items:  # nothing typed is lost
            if each.pk == error_item.pk:
                each.typed = {  # type: ignore[attr-defined]
                    "points": {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria},
                    "comment": request.POST.get("comment", ""),
                }
    return render(
        request,
        "web/sample_detail.html",
        {
            "sample": sample,
            "filters": describe_filters(sample.filters),
            "items": items,
            "reviewed": sum(1 for i in items if hasattr(i, "review")),
            "criteria": criteria,
            "can_review": sampling.can_draw(user),
            "same_as_drawn": sampling.redraw(sample) == [i.order_id for i in items],
            "error_item": error_item.pk if error_item is not None else None,
            "error": error,
        },
        status=status,
    )


@login_required
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    sample = get_object_or_404(SampleDraw.objects.select_related("drawn_by"), pk=pk)
    return _render_detail(request, sample, user)


@login_required
@require_POST
def review_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    """Score one sampled order on the rubric; errors come back on the draw's page."""
    user = _reader(request)
    sample_item = get_object_or_404(SampleItem.objects.select_related("draw"), pk=item, draw=pk)
    points: dict[int, int] = {}
    error = ""
    for criterion in ReviewCriterion.objects.filter(active=True):
        raw = request.POST.get(f"c{criterion.pk}", "").strip()
        if raw:
            try:
                points[criterion.pk] = int(raw)
            except ValueError:
                error = _("Points are whole numbers.")
    if not error:
        try:
            sampling.review(
                sample_item, user, points=points, comment=request.POST.get("comment", "")
            )
        except ActionError as exc:
            error = exc.message
    if error:
        return _render_detail(
            request, sample_item.draw, user, status=422, error_item=sample_item, error=error
        )
    return redirect(reverse("sample_detail", args=[pk]) + f"#item-{sample_item.pk}")


@login_required
def sample_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw and its reviews as CSV (UTF-8 with BOM, so Excel reads the Chinese right)."""
    _reader(request)
    sample = get_object_or_404(SampleDraw, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sample-{sample.pk}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)  # the one cell writer: a "=…" comment stays text
    writer.writerow(
        [
            _("Draw number"),
            _("Seed"),
            _("Strategy"),
            _("Position"),
            _("Order number"),
            _("Unit"),
            _("State"),
            _("Score"),
            _("Reviewer"),
            _("Reviewed at"),
            _("Points by criterion"),
            pgettext("a sample review", "Comment"),
        ]
    )
    strategy = sample.get_strategy_display()
    for item in _items(sample):
        review: SampleReview | None = getattr(item, "review", None)
        writer.writerow(
            [
                sample.pk,
                sample.seed,
                strategy,
                item.position,
                item.order.number,
                item.unit.name if item.unit else "",
                item.order.get_state_display(),
                review.score if review else "",
                _person(review.reviewer) if review else "",
                f"{timezone.localtime(review.reviewed_at):%Y-%m-%d %H:%M}" if review else "",
                "；".join(f"{s['criterion']} {s['points']}/{s['max']}" for s in review.scores)
                if review
                else "",
                review.comment if review else "",
            ]
        )
    return response
