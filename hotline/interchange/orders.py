"""Work orders as tables.

Import registers each row as a new order through :func:`hotline.orders.actions.register` (the
one write path: the order and its ``register`` event are created together), in one transaction
for the whole file: one refused row and no order of the file stays. Rows are requests to take in
(a partner's batch, a paper-form backlog); whole histories with their events move with
``hotline import-history`` instead. A row with an order number is refused, so an exported file
fed back in cannot register its orders twice.

Export writes one row per order, what it is and where it stands (its lead unit and the sub-unit
it is assigned to inside, 二级派单). Phone numbers are masked unless the exporting user may see
them whole (:func:`hotline.interchange.privacy.phone_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hotline import clock
from hotline.interchange.cells import Cells
from hotline.interchange.privacy import contact_for
from hotline.interchange.report import ImportReport
from hotline.interchange.tables import Table
from hotline.orders import actions
from hotline.orders.models import DESCRIPTION_MAX_LENGTH, Channel, Kind, WorkOrder
from hotline.orders.rules import ActionError, visible_orders
from hotline.org.models import Category, Unit, User
from hotline.sla.models import Urgency

IMPORT_COLUMNS = (
    "registered_at",
    "channel",
    "citizen_name",
    "citizen_phone",
    "citizen_email",
    "anonymous",
    "title",
    "description",
    "address",
    "street",
    "community",
    "latitude",
    "longitude",
    "category",
    "urgency",
    "kind",
)
REQUIRED = ("title", "description")
EXPORT_COLUMNS = (
    "number",
    *IMPORT_COLUMNS,
    "state",
    "lead_unit",
    # 二级派单: the sub-unit holding the order (empty while the lead unit has it), as the search
    # page shows it under the lead unit. Read back as any export column: not required, ignored.
    "assigned_unit",
    "dispatched_at",
    "reply_due",
    "overdue",
    "replied_at",
    "reply_result",
    "reply_text",
    "callback_resolved",
    "satisfaction",
    "closed_at",
)
#: Rows between two progress calls.
PROGRESS_EVERY = 500


def import_orders(
    table: Table,
    *,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Register every row (as ``actor``: an operator or dispatcher, or ``None`` for the system)."""
    report = ImportReport(rows=len(table.rows), dry_run=dry_run)
    missing = table.missing(REQUIRED)
    if missing:
        report.error(1, "", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        return report
    # A misspelt column ("adress") would otherwise be skipped and its values lost without a word.
    # The export's own columns are known, so an exported file is refused for its numbers only.
    unknown = [c for c in table.header if c and c not in EXPORT_COLUMNS]
    if unknown:
        report.error(
            1,
            "",
            _("unknown columns: %(columns)s (the columns are: %(known)s)")
            % {"columns": ", ".join(unknown), "known": ", ".join(EXPORT_COLUMNS)},
        )
        return report
    units = {u.code: u for u in Unit.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    now = clock.now()
    with transaction.atomic():
        for done, (row, raw) in enumerate(table.rows, start=1):
            cells = Cells(report, row, raw)
            if cells.text("number"):
                cells.error(
                    "number", _("orders are numbered when they are registered: leave it empty")
                )
            fields = _register_fields(cells, units, categories, now)
            if not cells.failed:
                try:
                    # A savepoint per row: a refused row leaves the transaction usable, so every
                    # row is still checked and reported.
                    with transaction.atomic():
                        actions.register(actor, **fields)
                    report.created += 1
                except ActionError as exc:
                    report.error(row, exc.field or "", exc.message)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    if report.errors:
        report.created = 0
    report.written = not (report.errors or dry_run)
    return report


def _register_fields(
    cells: Cells, units: dict[str, Unit], categories: dict[str, Category], now: dt.datetime
) -> dict[str, Any]:
    def unit(column: str) -> Unit | None:
        code = cells.text(column)
        if code and code not in units:
            cells.error(column, _("unknown unit code %(code)r") % {"code": code})
        return units.get(code) if code else None

    category_code = cells.text("category")
    if category_code and category_code not in categories:
        cells.error("category", _("unknown category code %(code)r") % {"code": category_code})
    registered_at = cells.moment("registered_at")
    if registered_at is not None and registered_at > now:
        cells.error("registered_at", _("in the future"))
    return {
        "now": registered_at,
        "channel": cells.choice("channel", Channel, default=Channel.OTHER),
        "citizen_name": cells.text("citizen_name", max_length=50),
        "citizen_phone": cells.text("citizen_phone", max_length=30),
        "citizen_email": cells.text("citizen_email", max_length=254),
        "anonymous": cells.boolean("anonymous", False),
        "title": cells.text("title", required=True, max_length=200),
        "description": cells.text("description", required=True, max_length=DESCRIPTION_MAX_LENGTH),
        "address": cells.text("address", max_length=200),
        "street": unit("street"),
        "community": unit("community"),
        "latitude": cells.decimal("latitude", -90, 90),
        "longitude": cells.decimal("longitude", -180, 180),
        "category": categories.get(category_code) if category_code else None,
        "urgency": cells.choice("urgency", Urgency, default=Urgency.NORMAL),
        "kind": cells.choice("kind", Kind, default=Kind.HELP),
    }


def export_orders(
    user: User | None = None,
    *,
    registered_from: dt.datetime | None = None,
    registered_to: dt.datetime | None = None,
) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
    """Every order ``user`` may see (all with no user), oldest first; phones as ``user`` may see
    them."""
    orders: QuerySet[WorkOrder] = WorkOrder.objects.all()
    if user is not None:
        orders = visible_orders(user, orders)
    if registered_from is not None:
        orders = orders.filter(registered_at__gte=registered_from)
    if registered_to is not None:
        orders = orders.filter(registered_at__lt=registered_to)
    codes = dict(Unit.objects.values_list("pk", "code"))
    category_codes = dict(Category.objects.values_list("pk", "code"))

    def code(pk: int | None) -> str:
        return codes.get(pk, "") if pk else ""

    def rows() -> Iterator[list[Any]]:
        for o in orders.order_by("registered_at", "pk").iterator(chunk_size=1000):
            contact = contact_for(user, o)  # the one policy, as the API applies it
            yield [
                o.number,
                o.registered_at,
                o.channel,
                contact.name,
                contact.phone,
                contact.email,
                "true" if o.anonymous else "false",
                o.title,
                o.description,
                o.address,
                code(o.street_id),
                code(o.community_id),
                o.latitude,
                o.longitude,
                category_codes.get(o.category_id, "") if o.category_id else "",
                o.urgency,
                o.kind,
                o.state,
                code(o.lead_unit_id),
                code(o.assigned_unit_id),
                o.dispatched_at,
                o.reply_due,
                "true" if o.overdue else "false",
                o.replied_at,
                o.reply_result,
                o.reply_text,
                "" if o.callback_resolved is None else str(o.callback_resolved).lower(),
                o.satisfaction,
                o.closed_at,
            ]

    return EXPORT_COLUMNS, rows()
