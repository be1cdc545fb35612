"""Demo pre-reviews, and the demo reset's hook that empties them (and their stored files) before
the cases and halls they point at."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from hotline import clock
from hotline.appendonly import empty_tables
from hotline.cases import actions as cases
from hotline.cases import numbering
from hotline.cases.models import Case, Delivery, LineState, Outcome
from hotline.hall import actions as hall_actions
from hotline.hall.identity import holder_key
from hotline.hall.models import Hall, Source, Ticket, Window, WindowMatter
from hotline.matters.models import HandlingKind, Material, Matter
from hotline.org.models import Role, User
from hotline.prereview import actions
from hotline.prereview.models import (
    PreReview,
    PreReviewCounter,
    PreReviewEvent,
    PreReviewFile,
    PreReviewInvitation,
    PreReviewState,
)
from hotline.sla.calendar import get_calendar

Progress = Callable[[str], None]
DATA = Path(__file__).with_name("demo_prereviews.csv")
#: A one-page PDF standing for a citizen's scan.
SCAN = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _silent(message: str) -> None:
    pass


def purge_prereviews(progress: Callable[[str], None] = lambda message: None) -> None:
    """Empty every pre-review table: the only place their events are removed (append-only; on
    PostgreSQL a trigger refuses row deletes, not TRUNCATE). The files the pre-reviews stored
    go too, once the reset has committed (a reset that fails keeps rows and files together):
    :func:`delete_stored_files`."""
    progress("Deleting pre-reviews …")
    stored = list(PreReviewFile.objects.values_list("file", flat=True))
    models: list[Any] = [
        PreReviewEvent,
        PreReviewFile,
        PreReview,
        PreReviewInvitation,
        PreReviewCounter,
    ]
    with transaction.atomic():
        empty_tables([m._meta.db_table for m in models])
        numbering.drop_sequences(PreReviewCounter)
        transaction.on_commit(lambda: delete_stored_files(stored))


def _inside(path: str, root: str) -> bool:
    return os.path.commonpath([path, root]) == root and path != root


def delete_stored_files(names: list[str]) -> int:
    """Delete the pre-reviews' stored files ``names`` (as their rows held them) and the folders
    they leave empty; how many files went.

    Only what lies under the media folder's ``prereview/`` folder, where
    :func:`~hotline.prereview.models.upload_path` puts them, is touched: a name that leads
    anywhere else — ``..``, an absolute path, a link out of the folder — is left alone, so a
    reset never deletes outside the data directory."""
    root = os.path.realpath(os.path.join(settings.MEDIA_ROOT, "prereview"))
    deleted = 0
    for name in names:
        path = os.path.realpath(os.path.join(settings.MEDIA_ROOT, name))
        if _inside(path, root) and os.path.isfile(path):
            os.remove(path)
            deleted += 1
    if os.path.isdir(root) and not os.path.islink(root):
        for folder, _dirs, _files in os.walk(root, topdown=False):
            real = os.path.realpath(folder)
            if (real == root or _inside(real, root)) and not os.listdir(folder):
                os.rmdir(folder)
    return deleted


def _working_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _working_days_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _scan(material: Material) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{material.name}.pdf", SCAN, content_type="application/pdf")


def demo_prereviews(progress: Progress = _silent) -> list[PreReview]:
    """Every demo hall's pre-reviews (:func:`prereviews_at`), called after its simulated days:
    filed and decided before the first simulated day, and the citizens who come are served on
    that day's morning before the doors open (the simulated queue starts at opening, so the
    windows are free then). A hall without simulated days gets them today, served only once
    this morning has passed."""
    now = clock.now()
    made: list[PreReview] = []
    for hall in Hall.objects.select_related("unit").order_by("code"):
        first = Ticket.objects.filter(hall=hall).order_by("day").values_list("day", flat=True)
        if first:
            made += prereviews_at(hall, day=first[0], early=True, progress=progress)
        else:
            day = clock.today()
            # Not on a weekend or holiday: the windows are closed and would refuse the tickets
            # (a demo loaded without simulated days on a Saturday failed here).
            serve = _at(day, 11) <= now and get_calendar().is_workday(day)
            made += prereviews_at(hall, day=day, serve=serve, progress=progress)
    return made


def prereviews_at(
    hall: Hall,
    *,
    day: dt.date,
    serve: bool = True,
    early: bool = False,
    progress: Progress = _silent,
) -> list[PreReview]:
    """Pre-reviews at ``hall`` from ``demo_prereviews.csv``, through the write path: filed on the
    portal three working days before ``day``, decided by a clerk of the hall the next morning
    (passed; more asked for, resent that evening and passed; more asked for and still waiting;
    rejected), one withdrawn, one still waiting. Those marked ``comes`` take a real-name ticket
    on ``day`` from 09:05 (``early``: from half an hour before the hall opens) and are served
    at a window of the hall: their case opens linked to the
    pre-review, is accepted at once (nothing is asked again) and, for a matter done on the
    spot, concluded and handed over.

    ``serve`` for a ``day`` whose windows are free from 09:00 (not simulated; in the past);
    rows whose matter the hall does not handle are left out.
    """
    clerk = (
        User.objects.filter(unit_id=hall.unit_id, role_grants__role=Role.HALL_CLERK)
        .order_by("pk")
        .first()
    )
    if clerk is None:
        return []
    served = WindowMatter.objects.filter(window__hall=hall)
    handled = set(served.values_list("matter_id", flat=True))
    filed = _working_days_before(day, 3)
    decided = _working_days_before(day, 2)
    passed_again = _working_days_before(day, 1)
    made: list[tuple[PreReview, dict[str, str]]] = []
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    progress(f"Filing pre-reviews at {hall.code} …")
    for i, row in enumerate(rows):
        matter = Matter.objects.filter(code=row["matter"], prereview_allowed=True).first()
        if matter is None or matter.pk not in handled:
            continue
        materials = [m for m in matter.materials.all() if m.required]
        asks_more = row["outcome"] in ("more_then_passed", "more_needed")
        sent = materials[:-1] if asks_more and len(materials) > 1 else materials
        review = actions.submit(
            hall,
            matter,
            name=row["applicant"],
            phone=row["mobile"],
            uploads={m.pk: _scan(m) for m in sent},
            now=_at(filed, 19, i * 7 % 60),
        )
        when = _at(decided, 9, 10 + i * 3)
        outcome = row["outcome"]
        if outcome == "passed":
            actions.pass_review(review, clerk, note=row["note"], now=when)
        elif asks_more:
            missing = [m.pk for m in materials if m not in sent] or [materials[0].pk]
            actions.ask_more(review, clerk, missing=missing, note=row["note"], now=when)
            if outcome == "more_then_passed":
                asked = {m.pk: _scan(m) for m in materials if m.pk in missing}
                actions.resubmit(review, uploads=asked, now=_at(decided, 20, i))
                actions.pass_review(review, clerk, now=_at(passed_again, 9, 5 + i))
        elif outcome == "rejected":
            actions.reject(review, clerk, reason=row["note"], now=when)
        elif outcome == "withdrawn":
            actions.withdraw(review, now=_at(decided, 12, i))
        made.append((review, row))
    comers = [
        (r, row) for r, row in made if row["comes"] == "yes" and r.state == PreReviewState.PASSED
    ]
    if comers and serve:
        progress(f"Serving pre-reviewed citizens at {hall.code} on {day} …")
        _serve(hall, clerk, day, comers, early=early)
    # As stored now: serving linked some of them to their ticket and case.
    return list(PreReview.objects.filter(pk__in=[r.pk for r, _row in made]).order_by("pk"))


def _serve(
    hall: Hall,
    clerk: User,
    day: dt.date,
    comers: list[tuple[PreReview, dict[str, str]]],
    *,
    early: bool,
) -> None:
    """Each comer takes a real-name ticket and is served at a window for the matter, six
    minutes each (nothing to check again), the window left as it was found."""
    opens = timezone.make_aware(dt.datetime.combine(day, hall.opens_at))
    begin = opens - dt.timedelta(minutes=30) if early else _at(day, 9, 5)
    minute = dt.timedelta(minutes=1)
    for i, (review, row) in enumerate(comers):
        window = (
            Window.objects.filter(hall=hall, matters=review.matter)
            .filter(clerk__isnull=True)
            .order_by("number")
            .first()
        )
        if window is None:
            continue
        t = begin + 6 * i * minute
        hall_actions.sign_in(window, clerk, now=t)
        ticket = hall_actions.issue(
            hall,
            review.matter,
            holder_key=holder_key(phone=row["mobile"]),
            holder_name=row["applicant"],
            now=t,
            check_caps=False,
            # Before opening: the queue the simulation runs has not started yet.
            check_hours=not early,
            # Given at the reception desk (staff see them): the visit is theirs, and the 12345
            # caller history finds it.
            source=Source.RECEPTION,
            actor=clerk,
        )
        hall_actions.call_ticket(window, clerk, ticket, reason="网上预审已通过", now=t)
        hall_actions.start(ticket, clerk, now=t + minute)
        case = Case.objects.select_related("submission").get(prereviews=review)
        with_received = {
            line.pk: cases.Received(LineState.RECEIVED, line.form, line.copies)
            for line in case.submission.lines.all()
        }
        done = t + 3 * minute
        cases.receive(case.submission, clerk, with_received, now=done)
        cases.accept(case, clerk, now=done)
        if review.matter.kind == HandlingKind.INSTANT:
            # Done on the spot and handed over at the window (办结, 送达).
            cases.conclude(case, clerk, outcome=Outcome.APPROVED, now=done)
            cases.deliver(case, clerk, method=Delivery.WINDOW, ticket=ticket, now=done)
        hall_actions.finish(ticket, clerk, now=t + 4 * minute)
        hall_actions.sign_out(window, clerk, now=t + 5 * minute)
