"""Rating links: ``/portal/rate/<token>/``, the token signed with the secret key.

It names the order and the version it had when the link was issued (after the approved reply),
so a link works once: the rating itself — or anything else that happens to the order first —
moves the version on. It also expires (``PORTAL_RATING_DAYS``).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from hotline.orders.models import WorkOrder

SALT = "hotline.portal.rate"


def rating_token(order: WorkOrder) -> str:
    return signing.dumps({"n": order.number, "v": order.version}, salt=SALT, compress=True)


def read_rating_token(token: str) -> tuple[str, int] | None:
    """``(number, version)`` or ``None`` for a forged, damaged or expired token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_RATING_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        return None
    version = data.get("v")
    return (data["n"], version) if isinstance(version, int) else None
