"""The order search (/orders/): the filters people use daily, a total, sorting, and export.

The search form is POSTed. A search without a caller's phone lands on a link with its filters
(bookmark it, send it, reload it). A search by phone never puts the number in an address: in the
browser's history, the login page's ``next``, a proxy's access log or a link sent on, a phone
number is personal data out of anyone's control. Its criteria stay in the session under a short
random id (``?search=<id>``), valid only in that session; the pages, the sort and the export of
that search carry only the id. A phone typed into an address (an old bookmark) is refused, never
searched. The export writes the same rows through the one cell writer
(:mod:`hotline.interchange.tables`), phones as the export policy shows them
(:mod:`hotline.interchange.privacy`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import secrets
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import push_url

from hotline import clock
from hotline.assessment import periods
from hotline.interchange.privacy import name_for, phone_for, sees_contact_details
from hotline.interchange.tables import write_table
from hotline.orders.models import Channel, Kind, Satisfaction, State, WorkOrder
from hotline.orders.rules import (
    UNIT_WORKERS,
    held_by,
    sees_all_orders,
    sees_full_phone,
    unit_scope,
    visible_orders,
)
from hotline.org.models import Category, Unit, UnitKind, User, subtree_ids
from hotline.security.models import Where
from hotline.security.phone_numbers import normalise_phone
from hotline.security.phones import record_export, record_views
from hotline.sla.models import Urgency
from hotline.web.downloads import attachment
from hotline.web.orders import ORDER_ROW_RELATED
from hotline.web.unit_picker import tree_order
from hotline.web.widgets import DateBox

PAGE_SIZE = 30
#: An export is for a working list, not a dump of the database (``export-data`` does that).
EXPORT_LIMIT = 10_000

#: Sort keys offered in the table header; "-key" sorts descending.
SORTS = {
    "registered": ("registered_at", "id"),
    "number": ("number",),
    "state": ("state", "registered_at"),
    "unit": ("lead_unit__name", "registered_at"),
    "reply_due": ("reply_due", "registered_at"),
}
DEFAULT_SORT = "-registered"

#: The address parameter naming a search kept in the session (one made with a phone number).
SEARCH_ID = "search"
#: Where the session keeps them: ``{id: {field: [values]}}``, oldest first.
SESSION_KEY = "order_searches"
#: Searches kept per session; past it the oldest goes (its links then say it has expired). As
#: the phone is typed, each pause is a search: twenty covers a morning's Back button.
KEPT_SEARCHES = 20
#: ``?notice=`` of the redirect from an address with a phone number in it.
PHONE_IN_LINK = "phone"
#: Not criteria: what the form posts besides its filters, and where the page is.
_NOT_CRITERIA = {"csrfmiddlewaretoken", "page", SEARCH_ID}


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", gettext_lazy("Any")), *choices]


class OrderSearchForm(forms.Form):
    """What /orders/ filters by; every field optional, every bad value ignored with a message."""

    q = forms.CharField(label=gettext_lazy("Text"), required=False)
    number = forms.CharField(label=gettext_lazy("Order number"), required=False, max_length=20)
    phone = forms.CharField(label=gettext_lazy("Caller phone"), required=False, max_length=30)
    registered_from = forms.DateField(
        label=gettext_lazy("Registered from"),
        required=False,
        validators=[periods.validate_day],  # year 1 or 9999: refused, not a 500
        widget=DateBox(),
    )
    registered_to = forms.DateField(
        label=gettext_lazy("Registered until"),
        required=False,
        validators=[periods.validate_day],
        widget=DateBox(),
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Lead unit (with sub-units)"), required=False, coerce=int
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Category (with sub-categories)"), required=False, coerce=int
    )
    street = forms.TypedChoiceField(label=gettext_lazy("Street"), required=False, coerce=int)
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), required=False, choices=_blank(Channel.choices)
    )
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"), required=False, choices=_blank(Urgency.choices)
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=_blank(Kind.choices)
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False, choices=_blank(State.choices)
    )
    satisfaction = forms.ChoiceField(
        label=gettext_lazy("Satisfaction"),
        required=False,
        choices=_blank([*Satisfaction.choices, ("none", gettext_lazy("No verdict"))]),
    )
    overdue = forms.BooleanField(label=gettext_lazy("Overdue"), required=False)
    supervised = forms.BooleanField(label=gettext_lazy("Supervised"), required=False)

    def __init__(self, *args: Any, units: list[Unit], categories: list[Category], **kwargs: Any):
        super().__init__(*args, **kwargs)
        tree = [(u.pk, "　" * depth + u.name) for u, depth in tree_order(units)]
        self.fields["unit"].choices = _blank(tree)  # type: ignore[attr-defined]
        self.fields["street"].choices = _blank(  # type: ignore[attr-defined]
            [(u.pk, u.name) for u in units if u.kind == UnitKind.STREET]
        )
        self.fields["category"].choices = _blank(  # type: ignore[attr-defined]
            [(c.pk, "　" * (c.level - 1) + c.name) for c in _category_tree(categories)]
        )


def _category_tree(categories: list[Category]) -> list[Category]:
    children: dict[int | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c)
    ordered: list[Category] = []

    def walk(parent: int | None) -> None:
        for c in sorted(children.get(parent, []), key=lambda c: (c.sort_order, c.code)):
            ordered.append(c)
            walk(c.pk)

    walk(None)
    return ordered


def _category_subtree(categories: list[Category], root: int) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c.pk)
    found, stack = set(), [root]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return found


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search(
    user: User, params: QueryDict | dict[str, str]
) -> tuple[OrderSearchForm, QuerySet[WorkOrder], str]:
    """The filter form (bound to ``params``), the matching orders as ``user`` may see them, sorted,
    and the sort key in force."""
    units = list(
        Unit.objects.handling().only("pk", "name", "kind", "parent_id", "sort_order", "code")
    )
    if not sees_all_orders(user):
        # A unit's (a 居委会's) filters offer the units it may see, not the district's tree: the
        # rest found nothing for it anyway, and listed every unit of the organisation.
        scope = unit_scope(user) if user.has_role(*UNIT_WORKERS) else set()
        units = [u for u in units if u.pk in scope]
    categories = list(Category.objects.filter(active=True))
    form = OrderSearchForm(params, units=units, categories=categories)
    qs = visible_orders(user).select_related(*ORDER_ROW_RELATED)
    data = form.cleaned_data if form.is_valid() else _valid_part(form)
    if text := (data.get("q") or "").strip():
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(address__icontains=text)
            | Q(description__icontains=text)
        )
    if number := (data.get("number") or "").strip():
        qs = qs.filter(number__startswith=number)
    phone = normalise_phone(data.get("phone") or "")
    if phone:
        # Only those who see numbers whole may look orders up by one (else it would reveal them).
        qs = qs.filter(citizen_phone=phone) if sees_full_phone(user) else qs.none()
    if day := data.get("registered_from"):
        qs = qs.filter(registered_at__gte=_day_start(day))
    if day := data.get("registered_to"):
        qs = qs.filter(registered_at__lt=_day_start(day + dt.timedelta(days=1)))
    if unit := data.get("unit"):
        # A sub-unit finds the orders its lead unit assigned to it (二级派单) too.
        qs = qs.filter(held_by(subtree_ids([unit])))
    if category := data.get("category"):
        qs = qs.filter(category__in=_category_subtree(categories, category))
    if street := data.get("street"):
        qs = qs.filter(street=street)
    for name in ("channel", "urgency", "kind", "state"):
        if value := data.get(name):
            qs = qs.filter(**{name: value})
    satisfaction = data.get("satisfaction")
    if satisfaction == "none":
        qs = qs.filter(satisfaction="")
    elif satisfaction:
        qs = qs.filter(satisfaction=satisfaction)
    if data.get("overdue"):
        qs = qs.filter(overdue=True)
    if data.get("supervised"):
        qs = qs.filter(supervision_due__isnull=False)
    sort = params.get("sort") or DEFAULT_SORT
    if sort.lstrip("-") not in SORTS:
        sort = DEFAULT_SORT
    fields = SORTS[sort.lstrip("-")]
    qs = qs.order_by(*(f"-{f}" if sort.startswith("-") else f for f in fields))
    return form, qs, sort


def _valid_part(form: OrderSearchForm) -> dict[str, Any]:
    """The filters that are valid when some are not: a bad date does not empty the search."""
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


def _sort_links(params: QueryDict, current: str) -> dict[str, dict[str, str]]:
    links = {}
    for key in SORTS:
        descending = current == f"-{key}"
        ascending = current == key
        query = params.copy()
        query.pop("page", None)
        query["sort"] = key if descending else f"-{key}"
        links[key] = {
            "url": "?" + query.urlencode(),
            "aria": "descending" if descending else ("ascending" if ascending else ""),
        }
    return links


def _non_blank(params: QueryDict) -> QueryDict:
    used = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [v for v in values if v.strip()]
        if kept:
            used.setlist(key, kept)
    return used


def _criteria(params: QueryDict) -> QueryDict:
    """The filters in use (and the sort): blank fields, the CSRF token and the page left out."""
    used = _non_blank(params)
    for key in _NOT_CRITERIA:
        used.pop(key, None)
    return used


def _has_phone(params: QueryDict) -> bool:
    return bool((params.get("phone") or "").strip())


def keep_search(request: HttpRequest, criteria: QueryDict) -> str:
    """Keep ``criteria`` in the session; the id that names them in this session's addresses.

    The same criteria keep their id (a reload, the same number typed again), so a morning's
    searches do not push each other out. Ids are random: one seen over a shoulder or in a log
    opens nothing in another session, and the session's end (logout, expiry) ends them all.
    """
    kept: dict[str, dict[str, list[str]]] = dict(request.session.get(SESSION_KEY) or {})
    lists = dict(criteria.lists())
    known = next((key for key, value in kept.items() if value == lists), None)
    key = known or secrets.token_urlsafe(9)
    kept.pop(key, None)
    kept[key] = lists  # newest last
    while len(kept) > KEPT_SEARCHES:
        del kept[next(iter(kept))]
    request.session[SESSION_KEY] = kept
    return key


def kept_search(request: HttpRequest, key: str) -> QueryDict | None:
    """The criteria this session kept under ``key``; None when unknown (another session's id,
    pushed out, or the session has ended since)."""
    lists = (request.session.get(SESSION_KEY) or {}).get(key)
    if not isinstance(lists, dict):
        return None
    criteria = QueryDict(mutable=True)
    for field, values in lists.items():
        criteria.setlist(field, [str(v) for v in values])
    return criteria


class Refused(Exception):
    """The search cannot run from this address; ``notice`` says why, to the person."""

    def __init__(self, notice: str) -> None:
        super().__init__(notice)
        self.notice = notice


def _address_search(request: HttpRequest) -> tuple[QueryDict, QueryDict]:
    """The criteria a GET asks for, and the parameters its links may carry.

    ``?search=<id>``: the kept criteria, links carrying only the id (and the sort, the page).
    Otherwise the filters in the address, as they are; a phone number there is refused.
    """
    key = request.GET.get(SEARCH_ID, "")
    if key:
        criteria = kept_search(request, key)
        if criteria is None:
            raise Refused(
                _("This search has expired or was made in another sign-in: search again.")
            )
        links = QueryDict(mutable=True)
        links[SEARCH_ID] = key
        for name in ("sort", "page"):
            if value := request.GET.get(name):
                criteria[name] = links[name] = value
        return criteria, links
    if request.GET.get("notice") == PHONE_IN_LINK:
        raise Refused(
            _("A search by phone number is not run from a link: type the number in the form.")
        )
    return request.GET, request.GET


def refuse_phone_in_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A phone number in a GET's address is never searched, nor kept in the login page's
    ``next``, nor repeated in the page (the language switch's ``next``): the browser goes on to
    the empty search form, which says why (``?notice=phone``). Checked before the login."""

    @functools.wraps(view)
    def refusing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in ("GET", "HEAD") and _has_phone(request.GET):
            address = f"{reverse('order_list')}?notice={PHONE_IN_LINK}"
            if not request.user.is_authenticated:
                return redirect_to_login(address)
            return HttpResponseRedirect(address)
        return view(request, *args, **kwargs)

    return refusing


