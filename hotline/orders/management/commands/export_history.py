"""``hotline export-history [--from DATE --to DATE] [--out FILE]``: write the order history.

JSON Lines as in docs/history-format.md, to stdout by default. Dates are inclusive local dates and
select orders by their registration time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hotline.assessment.management.commands.kpi import period
from hotline.orders.history import export_orders
from hotline.orders.models import WorkOrder
from hotline.security.models import Where
from hotline.security.phones import record_export


class Command(BaseCommand):
    help = "Export orders with their events as JSON Lines (docs/history-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day registered, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day registered, YYYY-MM-DD")
        parser.add_argument("--out", help="write to this file instead of stdout")
        parser.add_argument(
            "--mask-phones",
            action="store_true",
            help="write citizens' phone numbers masked (for readers not entitled to them)",
        )

    def handle(
        self,
        *args: Any,
        start: str | None,
        end: str | None,
        out: str | None,
        mask_phones: bool,
        **options: Any,
    ) -> None:
        orders = WorkOrder.objects.all()
        if start or end:
            if not (start and end):
                raise CommandError(_("Give both --from and --to."))
            begin, finish = period(start, end)
            orders = orders.filter(registered_at__gte=begin, registered_at__lt=finish)
        if out is None:
            written = export_orders(orders, self.stdout, mask_phones=mask_phones)
        else:
            try:
                with open(out, "w", encoding="utf-8") as stream:
                    written = export_orders(orders, stream, mask_phones=mask_phones)
            except OSError as exc:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc}
                ) from exc
        if not mask_phones:
            # Full numbers left the system: the phone-view record says when, what and where to.
            record_export(
                None,
                Where.EXPORT,
                f"export-history: {written} orders, {start or '…'}–{end or '…'}, "
                f"to {out or 'stdout'}",
            )
        self.stderr.write(_("%(n)d orders exported.") % {"n": written})
