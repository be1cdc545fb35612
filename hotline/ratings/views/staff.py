"""The hall manager's ratings page (figures, the windows' rating pads, appeals, export), enrolling
a tablet as a window's pad or revoking it, and the centre's review of appeals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline import clock
from hotline.hall import devices
from hotline.hall.actions.selfservice import may_enrol_at
from hotline.hall.forms import form_problem, row_id
from hotline.hall.models import Hall, Window
from hotline.hall.rules import own_hall_only
from hotline.org.models import Role, User
from hotline.portal import limits
from hotline.ratings import actions, export, figures, pad, rectification
from hotline.ratings.forms import ReasonForm
from hotline.ratings.models import AppealState, Pad, PadAction, PadEvent, Rating
from hotline.web.downloads import attachment

#: How far back the hall's page and its export look by default.
DEFAULT_DAYS = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _hall_for(request: HttpRequest, code: str) -> Hall:
    """The hall's manager, or the centre's supervisors and leaders (who read every hall)."""
    hall = get_object_or_404(Hall.objects.select_related("unit"), code=code)
    user = _user(request)
    manages = user.has_role(Role.HALL_MANAGER) and user.unit_id == hall.unit_id
    if not (manages or user.has_role(Role.SUPERVISOR, Role.LEADER, Role.ADMIN)):
        raise PermissionDenied
    return hall


#: Ratings listed per page: a busy hall collects thousands a month, and the page listed them all.
PAGE_SIZE = 50
#: The periods offered on the page (any 1–366 may be typed into the address).
PERIODS = (7, 30, 90, 365)


def _int(value: str | None) -> int | None:
    """A row's number from the address; ``None`` for anything else (or too long for a key):
    ASCII digits only ("²" passed isdigit() and failed int(), a server error; session 30, h5)."""
    return row_id(value) if value and len(value) < 10 else None


def _days(request: HttpRequest) -> int:
    try:
        return min(max(int(request.GET.get("days", DEFAULT_DAYS)), 1), 366)
    except ValueError:
        return DEFAULT_DAYS


@login_required
def my_hall(request: HttpRequest) -> HttpResponse:
    """The navigation's entry: the ratings of the hall this manager runs."""
    user = _user(request)
    hall = Hall.objects.filter(unit_id=user.unit_id).first() if user.unit_id else None
    if hall is None or not user.has_role(Role.HALL_MANAGER):
        raise PermissionDenied
    return redirect("ratings:hall", code=hall.code)


