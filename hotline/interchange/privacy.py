"""Who sees a citizen's phone number whole outside the order pages (exports, reports)."""

from __future__ import annotations

from hotline.orders.models import mask_phone
from hotline.orders.rules import PHONE_ROLES
from hotline.org.models import User

__all__ = ["PHONE_ROLES", "phone_for", "sees_contact_details"]


def sees_contact_details(user: User | None) -> bool:
    """Whether ``user`` may see citizens' phone numbers (and e-mail addresses) whole."""
    return user is not None and user.is_active and user.has_role(*PHONE_ROLES)


def phone_for(user: User | None, phone: str) -> str:
    """The citizen's phone as ``user`` may see it: whole for :data:`PHONE_ROLES`, else
    ``*******1234``. ``None`` (no one in particular, e.g. a command run without ``--user``) gets
    it masked."""
    if not phone:
        return ""
    if sees_contact_details(user):
        return phone
    return mask_phone(phone)