def _refused_page(
    request: HttpRequest, user: User, notice: str, *, status: int = 200
) -> HttpResponse:
    """The empty search form and why nothing was searched."""
    form, _qs, sort = search(user, QueryDict())
    context = {
        "form": form,
        "sort": sort,
        "notice": notice,
        "phone_search": sees_full_phone(user),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    template = "web/_order_search_notice.html" if htmx else "web/order_list.html"
    return render(request, template, context, status=status)


def _results(
    request: HttpRequest, user: User, criteria: QueryDict, links: QueryDict, template: str
) -> HttpResponse:
    """The search page (or its table, ``template``) for ``criteria``; every link on it is made
    of ``links`` (the id of a kept search, or the filters of one without a phone)."""
    form, qs, sort = search(user, criteria)
    page = Paginator(qs, PAGE_SIZE).get_page(criteria.get("page"))
    if form.is_valid() and form.cleaned_data.get("phone"):
        # Orders found by a phone number tie that number to them: a disclosure like showing it.
        record_views(user, page.object_list, Where.ORDER_SEARCH, request)
    query = links.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "sort": sort,
        "sorts": _sort_links(links, sort),
        "query": query.urlencode(),
        "params": links,
        "export_limit": EXPORT_LIMIT,
        "phone_search": sees_full_phone(user),
    }
    return render(request, template, context)


