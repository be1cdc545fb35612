"""The citizen portal at ``/portal/``: no login.

A citizen submits a request (it is registered through the same action as a phone call, channel
``web``), tracks it with its number and their phone number (state and approved reply only), and
rates it through a signed link once the reply is approved (recorded by the callback action, as a
callback agent's call would be). A statistics page shows monthly counts and rates. Every page
works on a phone and without JavaScript.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hotline.kb import assist as kb_assist
from hotline.orders import actions
from hotline.orders.models import Channel, State, WorkOrder, mask_phone
from hotline.orders.rules import ActionError, Conflict
from hotline.org import gazetteer
from hotline.portal import limits, stats
from hotline.portal.forms import RateForm, SubmitForm, TrackForm
from hotline.portal.public import may_rate, public_reply, public_state, unhappy
from hotline.portal.tokens import rating_token, read_rating_token
from hotline.security.phone_numbers import phone_key
from hotline.security.uploads import anyone, uploads
from hotline.web import once

SUBMITTED_SALT = "hotline.portal.submitted"
#: Bodies above this many photo limits (plus the form) get an error page instead of the form.
REFUSE_FACTOR = 4
BODY_SLACK = 64 * 1024


def problem(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """A clear error page in the citizen's language, with the HTTP status to match."""
    return render(
        request,
        "portal/problem.html",
        # At a hall's kiosk the page leads back to the kiosk, as its other pages do.
        {"title": title, "message": message, "kiosk_home": limits.kiosk_home(request)},
        status=status,
    )


def link_incomplete(request: HttpRequest) -> HttpResponse:
    """A citizen's link that leads to nothing: a text message's link or a ticket's QR code cut
    short or mistyped (a phone's SMS app ending the link early, a character too many). Before,
    the staff's 404 ("this page or order does not exist, or you may not see it"); now a citizen's
    page, in the citizen's language, saying what to do (session 28, h6; h7's L10 of session 27).
    """
    return problem(
        request,
        404,
        _("This link is incomplete"),
        _(
            "The link may have been cut short or mistyped. Open it again in full from your text "
            "message, or scan the QR code on your ticket again. You can also look up your "
            "request here with its number and your phone number, or call 12345."
        ),
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        429,
        _("Too many requests"),
        _(
            "Too many requests came from you in a short time. "
            "Please try again later, or call 12345."
        ),
    )


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_http_methods(["GET"])
def halls(request: HttpRequest) -> HttpResponse:
    """The service halls a citizen can go to, each with what can be done from a phone: book, take
    today's ticket (where a matter allows it), see the queue, read what to bring. The hall pages
    were reached only by a link someone gave (walk-through, session 24, M10)."""
    from hotline.hall.models import Hall, WindowMatter

    offered: dict[int, set[str]] = {}
    for hall_id, booking, remote in WindowMatter.objects.filter(
        matter__active=True, window__hall__unit__active=True
    ).values_list(
        "window__hall_id", "matter__appointment_allowed", "matter__remote_ticket_allowed"
    ):
        ways = offered.setdefault(hall_id, set())
        if booking:
            ways.add("book")
        if remote:
            ways.add("remote")
    listed = [
        {"hall": hall, "book": "book" in offered[hall.pk], "remote": "remote" in offered[hall.pk]}
        for hall in Hall.objects.select_related("unit").order_by("unit__name")
        if hall.pk in offered
    ]
    return render(request, "portal/halls.html", {"halls": listed})


