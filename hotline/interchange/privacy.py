"""One contact-details policy: what of a citizen's name, phone and e-mail a person sees, in the
API and in exports alike (the order pages follow the same rule, hotline.web.orders).

- :data:`PHONE_ROLES` (the centre roles that call citizens back) see everything whole;
- everyone else sees the phone masked (at most half of its digits) and no e-mail; the name
  whole, as the unit calls the citizen by it, except on the rectification order of a 差评
  (:func:`name_for`), where it is masked as the phone is;
- of an anonymous caller they see nothing at all: no name, no phone (not even masked), no e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from hotline.hall.identity import mask_name
from hotline.orders.models import WorkOrder, mask_phone
from hotline.orders.rules import PHONE_ROLES
from hotline.org.models import User

__all__ = [
    "PHONE_ROLES",
    "Contact",
    "contact_for",
    "name_for",
    "phone_for",
    "sees_contact_details",
]


@dataclass(frozen=True)
class Contact:
    """The caller's details as one person may see them (``""`` where they may see nothing)."""

    name: str
    phone: str
    email: str
    whole: bool  # False: the phone is masked (or withheld) and the e-mail withheld


def sees_contact_details(user: User | None) -> bool:
    """Whether ``user`` may see citizens' phone numbers (and e-mail addresses) whole."""
    return user is not None and user.is_active and user.has_role(*PHONE_ROLES)


def contact_for(user: User | None, order: WorkOrder) -> Contact:
    """The caller's name, phone and e-mail as ``user`` may see them (``None``: no one in
    particular, e.g. an export run without ``--user``, sees what a unit sees)."""
    if sees_contact_details(user):
        return Contact(order.citizen_name, order.citizen_phone, order.citizen_email, whole=True)
    if order.anonymous:
        return Contact("", "", "", whole=False)
    return Contact(name_for(user, order), phone_for(None, order.citizen_phone), "", whole=False)


def name_for(user: User | None, order: WorkOrder) -> str:
    """The caller's name as ``user`` may see it: whole for :data:`PHONE_ROLES`; ``""`` of an
    anonymous caller; of the citizen who rated a hall's service badly (the rectification order,
    in ``RATING_CATEGORY``) only its first character (王建国 → 王**), as the hall boards show a
    name. That order goes to the hall's own service centre, whose staff the citizen rated: they
    call the citizen by the revealed number and a surname, and learn no more of who complained
    (review, session 25, L13: the phone was masked per role, the name shown to all). Other
    orders' callers are named whole to the units that call them."""
    if sees_contact_details(user):
        return order.citizen_name
    if order.anonymous:
        return ""
    if _rectifies_a_rating(order):
        return mask_name(order.citizen_name)
    return order.citizen_name


def _rectifies_a_rating(order: WorkOrder) -> bool:
    category = order.category
    return category is not None and category.code == settings.RATING_CATEGORY


def phone_for(user: User | None, phone: str) -> str:
    """The citizen's phone as ``user`` may see it: whole for :data:`PHONE_ROLES`, else
    ``*******1234``. ``None`` (no one in particular, e.g. a command run without ``--user``) gets
    it masked."""
    if not phone:
        return ""
    if sees_contact_details(user):
        return phone
    return mask_phone(phone)