@login_required
def hall_ratings(request: HttpRequest, code: str) -> HttpResponse:
    hall = _hall_for(request, code)
    now = clock.now()
    days = _days(request)
    ratings = Rating.objects.filter(hall=hall, rated_at__gte=now - dt.timedelta(days=days))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        layout = export.FORMATS.get(request.GET.get("layout", "standard"), export.StandardFormat())
        lines = export.rows(ratings, layout)
        stamp = f"{timezone.localtime(now):%Y%m%d}"
        # Printed, each page says whose ratings and which days (the hall and the period).
        since = timezone.localtime(now - dt.timedelta(days=days)).date()
        title = _("%(hall)s · ratings %(first)s to %(last)s") % {
            "hall": str(hall),
            "first": f"{since:%Y-%m-%d}",
            "last": f"{timezone.localtime(now):%Y-%m-%d}",
        }
        body = export.to_csv(lines) if fmt == "csv" else export.to_xlsx(lines, title=title)
        return attachment(body, fmt, f"ratings-{hall.code}-{stamp}.{fmt}")
    user = _user(request)
    manages = user.has_role(Role.HALL_MANAGER) and user.unit_id == hall.unit_id
    # One rating, whatever its date: the link from its rectification order's page.
    one = _int(request.GET.get("rating"))
    listed = Rating.objects.filter(hall=hall, pk=one) if one is not None else ratings
    page = Paginator(
        rectification.with_closing(
            listed.select_related("ticket", "window", "matter", "order")
        ).order_by("-rated_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for row in page:  # from with_closing's annotations: no query per row
        row.rectification = rectification.of_rating(row)  # type: ignore[attr-defined]
    context = {
        "hall": hall,
        "levels": figures.distribution(ratings),
        "summary": figures.summary(ratings),
        "rectification": figures.rectification(ratings, now),
        "rectified": rectification.rectified(ratings),
        "one": one,
        "page": page,
        # The period travels with every link (pages, exports), so page 2 is of the same list.
        "days": days,
        "periods": sorted({*PERIODS, days}),
        "pads": pad_rows(request, hall) if may_enrol_at(user, hall) else [],
        "manages": manages,
        "form": ReasonForm(),
    }
    return render(request, "ratings/hall.html", context)


@dataclass(frozen=True)
class PadRow:
    """A window on the manager's page, with its rating pad's state."""

    window: Window
    pad: Pad | None  # enrolled now (None: no tablet is the window's pad)
    enrolled_by: User | None
    this_browser: bool  # the browser looking at the page is this window's pad


def pad_rows(request: HttpRequest, hall: Hall) -> list[PadRow]:
    """The hall's windows, each with whether (since when, by whom) a tablet is its pad: the
    windows with their pads and their latest enrolment's actor in one query, the people in one
    more."""
    here = pad.enrolled_pad(request)
    latest = (
        PadEvent.objects.filter(pad__window=OuterRef("pk"), action=PadAction.ENROL)
        .order_by("-at", "-pk")
        .values("actor")[:1]
    )
    windows = list(
        hall.windows.select_related("pad")
        .annotate(enrolled_by_pk=Subquery(latest))
        .order_by("number")
    )
    enrolled = {w.pk: w.pad for w in windows if hasattr(w, "pad") and w.pad.enrolment_token}
    wanted = {w.enrolled_by_pk for w in windows if w.pk in enrolled and w.enrolled_by_pk}
    people = User.objects.in_bulk(wanted) if wanted else {}
    return [
        PadRow(
            w,
            enrolled.get(w.pk),
            people.get(w.enrolled_by_pk) if w.pk in enrolled else None,
            here is not None and here.window_id == w.pk,
        )
        for w in windows
    ]


def _pad_window(request: HttpRequest, code: str, number: int) -> tuple[Window, User]:
    window = get_object_or_404(
        Window.objects.select_related("hall__unit"), hall__code=code, number=number
    )
    user = _user(request)
    if not may_enrol_at(user, window.hall):
        raise PermissionDenied
    return window, user


@login_required
@require_POST
def enrol_pad(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """This browser becomes the window's rating pad (the manager stands at the tablet, signed
    in; the pad's page then asks them to sign out). A tablet that was the pad no longer is."""
    window, user = _pad_window(request, code, number)
    if not limits.at_hall_kiosk_network(request):
        # Enrolled from here, the tablet would still be shown no form (the pad's cookie counts
        # from the hall networks only), and the manager was sent to "not a pad: enrol it" with
        # no reason given (walk-through, session 24, M11). Refused, saying why; the window's
        # pad, if it has one, stays.
        messages.error(request, devices.off_hall_network())
        return redirect(reverse("ratings:hall", args=[code]) + "#pads")
    here = pad.enrolled_pad(request)
    current = Pad.objects.filter(window=window).exclude(enrolment_token="").first()
    another = current is not None and (here is None or here.pk != current.pk)
    if another and "confirm" not in request.POST:
        # Another tablet is the pad: a mis-click on the manager's own computer would take the
        # pad from the window without anyone noticing. Ask first.
        context = {"hall": window.hall, "window": window, "pad": current}
        return render(request, "ratings/pad_enrol_confirm.html", context)
    device, token = actions.enrol_pad(window, actor=user, was=here)
    response = redirect("ratings:pad")
    pad.PAD.set_cookie(response, request, device, token)
    return response


@login_required
@require_POST
def revoke_pad(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """No browser is the window's pad any more (a tablet replaced or lost): at once."""
    window, user = _pad_window(request, code, number)
    here = pad.enrolled_pad(request)
    actions.revoke_pad(window, actor=user)
    response = redirect(reverse("ratings:hall", args=[code]) + "#pads")
    if here is not None and here.window_id == window.pk:
        pad.PAD.clear_cookie(response)
    return response


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    rating = get_object_or_404(
        own_hall_only(Rating.objects.select_related("hall__unit"), user), pk=pk
    )
    form = ReasonForm(request.POST)
    back = reverse("ratings:hall", args=[rating.hall.code])
    if not form.is_valid():
        return _refused(request, actions.InvalidInput(form_problem(form)), back)
    try:
        actions.appeal(rating, user, reason=form.cleaned_data["reason"])
    except actions.NotAllowed:
        raise PermissionDenied from None
    except actions.HallError as exc:
        return _refused(request, exc, back)
    return redirect("ratings:hall", code=rating.hall.code)


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """The centre's review: appeals waiting, then the latest decisions."""
    user = _user(request)
    if not user.has_role(Role.SUPERVISOR, Role.LEADER):
        raise PermissionDenied
    base = Rating.objects.select_related("hall__unit", "ticket", "matter", "window", "order")
    context = {
        "pending": base.filter(appeal=AppealState.PENDING).order_by("rated_at"),
        "decided": base.filter(appeal__in=[AppealState.APPROVED, AppealState.REJECTED]).order_by(
            "-rated_at"
        )[:50],
        "decides": user.has_role(Role.SUPERVISOR),
        "form": ReasonForm(),
    }
    return render(request, "ratings/appeals.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    if verdict not in ("approve", "reject"):
        raise Http404
    rating = get_object_or_404(Rating.objects.select_related("hall__unit"), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        message = form_problem(form)
        return _refused(request, actions.InvalidInput(message), reverse("ratings:appeals"))
    act = actions.approve_appeal if verdict == "approve" else actions.reject_appeal
    try:
        act(rating, _user(request), reason=form.cleaned_data["reason"])
    except actions.NotAllowed:
        raise PermissionDenied from None
    except actions.HallError as exc:
        return _refused(request, exc, reverse("ratings:appeals"))
    return redirect("ratings:appeals")


def _refused(request: HttpRequest, exc: actions.HallError, back: str) -> HttpResponse:
    context = {"message": exc.message, "back": back}
    return render(request, "ratings/refused.html", context, status=422)
