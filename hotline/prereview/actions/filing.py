"""The citizen's steps on the portal: file a pre-review, send what was asked for, withdraw."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline import clock
from hotline.cases import numbering
from hotline.hall import identity
from hotline.hall.models import Hall, WindowMatter
from hotline.hall.rules import InvalidInput as HallInvalidInput
from hotline.matters.models import Material, Matter
from hotline.prereview.actions._core import status_link, step, text_citizen
from hotline.prereview.actions.uploads import checked_name
from hotline.prereview.models import (
    PreReview,
    PreReviewAction,
    PreReviewCounter,
    PreReviewEvent,
    PreReviewFile,
    PreReviewInvitation,
    PreReviewState,
)
from hotline.prereview.rules import Actor, InvalidInput

#: Files keyed by the pk of the material they are for.
Uploads = Mapping[int, UploadedFile]
#: Uploads that passed the checks: the material, the file, its safe name.
Checked = list[tuple[Material, UploadedFile, str]]


def field_name(material_id: int) -> str:
    """The form field of a material's file (errors name it so the page marks that item)."""
    return f"material_{material_id}"


def halls_for(matter: Matter) -> list[Hall]:
    """The halls with a window serving ``matter``: where it can be pre-reviewed and handled."""
    return list(
        Hall.objects.filter(
            pk__in=WindowMatter.objects.filter(matter=matter).values("window__hall")
        ).select_related("unit")
    )


def next_number(hall: Hall, now: dt.datetime) -> str:
    """``DNL-YS-2026-000123``: the hall's code, 预审, the year, a per-hall yearly sequence
    (:mod:`hotline.cases.numbering`, as case numbers). Taken first in the filing, which then
    stores the files: on PostgreSQL no lock is held to commit, so filings of a hall never wait
    on each other's uploads. Unique and ordered, not gap-free (a failed filing leaves its
    number unused)."""
    year = timezone.localtime(now).year
    last = numbering.take(PreReviewCounter, PreReview, hall.pk, year)
    return f"{hall.code.upper()}-YS-{year}-{last:06d}"


def _checked_files(matter: Matter, uploads: Uploads) -> Checked:
    materials = {m.pk: m for m in matter.materials.all()}
    checked = []
    for material_id, upload in uploads.items():
        material = materials.get(material_id)
        if material is None:
            raise InvalidInput(_("That material is not on this matter's list."))
        checked.append((material, upload, checked_name(upload, field_name(material_id))))
    if not checked:
        raise InvalidInput(_("Upload at least one of the materials."))
    return sorted(checked, key=lambda item: (item[0].sort_order, item[0].pk))


def _described(files: Checked) -> list[dict[str, object]]:
    """What the event records of a round's files."""
    return [{"material": m.pk, "name": name, "size": up.size or 0} for m, up, name in files]


def _store(review: PreReview, files: Checked, round_: int, now: dt.datetime) -> None:
    for material, upload, name in files:
        PreReviewFile.objects.create(
            prereview=review,
            material=material,
            round=round_,
            file=File(upload, name=name),
            name=name,
            content_type=(getattr(upload, "content_type", "") or "")[:100],
            size=upload.size or 0,
            uploaded_at=now,
        )


def _keys(phone: str, id_number: str) -> tuple[str, str, str]:
    """(mobile, phone key, ID key) as the hall's real-name tickets key them."""
    try:
        number = identity.mobile(phone)
        id_key = identity.holder_key(id_number=id_number) if id_number.strip() else ""
    except HallInvalidInput as exc:
        raise InvalidInput(exc.message, field=exc.field) from None
    return number, identity.holder_key(phone=number), id_key


def filed_with(submission: str) -> PreReview | None:
    """The pre-review a portal form with this one-time token already filed, if any."""
    if not submission:
        return None
    return PreReview.objects.filter(submission=submission).first()