@uploads(anyone)
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A photo somewhat over the limit comes back on the form with what was typed (the form
        # checks its size); only a body far beyond any photo (a script, not a person) is refused.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > REFUSE_FACTOR * settings.PORTAL_PHOTO_MB * 1024 * 1024 + BODY_SLACK:
            return problem(
                request,
                413,
                _("The photo is too large"),
                _("Photos may be at most %(mb)d MB. Please choose a smaller one.")
                % {"mb": settings.PORTAL_PHOTO_MB},
            )
    submission = once.posted_token(request.POST) or once.new_token()
    if request.method != "POST":
        return _submit_page(request, SubmitForm(), submission)
    earlier = once.earlier_order(submission)
    if earlier is not None:
        # Back and send again: the number the first submission got, not a second order.
        return _submitted_redirect(earlier)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _submit_page(request, form, submission)
    data = form.cleaned_data
    # A keyed hash of the normalised number: the hit table never holds phones in clear.
    values = {
        "ip": limits.client_address(request),
        "phone": phone_key(data["phone"], purpose="portal-limit"),
    }
    if limits.exceeded(limits.submit_limits(), values):
        return _too_many(request)
    match = gazetteer.match_address(data["address"])

    def register() -> WorkOrder:
        order = actions.register(
            None,
            title=data["category"].name,
            description=data["description"],
            channel=Channel.WEB,
            citizen_phone=data["phone"],
            address=data["address"],
            street=match.street if match else None,
            community=match.community if match else None,
            category=data["category"],
        )
        if data["photo"]:
            actions.attach(order, None, upload=data["photo"])
        # The articles the form suggested were shown and the citizen sent anyway.
        kb_assist.record_not_helpful(request, order)
        return order

    try:
        # Two sends racing with one token: the second gets the first's order here.
        order, _fresh = once.register_once(submission, register)
    except ActionError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _submit_page(request, form, submission)
    return _submitted_redirect(order)


def _submitted_redirect(order: WorkOrder) -> HttpResponse:
    token = signing.dumps(order.number, salt=SUBMITTED_SALT)
    return redirect(reverse("portal:submitted") + f"?t={token}")


def _submit_page(request: HttpRequest, form: SubmitForm, submission: str) -> HttpResponse:
    # Each choice is named by its path (城乡建设 / 市政设施 / 路灯损坏): read the parents with the
    # list, or naming ~200 categories asks the database ~400 times (h5 M9).
    field = form.fields["category"]
    assert isinstance(field, ModelChoiceField) and field.queryset is not None
    field.queryset = field.queryset.select_related("parent__parent")
    return render(
        request,
        "portal/submit.html",
        {"form": form, "submission": submission},
    )


def submitted(request: HttpRequest) -> HttpResponse:
    try:
        number = signing.loads(request.GET.get("t", ""), salt=SUBMITTED_SALT, max_age=3600)
    except signing.SignatureExpired:
        # Reopened later (a tab left open, the browser's history): it said nothing and showed
        # the empty tracking form, as if the request had not been sent (walk-through, s27, h7).
        return problem(
            request,
            410,
            _("This confirmation has expired"),
            _(
                "Your request was registered. Look it up with its order number and the phone "
                "number you gave, or call 12345."
            ),
        )
    except signing.BadSignature:
        return redirect("portal:track")
    phone = WorkOrder.objects.filter(number=number).values_list("citizen_phone", flat=True).first()
    # The number the unit will call, as the citizen can check it without the page showing it to
    # the next person at a shared screen: its last four, as everywhere (mask_phone, 139****5678
    # showed seven of eleven digits: review, session 23, LOW-11).
    context = {"number": number, "phone": mask_phone(phone or "")}
    return render(request, "portal/submitted.html", context)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Number and phone are posted, never put in a URL (logs, browser history)."""
    order = None
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            if limits.lookup_exceeded(request):
                return _too_many(request)
            order = (
                WorkOrder.objects.select_related("category", "lead_unit")
                .filter(
                    number=form.cleaned_data["number"],
                    citizen_phone=form.cleaned_data["phone"],
                )
                .first()
            )
            if order is None:
                # The same answer for a wrong number and a wrong phone: nothing to probe.
                form.add_error(None, _("No request matches this number and phone number."))
    else:
        form = TrackForm()
    # Opened from a hall's kiosk: its rating link and "look up another" stay the kiosk's, so
    # that they count against the kiosk's limit, not the address the phones around it share.
    kiosk = "?" + urlencode({"kiosk": request.GET["kiosk"]}) if limits.kiosk_named(request) else ""
    context: dict[str, object] = {"form": form, "order": order, "kiosk_query": kiosk}
    context["kiosk_home"] = limits.kiosk_home(request)
    if context["kiosk_home"]:
        # A kiosk's browser is shared: it must not offer the last citizens' numbers and phones.
        for field in ("number", "phone"):
            form.fields[field].widget.attrs["autocomplete"] = "off"
    if order is not None:
        context.update(
            # Said 不满意 and the centre has not decided yet: what happens next (walk-through,
            # session 30, h6: "您的评价已记录" and nothing more).
            unhappy=unhappy(order) and order.state == State.REVIEWED,
            state=public_state(order),
            reply=public_reply(order),
            rating_url=(
                reverse("portal:rate", args=[rating_token(order)]) + kiosk
                if may_rate(order)
                else ""
            ),
        )
    return render(request, "portal/track.html", context)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    # Opening a link counts like posting one: without it, many forged links (a guessed key and
    # the order's version) could be tried for free. Counted before the token is even read, and a
    # forged, stale or used link all get the same answer, so nothing tells a version apart.
    if limits.lookup_exceeded(request):
        return _too_many(request)
    found = read_rating_token(token)
    # Opened at a hall's kiosk: the page goes back to the kiosk (see portal/base.html).
    home = limits.kiosk_home(request)
    order = (
        WorkOrder.objects.select_related("category").filter(number=found[0]).first()
        if found
        else None
    )
    if found is None or order is None or order.version != found[1] or not may_rate(order):
        return problem(
            request,
            410,
            _("This link no longer works"),
            _(
                "The link has expired or the request has moved on (it may already be rated). "
                "Look your request up again to see where it stands."
            ),
        )
    if request.method == "POST":
        form = RateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            note = _("Rated by the citizen on the portal.")
            if data["comment"]:
                note += "\n" + data["comment"]
            try:
                actions.callback(
                    order,
                    None,
                    resolved=data["resolved"],
                    satisfaction=data["satisfaction"],
                    note=note,
                    expected_version=found[1],
                )
            except Conflict:
                return problem(
                    request,
                    409,
                    _("This link no longer works"),
                    _("The request changed while you were rating it. Look it up again."),
                )
            order.refresh_from_db(fields=["state"])
            context = {
                "order": order,
                "kiosk_home": home,
                "unhappy": unhappy(order),
                "sent_back": order.state == State.REOPENED,
            }
            return render(request, "portal/rated.html", context)
    else:
        form = RateForm()
    context = {"form": form, "order": order, "reply": public_reply(order), "kiosk_home": home}
    return render(request, "portal/rate.html", context)


def statistics(request: HttpRequest) -> HttpResponse:
    # Counted at most every few minutes, not per request: the page needs no account.
    months, updated = stats.figures()
    most = max((m.received for m in months), default=0)
    return render(
        request,
        "portal/statistics.html",
        {"months": months, "most": most, "total": stats.total(months), "updated": updated},
    )
