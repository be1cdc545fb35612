"""Lines of the order-history interchange format (docs/history-format.md) for the import tests."""

from __future__ import annotations

import io
import json

from hotline.orders.demo import purge_orders
from hotline.orders.history import export_orders
from hotline.orders.models import State, WorkOrder
from tests.assessment.conftest import march_story
from tests.conftest import District


def exported() -> list[str]:
    out = io.StringIO()
    export_orders(WorkOrder.objects.all(), out)
    return out.getvalue().splitlines()


def closed_order_line(district: District) -> dict:
    """One closed order's line, its order purged: a template for hand-made lines."""
    march_story(district)
    line = next(json.loads(x) for x in exported() if json.loads(x)["state"] == State.CLOSED)
    purge_orders()
    return line


def numbered(record: dict, n: int, **changes) -> dict:
    return {**record, "number": f"20230301-{n:06d}", **changes}


def lines(*records) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
