"""The knowledge reviewer's synonyms page: list, add, edit, remove, import, export.

Only the knowledge reviewer opens it (:func:`~hotline.kb.rules.may_edit_synonyms`); everyone else
gets 403. Editing a group works in place with HTMX (the row becomes a form and back) and, without
script, as a page of its own: one view, two templates.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.interchange.tables import TableError, format_of
from hotline.kb import actions
from hotline.kb.forms import SynonymGroupForm, SynonymImportForm, parse_id
from hotline.kb.models import SynonymEvent, SynonymGroup
from hotline.kb.rules import ActionError, may_edit_synonyms
from hotline.kb.search import text as kbtext
from hotline.kb.synonym_interchange import export_groups, import_groups
from hotline.org.models import User
from hotline.security.uploads import logged_in, uploads
from hotline.web.downloads import attachment
from hotline.web.htmx import from_htmx

PAGE_SIZE = 200


def _reviewer(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_edit_synonyms(user):
        raise PermissionDenied(_("Only the knowledge reviewer changes the synonyms list."))
    return user


def _htmx(request: HttpRequest) -> bool:
    return from_htmx(request)


@login_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    query = request.GET.get("q", "").strip()[:50]
    groups = list(SynonymGroup.objects.filter(active=True).order_by("pk"))
    if query:
        # In Python, folded: JSON text in the database escapes Chinese, and the list is short.
        wanted = kbtext.fold(query)
        groups = [g for g in groups if any(wanted in kbtext.fold(t) for t in g.terms)]
    form = SynonymGroupForm()
    return _list_page(request, form, query, groups)


def _list_page(
    request: HttpRequest,
    form: SynonymGroupForm,
    query: str,
    groups: list[SynonymGroup] | None = None,
    status: int = 200,
) -> HttpResponse:
    if groups is None:
        groups = list(SynonymGroup.objects.filter(active=True).order_by("pk"))
    total = SynonymGroup.objects.filter(active=True).count()
    events = SynonymEvent.objects.select_related("actor", "group").order_by("-at", "-pk")[:20]
    return render(
        request,
        "kb/synonyms.html",
        {
            "groups": groups[:PAGE_SIZE],
            "total": total,
            "query": query,
            "form": form,
            "import_form": SynonymImportForm(),
            "events": events,
        },
        status=status,
    )


@login_required
@require_POST
def synonym_create(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    form = SynonymGroupForm(request.POST)
    if form.is_valid():
        try:
            group = actions.create_group(
                user,
                form.cleaned_data["terms"],
                one_way=form.cleaned_data["one_way"],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as exc:
            form.add_error("terms", exc.message)
        else:
            messages.success(request, _("Added: %(terms)s") % {"terms": group})
            return redirect("kb:synonyms")
    return _list_page(request, form, "", status=400)


@login_required
def synonym_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the group as a form (a table row for HTMX, else a page); POST: save it."""
    user = _reviewer(request)
    group = get_object_or_404(SynonymGroup, pk=pk, active=True)
    template = "kb/_synonym_row_form.html" if _htmx(request) else "kb/synonym_edit.html"
    status = 200
    if request.method == "POST":
        form = SynonymGroupForm(request.POST)
        if form.is_valid():
            try:
                actions.edit_group(
                    group,
                    user,
                    form.cleaned_data["terms"],
                    one_way=form.cleaned_data["one_way"],
                    reason=form.cleaned_data["reason"],
                    expected_version=_version(request),
                )
            except ActionError as exc:
                form.add_error("terms", exc.message)
            else:
                if _htmx(request):
                    return render(request, "kb/_synonym_row.html", {"group": group})
                messages.success(request, _("Saved: %(terms)s") % {"terms": group})
                return redirect("kb:synonyms")
        status = 400
    else:
        form = SynonymGroupForm(initial={"terms": "/".join(group.terms), "one_way": group.one_way})
    return render(request, template, {"group": group, "form": form}, status=status)


@login_required
def synonym_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One group's row as shown (HTMX: Cancel puts the row back)."""
    _reviewer(request)
    group = get_object_or_404(SynonymGroup, pk=pk, active=True)
    return render(request, "kb/_synonym_row.html", {"group": group})


def _version(request: HttpRequest) -> int | None:
    return parse_id(request.POST.get("version"))


@login_required
@require_POST
def synonym_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """The first POST (the list's Remove) asks, in the row with HTMX or as a page without script;
    the confirmed one (``confirm``, with the version the reviewer saw and why) removes."""
    user = _reviewer(request)
    group = get_object_or_404(SynonymGroup, pk=pk, active=True)
    if "confirm" not in request.POST:
        template = "kb/_synonym_remove_confirm.html" if _htmx(request) else "kb/synonym_remove.html"
        version = _version(request) or group.version
        return render(request, template, {"group": group, "version": version})
    try:
        actions.remove_group(
            group,
            user,
            reason=request.POST.get("reason", "")[:500],
            expected_version=_version(request),
        )
    except ActionError as exc:
        if _htmx(request):
            # In the row, not a redirect (HTMX would put the whole page inside the row): the
            # question again, with the group as it is now and why.
            group.refresh_from_db()
            if not group.active:  # someone else removed it meanwhile: the row goes away
                return HttpResponse("")
            context = {"group": group, "version": group.version, "error": exc.message}
            return render(request, "kb/_synonym_remove_confirm.html", context)
        messages.error(request, exc.message)
    else:
        if _htmx(request):
            return HttpResponse("")  # the row goes away
        messages.success(request, _("Removed: %(terms)s") % {"terms": group})
    return redirect("kb:synonyms")


@login_required
@require_POST
def synonym_defaults(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    added = actions.load_default_list(user)
    messages.success(request, _("%(count)d groups of the default list added.") % {"count": added})
    return redirect("kb:synonyms")


@uploads(lambda request: logged_in(request) and may_edit_synonyms(request.user))
@login_required
@require_POST
def synonym_import(request: HttpRequest) -> HttpResponse:
    user = _reviewer(request)
    form = SynonymImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an Excel or CSV file."))
        return redirect("kb:synonyms")
    upload = form.cleaned_data["file"]
    try:
        report = import_groups(upload, format_of(upload.name), user)
    except TableError as exc:
        messages.error(request, str(exc))
        return redirect("kb:synonyms")
    if report.errors:
        for number, error in report.errors[:20]:
            messages.error(request, _("row %(row)d: %(error)s") % {"row": number, "error": error})
        messages.error(
            request,
            _("Nothing was imported: %(count)d problem(s).") % {"count": len(report.errors)},
        )
    else:
        messages.success(request, _("%(count)d groups imported.") % {"count": report.created})
    return redirect("kb:synonyms")


@login_required
def synonym_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _reviewer(request)
    if fmt not in ("csv", "xlsx"):
        raise PermissionDenied
    out = io.BytesIO()
    export_groups(out, fmt)
    return attachment(out.getvalue(), fmt, f"synonyms.{fmt}")
