"""The order page, its actions (HTMX), and the order search."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hotline.dispatch import duplicates as duplicate_detection
from hotline.dispatch.services import suggest as dispatch_suggestions
from hotline.orders import actions
from hotline.orders.models import Action, State, WorkOrder
from hotline.orders.rules import (
    ActionError,
    allowed_actions,
    can_view,
    sees_full_phone,
    visible_orders,
)
from hotline.org.models import User
from hotline.security.models import Where
from hotline.security.phones import record_views
from hotline.web.forms import ACTION_FORMS, DispatchForm, local_input

#: What a row of the order table (web/_order_table.html) shows, and no more: on PostgreSQL,
#: planning the eight-table join that also brought the street, neighbourhood, category parents and
#: parent order took several times longer than running it, on every desk view (docs/benchmarks.md,
#: the load test's staff pages).
ORDER_ROW_RELATED = ("lead_unit", "category")


def get_order(request: HttpRequest, number: str) -> WorkOrder:
    """The order if this user may see it; a 404 otherwise (never reveal that it exists)."""
    # The category's parents (at most two) and the parent order (merged orders only) are read
    # when shown: a join for each would cost more to plan on PostgreSQL than the small queries.
    order = (
        WorkOrder.objects.select_related(*ORDER_ROW_RELATED, "street", "community", "registered_by")
        .filter(number=number)
        .first()
    )
    if order is None or not can_view(request.user, order):  # type: ignore[arg-type]
        raise Http404(_("No such order."))
    return order


def order_context(
    request: HttpRequest, order: WorkOrder, forms: dict[str, Any] | None = None, opened: str = ""
) -> dict[str, Any]:
    user: User = request.user  # type: ignore[assignment]
    allowed = allowed_actions(order, user)
    # Rules and the model, computed once: they fill the dispatch forms and the suggestion line.
    suggestions = (
        dispatch_suggestions(order)
        if any(issubclass(ACTION_FORMS[a], DispatchForm) for a in allowed)
        else []
    )
    built = {}
    for action in allowed:
        form = (forms or {}).get(action) or ACTION_FORMS[action](auto_id=f"id_{action}_%s")
        if isinstance(form, DispatchForm) and not form.is_bound and suggestions:
            form.initial["lead_unit"] = suggestions[0]["unit"].pk
        built[action] = form
    events = order.events.select_related("actor", "actor_unit", "unit").order_by("seq")
    record_views(user, [order], Where.ORDER_PAGE, request)
    return {
        "order": order,
        # Units see the phone masked, and nothing of an anonymous caller (as in the API).
        "phone": order.citizen_phone
        if sees_full_phone(user)
        else ("" if order.anonymous else order.masked_phone()),
        "show_name": sees_full_phone(user) or not order.anonymous,
        "co_units": list(order.co_units.all()),
        "events": events,
        "action_forms": [(Action(a), built[a]) for a in allowed if a != Action.COMMENT],
        "comment_form": built.get(Action.COMMENT),
        "opened": opened,
        "suggestions": suggestions
        if Action.DISPATCH in allowed or Action.APPROVE_RETURN in allowed
        else [],
        "duplicates": order.duplicates.all(),
        # Only those who may merge see possible duplicates (other callers' orders).
        "similar": duplicate_detection.for_order(order) if Action.MERGE in allowed else [],
        "attachments": order.attachments.all(),
        "at_unit": order.state in (State.DISPATCHED, State.ACCEPTED, State.REOPENED),
    }


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = get_order(request, number)
    return render(request, "web/order_detail.html", order_context(request, order))


@login_required
@require_POST
def order_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """Run one action from the order page; on error re-render its form with the input kept."""
    order = get_order(request, number)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404(_("No such action."))
    form = form_class(request.POST, request.FILES, auto_id=f"id_{action}_%s")
    status = 200
    version = _int(request.POST.get("version"))
    if form.is_valid():
        try:
            form.perform(order, request.user, version)  # type: ignore[arg-type]
        except ActionError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
            status = exc.status if exc.status != 403 else 403
        else:
            order = get_order(request, number) if can_view(request.user, order) else order  # type: ignore[arg-type]
            context = order_context(request, order)
            context["flash"] = _("%(action)s: done.") % {"action": Action(action).label}
            return render(request, "web/_order_panel.html", context)
    else:
        status = 422
    order.refresh_from_db()
    context = order_context(request, order, forms={action: form}, opened=action)
    response = render(request, "web/_order_panel.html", context, status=status)
    # HTMX swaps 2xx only by default; the page tells it to swap error responses too.
    return response


@login_required
@require_POST
def order_attach(request: HttpRequest, number: str) -> HttpResponse:
    """Upload a file to the order (multipart); the timeline records it."""
    order = get_order(request, number)
    upload = request.FILES.get("file")
    status, flash, error = 200, "", ""
    if upload is None:
        status, error = 422, _("Choose a file to attach.")
    else:
        try:
            actions.attach(
                order,
                request.user,  # type: ignore[arg-type]
                upload=upload,
                note=request.POST.get("note", ""),
                expected_version=_int(request.POST.get("version")),
            )
        except ActionError as exc:
            status, error = exc.status, exc.message
        else:
            flash = _("Attached %(name)s.") % {"name": upload.name}
    order.refresh_from_db()
    context = order_context(request, order)
    context.update(flash=flash, attach_error=error)
    return render(request, "web/_order_panel.html", context, status=status)


@login_required
def attachment_download(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """Attachments are private: served only to those who may see the order."""
    order = get_order(request, number)
    attachment = order.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("No such attachment."))
    return FileResponse(attachment.file.open("rb"), as_attachment=False, filename=attachment.name)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def search_orders(user: User, params: dict[str, str]) -> QuerySet[WorkOrder]:
    qs = visible_orders(user).select_related(*ORDER_ROW_RELATED)
    text = params.get("q", "").strip()
    if text:
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(address__icontains=text)
            | Q(description__icontains=text)
        )
    phone = params.get("phone", "").strip()
    if phone and sees_full_phone(user):
        qs = qs.filter(citizen_phone=phone)
    if params.get("state") in State.values:
        qs = qs.filter(state=params["state"])
    if params.get("overdue") == "1":
        qs = qs.filter(overdue=True)
    return qs.order_by("-registered_at", "-id")


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    qs = search_orders(request.user, request.GET)  # type: ignore[arg-type]
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    if request.GET.get("phone", "").strip():
        # Orders found by a phone number tie that number to them: a disclosure like showing it.
        record_views(request.user, page.object_list, Where.ORDER_SEARCH, request)  # type: ignore[arg-type]
    template = "web/_order_table.html" if request.htmx else "web/order_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "states": State.choices, "params": request.GET})


__all__ = [
    "attachment_download",
    "local_input",
    "order_act",
    "order_attach",
    "order_detail",
    "order_list",
]