def submit(
    hall: Hall,
    matter: Matter,
    *,
    name: str,
    phone: str,
    id_number: str = "",
    uploads: Uploads,
    site: str = "",
    invitation: PreReviewInvitation | None = None,
    submission: str = "",
    now: dt.datetime | None = None,
) -> PreReview:
    """A citizen files a pre-review of ``matter`` at ``hall`` with a file per material.

    Refused (nothing stored) for a matter not open to pre-review or not handled at that hall, a
    bad mobile or ID number, no file, or a file of the wrong type or size. The citizen is texted
    the number and the link to follow it (``site``: the absolute address of this site).

    ``invitation``: the 12345 operator's link it was filed from (kept only when it is for this
    matter at this hall). ``submission``: the form's one-time token; a second submission with
    it (back and send again, a double click, two racing requests) stores nothing and gets the
    first one's pre-review back.
    """
    now = now or clock.now()
    earlier = filed_with(submission)
    if earlier is not None:
        return earlier
    if not (matter.active and matter.prereview_allowed):
        raise InvalidInput(_("This matter cannot be pre-reviewed online."), field="matter")
    if hall not in halls_for(matter):
        raise InvalidInput(_("This hall does not handle this matter."), field="hall")
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise InvalidInput(_("Enter your name (at most 60 characters)."), field="name")
    number, phone_key, id_key = _keys(phone, id_number)
    files = _checked_files(matter, uploads)
    if invitation is not None and (invitation.hall_id, invitation.matter_id) != (
        hall.pk,
        matter.pk,
    ):
        invitation = None
    payload: dict[str, object] = {"files": _described(files)}
    if invitation is not None:
        payload["invitation"] = invitation.pk
    try:
        with transaction.atomic():
            # The one-time token's unique index first: of two racing submissions the second
            # waits here for the first and then fails, before any file is written.
            review = PreReview.objects.create(
                number=next_number(hall, now),
                hall=hall,
                matter=matter,
                applicant_name=name,
                phone_key=phone_key,
                id_key=id_key,
                notify_phone=number,
                token=secrets.token_urlsafe(32),
                submitted_at=now,
                invitation=invitation,
                submission=submission,
            )
            _store(review, files, 1, now)
            PreReviewEvent.objects.create(
                prereview=review,
                seq=0,
                action=PreReviewAction.SUBMIT,
                at=now,
                to_state=PreReviewState.SUBMITTED,
                payload=payload,
            )
            text_citizen(
                review,
                number,
                _(
                    "%(hall)s: your pre-review %(number)s of %(matter)s is received; we will "
                    "text you when it is checked. Follow it here: %(link)s"
                )
                % {
                    "hall": hall.unit.name,
                    "number": review.number,
                    "matter": matter.name,
                    "link": status_link(review, site),
                },
                PreReviewAction.SUBMIT,
            )
    except IntegrityError:
        earlier = filed_with(submission)
        if earlier is None:
            raise
        return earlier
    return review


def resubmit(
    review: PreReview, *, uploads: Uploads, site: str = "", now: dt.datetime | None = None
) -> PreReview:
    """The citizen sends what the clerk asked for (every item of the notice; others may come
    along, as a better copy). The clerk then passes or rejects it."""
    now = now or clock.now()
    files = _checked_files(review.matter, uploads)
    sent = {material.pk for material, _upload, _name in files}
    lacking = [pk for pk in review.missing if pk not in sent]
    if lacking:
        names = Material.objects.filter(pk__in=lacking).order_by("sort_order", "pk")
        raise InvalidInput(
            _("Still missing: %(names)s.") % {"names": _(", ").join(m.name for m in names)},
            field=field_name(lacking[0]),
        )
    with transaction.atomic():
        # The step first: a refused one (withdrawn meanwhile, decided already) stores nothing.
        step(
            review,
            PreReviewAction.RESUBMIT,
            Actor.CITIZEN,
            None,
            now=now,
            payload={"files": _described(files)},
        )
        _store(review, files, 2, now)
    return review


def withdraw(review: PreReview, *, now: dt.datetime | None = None) -> PreReview:
    """The citizen no longer wants it reviewed (they came anyway, or gave up). Their number is
    forgotten: nothing more will be sent."""
    now = now or clock.now()
    step(
        review,
        PreReviewAction.WITHDRAW,
        Actor.CITIZEN,
        None,
        now=now,
        changes={"notify_phone": ""},
    )
    return review
