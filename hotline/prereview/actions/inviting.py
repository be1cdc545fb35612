"""A 12345 operator texts a caller the link to pre-review a matter at a hall (issue 18 item 8),
and the portal finds the invitation again when the citizen opens the link."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hotline import clock
from hotline.hall import identity
from hotline.hall.models import Hall, WindowMatter
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.matters.models import Matter
from hotline.orders import notify
from hotline.org.models import User
from hotline.portal import limits
from hotline.prereview.actions.filing import halls_for
from hotline.prereview.models import PreReviewInvitation
from hotline.prereview.rules import InvalidInput, NotAllowed, may_invite

#: Links texted to one mobile within a day, by every operator together: enough to resend one
#: to a caller who lost it and to send a second matter, not enough to flood a number typed wrong.
INVITES_PER_PHONE_DAY = 3
#: How long a link stays linked to its invitation (the pre-review form works after it anyway).
VALID = dt.timedelta(days=30)
#: The query parameter of the portal's pre-review form that carries the invitation's token.
PARAM = "from"


def invitation_link(invitation: PreReviewInvitation, site: str = "") -> str:
    """The portal's pre-review form for the invitation's matter at its hall, with its token
    (never the mobile: a link reaches access logs and browser histories)."""
    path = reverse("prereview_portal:new", args=[invitation.hall.code, invitation.matter.code])
    link = f"{path}?{PARAM}={invitation.token}"
    return site.rstrip("/") + link if site else link


def invite(
    user: User,
    phone: str,
    hall: Hall,
    matter: Matter,
    *,
    site: str = "",
    now: dt.datetime | None = None,
) -> PreReviewInvitation:
    """Text the caller at ``phone`` the link to pre-review ``matter`` at ``hall`` (``site``: the
    absolute address of the portal), and record it.

    Refused (nothing recorded, nothing sent) for anyone but an operator or dispatcher, a matter
    not open to pre-review or not handled at that hall, anything but a mainland mobile number,
    and a number already sent :data:`INVITES_PER_PHONE_DAY` links within a day.
    """
    now = now or clock.now()
    if not may_invite(user):
        raise NotAllowed(_("Only operators and dispatchers send pre-review links."))
    if not (matter.active and matter.prereview_allowed):
        raise InvalidInput(_("This matter cannot be pre-reviewed online."), field="matter")
    if hall not in halls_for(matter):
        raise InvalidInput(_("This hall does not handle this matter."), field="hall")
    try:
        number = identity.mobile(phone)
    except HallInvalidInput as exc:
        raise InvalidInput(exc.message, field="citizen_phone") from None
    key = identity.holder_key(phone=number)
    # The portal's limits record the attempt before counting it (hotline.portal.limits), so two
    # operators sending at the same moment cannot both pass the limit.
    limit = limits.Limit("prereview-invite", "phone", INVITES_PER_PHONE_DAY, dt.timedelta(days=1))
    if limits.exceeded([limit], {"phone": key}):
        raise InvalidInput(
            _("This number was sent %(n)d pre-review links within a day: no more today.")
            % {"n": INVITES_PER_PHONE_DAY},
            field="citizen_phone",
        )
    with transaction.atomic():
        invitation = PreReviewInvitation.objects.create(
            token=secrets.token_urlsafe(16),
            hall=hall,
            matter=matter,
            phone_key=key,
            sent_by=user,
            sent_at=now,
        )
        _text(invitation, number, site)
    return invitation


def _text(invitation: PreReviewInvitation, number: str, site: str) -> None:
    """The text message, sent through the notify adapters once the invitation is committed."""
    hall = invitation.hall
    message = notify.Message(
        order_number=f"{hall.code.upper()} {invitation.matter.code}",
        action="prereview_invite",
        unit_name=hall.unit.name,
        recipients_phone=(number,),
        recipients_email=(),
        text=_(
            "12345: upload the materials for %(matter)s before you go to %(hall)s, and the "
            "window checks them in advance: %(link)s"
        )
        % {
            "matter": invitation.matter.name,
            "hall": hall.unit.name,
            "link": invitation_link(invitation, site),
        },
        secret=invitation.token,  # the invitation's key, masked in the logs as a code is
    )

    notify.send_after_commit(message, invitation)


def find_invitation(
    token: str, hall: Hall, matter: Matter, *, now: dt.datetime | None = None
) -> PreReviewInvitation | None:
    """The invitation behind a link to ``matter`` at ``hall``, while it is valid; ``None`` for
    anything else (a pre-review filed from an old or altered link is simply not counted as
    started from 12345)."""
    if not token or len(token) > 32:
        return None
    now = now or clock.now()
    return PreReviewInvitation.objects.filter(
        token=token, hall=hall, matter=matter, sent_at__gt=now - VALID
    ).first()


def invitable() -> list[tuple[Matter, Hall]]:
    """Every (matter, hall) a link can be sent for: matters open to pre-review, at each hall
    with a window serving them — what the operator picks from."""
    pairs = set(
        WindowMatter.objects.filter(matter__active=True, matter__prereview_allowed=True)
        .values_list("matter_id", "window__hall_id")
        .distinct()
    )
    matters = Matter.objects.in_bulk({m for m, _h in pairs})
    halls = Hall.objects.select_related("unit").in_bulk({h for _m, h in pairs})
    return sorted(
        ((matters[m], halls[h]) for m, h in pairs),
        key=lambda pair: (pair[0].code, pair[1].code),
    )


def invitations_for_phone(phone: str, limit: int = 10) -> list[PreReviewInvitation]:
    """The links texted to this mobile, newest first, with the pre-reviews filed from them (the
    caller history at intake); empty for anything but a mainland mobile number."""
    try:
        key = identity.holder_key(phone=phone)
    except HallInvalidInput:
        return []
    if not key:
        return []
    return list(
        PreReviewInvitation.objects.filter(phone_key=key)
        .select_related("hall__unit", "matter", "sent_by")
        .prefetch_related("prereviews")
        .order_by("-sent_at", "-pk")[:limit]
    )
