"""The citizen's pre-review pages on the portal (no login): choose a matter and a hall, upload
the materials, follow the outcome through the link texted with the number, send what was asked
for, withdraw. Every page works on a phone and without JavaScript."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hotline.hall.models import Hall
from hotline.matters.models import Matter
from hotline.portal import limits
from hotline.portal.views import problem
from hotline.prereview import actions, rules
from hotline.prereview.actions.inviting import PARAM
from hotline.prereview.forms import FilesForm, LookupForm, SubmitForm
from hotline.prereview.models import PreReview, PreReviewState
from hotline.prereview.views.shared import files_by_material
from hotline.security import public_url
from hotline.security.phone_numbers import phone_key
from hotline.security.uploads import anyone, too_large, uploads
from hotline.web import once

#: Slack for the form fields around the files in a request body.
BODY_SLACK = 256 * 1024


def body_limit(materials: int) -> int:
    """The largest body a pre-review's form may send: every material's file at its limit, and
    the form around them."""
    return max(materials, 1) * settings.MAX_ATTACHMENT_MB * 1024 * 1024 + BODY_SLACK


def _too_large(request: HttpRequest, materials: int) -> str | None:
    """Files that together are above :func:`body_limit` were not kept (the upload guard skipped
    them before they reached the disk): why, for the form, which comes back with what was typed.
    One file over the limit inside it is said by the form itself."""
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if not too_large(request) and length <= body_limit(materials):
        return None
    return _(
        "The files together are larger than %(total)d MB, so none was kept. Each file may be "
        "at most %(mb)d MB: please choose smaller ones and send again."
    ) % {"total": max(materials, 1) * settings.MAX_ATTACHMENT_MB, "mb": settings.MAX_ATTACHMENT_MB}


def _new_limit(request: HttpRequest, hall: str, matter: str) -> int | None:
    """The form's own body limit (the upload guard's, before the body is read)."""
    found = Matter.objects.filter(code=matter, active=True, prereview_allowed=True).first()
    return None if found is None else body_limit(found.materials.count())


def _resubmit_limit(request: HttpRequest, token: str) -> int | None:
    review = PreReview.objects.filter(token=token).select_related("matter").first()
    return None if review is None else body_limit(review.matter.materials.count())


def _limits() -> list[limits.Limit]:
    """The portal's submission limits, counted apart from its requests (a citizen who reported
    a broken lamp today may still file a pre-review)."""
    return [replace(limit, name="prereview") for limit in limits.submit_limits()]


def _site(request: HttpRequest) -> str:
    return public_url.absolute(request, "/")


#: The status page's query flag after a form was sent again: it says this is the first one.
RESENT = "resent"


def _filed(review: PreReview, *, resent: bool = False) -> HttpResponse:
    response = redirect("prereview_portal:status", token=review.token)
    if resent:
        response["Location"] += f"?{RESENT}=1"
    return response


#: The start page's query flag after a look-up: it says the link was texted if anything matched.
ASKED = "asked"


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The matters open to pre-review, each with the halls that handle it; and, for a citizen
    who lost the text message with their link, the number and mobile to have it texted again.

    The look-up never opens the pre-review (its number counts up and a mobile is known to
    others): a matching pair has its link texted to that mobile (:func:`actions.text_link`), and
    every pair gets the same answer, so nothing tells whether a number was filed with a mobile."""
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limits.exceeded([limits.lookup_limit()], {"ip": limits.client_address(request)}):
            return problem(
                request,
                429,
                _("Too many requests"),
                _("Too many requests came from you in a short time. Please try again later."),
            )
        actions.text_link(
            form.cleaned_data["number"], form.cleaned_data["phone"], site=_site(request)
        )
        response = redirect("prereview_portal:start")
        response["Location"] += f"?{ASKED}=1#prereview-lookup"
        return response
    matters = Matter.objects.filter(active=True, prereview_allowed=True).order_by("code")
    rows = [(m, actions.halls_for(m)) for m in matters]
    return render(
        request,
        "prereview/portal_start.html",
        {"rows": [(m, h) for m, h in rows if h], "form": form, "asked": ASKED in request.GET},
    )