@refuse_phone_in_link
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def order_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    htmx = request.htmx  # type: ignore[attr-defined]
    if request.method == "POST":
        return _posted_search(request, user)
    try:
        criteria, links = _address_search(request)
    except Refused as refused:
        return _refused_page(request, user, refused.notice)
    if not htmx:
        return _results(request, user, criteria, links, "web/order_list.html")
    response = _results(request, user, criteria, links, "web/_order_table.html")
    # The address bar keeps only the filters in use (a link worth sending to a colleague).
    used = _non_blank(links)
    return push_url(response, f"{request.path}?{used.urlencode()}" if used else request.path)


def _posted_search(request: HttpRequest, user: User) -> HttpResponse:
    """The form, posted: a search with a phone is kept in the session and named by its id; one
    without keeps its filters in the address, as a link. Either way the browser's address is
    that link (a redirect, or htmx's pushed URL), so Back, reload and bookmarks work."""
    criteria = _criteria(request.POST)
    if _has_phone(criteria):
        links = QueryDict(mutable=True)
        links[SEARCH_ID] = keep_search(request, criteria)
    else:
        links = criteria
    address = f"{request.path}?{links.urlencode()}" if links else request.path
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect(address)
    response = _results(request, user, criteria, links, "web/_order_table.html")
    return push_url(response, address)


