"""The kinds of data that move in and out, by the name the commands use."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hotline.interchange import orders, organisation, places

#: kind → (importer, exporter). Importers take a Table and keyword options; exporters return the
#: header and an iterator of rows.
KINDS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "units": (organisation.import_units, organisation.export_units),
    "categories": (organisation.import_categories, organisation.export_categories),
    "gazetteer": (places.import_places, places.export_places),
    "orders": (orders.import_orders, orders.export_orders),
}