@uploads(anyone, max_bytes=_new_limit)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, hall: str, matter: str) -> HttpResponse:
    the_hall = get_object_or_404(Hall.objects.select_related("unit"), code=hall)
    the_matter = get_object_or_404(Matter, code=matter, active=True, prereview_allowed=True)
    if the_hall not in actions.halls_for(the_matter):
        raise Http404(_("This hall does not handle this matter."))
    materials = list(the_matter.materials.all())
    # The 12345 operator's link carries its invitation (hidden in the form from then on).
    invited = request.POST.get(PARAM) if request.method == "POST" else None
    invitation = actions.find_invitation(
        invited or request.GET.get(PARAM, ""), the_hall, the_matter
    )
    submission = once.posted_token(request.POST) or once.new_token()
    if request.method == "POST":
        # Back and send again (the browser does not put the files back): the pre-review the
        # first sending filed, not a refusal for missing files nor a second one.
        earlier = actions.filed_with(submission)
        if earlier is not None:
            return _filed(earlier, resent=True)
        refused = _too_large(request, len(materials))
        form = SubmitForm(request.POST, request.FILES, materials=materials)
        if refused is not None:
            form.is_valid()  # what was typed is checked too, and comes back with the reason
            form.add_error(None, refused)
        elif form.is_valid():
            data = form.cleaned_data
            values = {
                "ip": limits.client_address(request),
                "phone": phone_key(data["phone"], purpose="portal-limit"),
            }
            if limits.exceeded(_limits(), values):
                return problem(
                    request,
                    429,
                    _("Too many requests"),
                    _("Too many requests came from you in a short time. Please try again later."),
                )
            try:
                review = actions.submit(
                    the_hall,
                    the_matter,
                    name=data["name"],
                    phone=data["phone"],
                    id_number=data["id_number"],
                    uploads=form.uploads(),
                    site=_site(request),
                    invitation=invitation,
                    submission=submission,
                )
            except actions.PreReviewError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                # Two sendings racing with one token both land here on the first's pre-review.
                return _filed(review)
    else:
        refused = None
        form = SubmitForm(materials=materials)
    return render(
        request,
        "prereview/portal_new.html",
        {
            "hall": the_hall,
            "matter": the_matter,
            "form": form,
            "max_mb": settings.MAX_ATTACHMENT_MB,
            "submission": submission,
            "invitation": invitation,
            "param": PARAM,
        },
        status=200 if refused is None else 413,
    )


def _review(token: str) -> PreReview:
    return get_object_or_404(
        PreReview.objects.select_related("hall__unit", "matter", "case"), token=token
    )


def _status_page(
    request: HttpRequest,
    review: PreReview,
    form: FilesForm | None = None,
    status: int = 200,
    *,
    resent: bool = False,
) -> HttpResponse:
    allowed = rules.allowed(review, rules.Actor.CITIZEN)
    materials = list(review.matter.materials.all())
    if form is None and "resubmit" in allowed:
        form = FilesForm(materials=materials, asked=review.missing)
    return render(
        request,
        "prereview/portal_status.html",
        {
            "review": review,
            "rows": files_by_material(review, materials),
            "missing": [m for m in materials if m.pk in review.missing],
            "form": form if "resubmit" in allowed else None,
            "may_withdraw": "withdraw" in allowed,
            "States": PreReviewState,
            "resent": resent,
        },
        status=status,
    )


def status(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's own pre-review, reached by the link in every message."""
    return _status_page(request, _review(token), resent=RESENT in request.GET)


def _closed(request: HttpRequest, review: PreReview) -> HttpResponse:
    """Files sent to a pre-review that does not ask for any (decided, withdrawn, or not sent
    back for more): a clear page; its status page stays readable through the same link."""
    return problem(
        request,
        409,
        _("This pre-review takes no files now"),
        _(
            "Pre-review %(number)s: %(state)s. Nothing can be sent to it now; its page by "
            "your link still shows where it stands and the files you sent."
        )
        % {"number": review.number, "state": PreReviewState(review.state).label},
    )


def _takes_files(request: HttpRequest, token: str) -> bool:
    """Files reach the disk only for a pre-review sent back for more (the view says why not)."""
    review = PreReview.objects.filter(token=token).first()
    return review is not None and "resubmit" in rules.allowed(review, rules.Actor.CITIZEN)


@uploads(_takes_files, max_bytes=_resubmit_limit)
@require_POST
def resubmit(request: HttpRequest, token: str) -> HttpResponse:
    review = _review(token)
    # Before the body is read: a decided pre-review takes no file, and says so (the form is
    # gone from its page, so a refusal on it would be a blank 400).
    if "resubmit" not in rules.allowed(review, rules.Actor.CITIZEN):
        return _closed(request, review)
    materials = list(review.matter.materials.all())
    refused = _too_large(request, len(materials))
    form = FilesForm(request.POST, request.FILES, materials=materials, asked=review.missing)
    if refused is not None:
        form.is_valid()
        form.add_error(None, refused)
    elif form.is_valid():
        try:
            actions.resubmit(review, uploads=form.uploads(), site=_site(request))
        except actions.PreReviewError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("prereview_portal:status", token=review.token)
    return _status_page(request, review, form, status=400 if refused is None else 413)


@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    review = _review(token)
    try:
        actions.withdraw(review)
    except actions.PreReviewError as exc:
        return problem(request, 409, _("This pre-review cannot be withdrawn"), exc.message)
    return redirect("prereview_portal:status", token=review.token)


def download(request: HttpRequest, token: str, pk: int) -> FileResponse:
    """A file of the citizen's own pre-review: only through its link."""
    review = _review(token)
    found = review.files.filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such file."))
    return FileResponse(found.file.open("rb"), as_attachment=False, filename=found.name)