def export_rows(user: User, orders: QuerySet[WorkOrder]) -> tuple[list[str], Iterator[list[Any]]]:
    """The search result as people read it: names and labels, the phone as exports show it."""
    entitled = sees_contact_details(user)
    header = [
        _("Number"),
        _("Registered"),
        _("Channel"),
        _("Kind"),
        _("Urgency"),
        _("Title"),
        _("Caller"),
        _("Phone"),
        _("Address"),
        _("Street"),
        _("Category"),
        _("State"),
        _("Lead unit"),
        # 二级派单: the sub-unit holding it, as the search page shows under the lead unit.
        _("Assigned to"),
        _("Reply by"),
        _("Overdue"),
        _("Satisfaction"),
    ]

    def rows() -> Iterator[list[Any]]:
        for o in orders.select_related("street", "category").iterator(chunk_size=1000):
            hidden = o.anonymous and not entitled
            yield [
                o.number,
                o.registered_at,
                o.get_channel_display(),
                o.get_kind_display(),
                o.get_urgency_display(),
                o.title,
                "" if hidden else name_for(user, o),
                "" if hidden else phone_for(user, o.citizen_phone),
                o.address,
                o.street.name if o.street else "",
                o.category.name if o.category else "",
                o.get_state_display(),
                o.lead_unit.name if o.lead_unit else "",
                o.assigned_unit.name if o.assigned_unit else "",
                o.reply_due,
                _("yes") if o.overdue else "",
                o.get_satisfaction_display(),
            ]

    return header, rows()


@refuse_phone_in_link
@login_required
def order_export(request: HttpRequest) -> HttpResponse:
    """The current search as .xlsx or .csv (``?format=csv``), at most ``EXPORT_LIMIT`` rows."""
    user: User = request.user  # type: ignore[assignment]
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    try:
        criteria, _links = _address_search(request)
    except Refused as refused:
        # Not a download: the search page, saying why (the kept search is gone).
        return _refused_page(request, user, refused.notice, status=400)
    criteria = criteria.copy()
    criteria.pop("format", None)
    _form, qs, _sort = search(user, criteria)
    header, rows = export_rows(user, qs[:EXPORT_LIMIT])
    out = io.BytesIO()
    count = write_table(out, fmt, header, rows, title=_("Orders"))
    if sees_contact_details(user):
        # What was exported, as searched (the number too: this record says who looked up whom).
        detail = f"order search ({count} rows): {_criteria(criteria).urlencode()}"
        record_export(user, Where.EXPORT, detail)
    # The hotline's time, as the page shows it: a file saved at 09:51 in Shanghai says 0951.
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    return attachment(out.getvalue(), fmt, f"orders-{stamp}.{fmt}")
