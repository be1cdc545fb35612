"""Order-history interchange: JSON Lines, one order a line with its full event list.

:func:`export_orders` writes the format, :func:`import_orders` loads it (migration from a legacy
system). The format is documented in docs/history-format.md. An import writes orders and events as
they were — it does not replay the actions — so an imported history gives the same KPIs as the
same story lived through :mod:`hotline.orders.actions`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db import models, transaction
from django.db.models import F, Prefetch
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from hotline.assessment import periods
from hotline.orders.models import Action, DailyCounter, Event, State, WorkOrder
from hotline.org.models import Category, Unit, User
from hotline.security.phone_numbers import normalise_phone

#: Lines between two calls of the progress callback, and orders per bulk insert.
BATCH = 1000

NUMBER = re.compile(r"^(\d{8})-(\d{6})$")

#: Order fields in the order they are written. Values: how a field is encoded.
UNIT_FIELDS = ("street", "community", "lead_unit", "assigned_unit")
ORDER_FIELDS = (
    "number",
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
    "state",
    "lead_unit",
    "assigned_unit",
    "co_units",
    "parent",
    "registered_at",
    "registered_by",
    "dispatched_at",
    "accepted_at",
    "first_contact_at",
    "replied_at",
    "closed_at",
    "accept_due",
    "first_contact_due",
    "reply_due",
    "return_due",
    "callback_due",
    "supervision_due",
    "overdue",
    "accept_urged_for",
    "reply_urged_for",
    "extension_days",
    "reply_result",
    "reply_text",
    "callback_resolved",
    "satisfaction",
    "reopen_count",
    "cancel_reason",
    "updated_at",
)
REQUIRED = ("number", "channel", "title", "description", "state", "registered_at", "events")
EVENT_FIELDS = (
    "seq",
    "action",
    "actor",
    "actor_unit",
    "at",
    "from_state",
    "to_state",
    "unit",
    "assigned_unit",
    "reason",
    "payload",
)
EVENT_REQUIRED = ("seq", "action", "at", "to_state")


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


# --- Export --------------------------------------------------------------------------------------


def _time(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def export_orders(
    queryset: models.QuerySet[WorkOrder], out: Writable, *, mask_phones: bool = False
) -> int:
    """Write ``queryset``'s orders as JSON Lines to ``out``; return how many were written.

    ``mask_phones`` writes citizens' phone numbers masked (*******5678), for readers who are not
    entitled to them; such a file no longer restores the numbers on import.

    Streams: orders are read in chunks with their events and co-units prefetched, and units,
    users and categories are read once, so the number of queries does not grow with orders.
    """
    units = dict(Unit.objects.values_list("pk", "code"))
    users = dict(User.objects.values_list("pk", "username"))
    categories = dict(Category.objects.values_list("pk", "code"))
    orders = (
        queryset.annotate(parent_number=F("parent__number"))
        .order_by("registered_at", "pk")
        .prefetch_related(
            Prefetch("events", queryset=Event.objects.order_by("seq")),
            Prefetch("co_units", queryset=Unit.objects.only("pk", "code")),
        )
    )
    written = 0
    for order in orders.iterator(chunk_size=BATCH):
        record = _order_record(order, units, users, categories)
        if mask_phones:
            record["citizen_phone"] = order.masked_phone()
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def _order_record(
    order: WorkOrder, units: dict[int, str], users: dict[int, str], categories: dict[int, str]
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name in ORDER_FIELDS:
        if name in UNIT_FIELDS:
            pk = getattr(order, f"{name}_id")
            record[name] = units[pk] if pk else None
        elif name == "category":
            record[name] = categories[order.category_id] if order.category_id else None
        elif name == "registered_by":
            record[name] = users[order.registered_by_id] if order.registered_by_id else None
        elif name == "co_units":
            record[name] = sorted(u.code for u in order.co_units.all())
        elif name == "parent":
            record[name] = order.parent_number  # type: ignore[attr-defined]
        else:
            value = getattr(order, name)
            if isinstance(value, dt.datetime):
                value = _time(value)
            elif isinstance(value, Decimal):
                value = str(value)
            record[name] = value
    record["events"] = [
        {
            "seq": e.seq,
            "action": e.action,
            "actor": users[e.actor_id] if e.actor_id else None,
            "actor_unit": units[e.actor_unit_id] if e.actor_unit_id else None,
            "at": _time(e.at),
            "from_state": e.from_state,
            "to_state": e.to_state,
            "unit": units[e.unit_id] if e.unit_id else None,
            "assigned_unit": units[e.assigned_unit_id] if e.assigned_unit_id else None,
            "reason": e.reason,
            "payload": e.payload,
        }
        for e in order.events.all()
    ]
    return record


# --- Import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # In the messages' language: "line 1: number: 已存在该编号的工单。" mixed two
        # (walk-through, session 25, A-L6).
        if self.field:
            return _("line %(line)d: %(field)s: %(problem)s") % {
                "line": self.line,
                "field": self.field,
                "problem": self.message,
            }
        return _("line %(line)d: %(problem)s") % {"line": self.line, "problem": self.message}


@dataclass
class Report:
    lines: int = 0
    imported: int = 0
    events: int = 0
    errors: list[LineError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class _Parsed:
    line: int
    number: str
    day: dt.date
    seq: int
    order: WorkOrder
    co_units: list[int]
    parent: str | None
    events: list[Event]


class _Refs:
    """Codes and usernames → primary keys, read once."""

    def __init__(self) -> None:
        self.units = dict(Unit.objects.values_list("code", "pk"))
        self.users = dict(User.objects.values_list("username", "pk"))
        self.categories = dict(Category.objects.values_list("code", "pk"))

    def unit(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.units:
            raise _Invalid(name, _("No unit has the code %(code)s.") % {"code": value})
        return self.units[value]

    def user(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.users:
            raise _Invalid(name, _("No user has the username %(name)s.") % {"name": value})
        return self.users[value]

    def category(self, value: Any, name: str) -> int | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in self.categories:
            raise _Invalid(name, _("No category has the code %(code)s.") % {"code": value})
        return self.categories[value]


def _datetime(value: Any, name: str, *, required: bool = False) -> dt.datetime | None:
    if value is None:
        if required:
            raise _Invalid(name, _("This field is required."))
        return None
    try:
        parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise _Invalid(name, _("Give an ISO 8601 date and time."))
    if timezone.is_naive(parsed):
        raise _Invalid(name, _("Give the time with its time zone."))
    # The range of every date a person types: year 1 overflowed the time-zone arithmetic when the
    # order was saved, stopping the whole import with no line named.
    if not periods.in_range(parsed.date()):
        raise _Invalid(name, periods.out_of_range_message())
    return parsed


def _field_value(model_field: models.Field[Any, Any], value: Any, name: str) -> Any:
    """Check one plain (non-reference, non-time) value against its model field."""
    if value is None:
        if model_field.null:
            return None
        raise _Invalid(name, _("This field cannot be null."))
    if isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            raise _Invalid(name, _("Give true or false."))
        return value
    if isinstance(model_field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _Invalid(name, _("Give a number."))
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise _Invalid(name, _("Give a number.")) from None
        if not number.is_finite():
            raise _Invalid(name, _("Give a number."))
        return number.quantize(Decimal(1).scaleb(-(model_field.decimal_places or 0)))
    if isinstance(model_field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _Invalid(name, _("Give a whole number, 0 or more."))
        return value
    if not isinstance(value, str):
        raise _Invalid(name, _("Give a string."))
    choices = {c[0] for c in model_field.choices or ()}
    if choices and value not in choices and not (model_field.blank and value == ""):
        raise _Invalid(name, _("%(value)r is not a valid choice.") % {"value": value})
    if model_field.max_length and len(value) > model_field.max_length:
        raise _Invalid(name, _("At most %(n)d characters.") % {"n": model_field.max_length})
    return value


_MODEL_FIELDS = {f.name: f for f in WorkOrder._meta.get_fields() if isinstance(f, models.Field)}
_STATES = set(State.values)
_ACTIONS = set(Action.values)


def _parse(text: str, line: int, refs: _Refs) -> _Parsed:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _Invalid("", _("Not valid JSON: %(error)s") % {"error": exc}) from None
    if not isinstance(data, dict):
        raise _Invalid("", _("Each line must be one JSON object."))
    unknown = sorted(set(data) - set(ORDER_FIELDS) - {"events"})
    if unknown:
        raise _Invalid(unknown[0], _("Unknown field."))
    for name in REQUIRED:
        if data.get(name) in (None, ""):
            raise _Invalid(name, _("This field is required."))
    number = data["number"]
    match = NUMBER.match(number) if isinstance(number, str) else None
    try:
        day = dt.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        day = None
    if match is None or day is None:
        raise _Invalid("number", _("Give the number as YYYYMMDD-NNNNNN."))
    values: dict[str, Any] = {}
    for name in ORDER_FIELDS:
        if name not in data or name in ("co_units", "parent"):
            continue
        value = data[name]
        if name in UNIT_FIELDS:
            values[f"{name}_id"] = refs.unit(value, name)
        elif name == "category":
            values["category_id"] = refs.category(value, name)
        elif name == "registered_by":
            values["registered_by_id"] = refs.user(value, name)
        elif isinstance(_MODEL_FIELDS[name], models.DateTimeField):
            values[name] = _datetime(value, name, required=not _MODEL_FIELDS[name].null)
        else:
            values[name] = _field_value(_MODEL_FIELDS[name], value, name)
    if values.get("citizen_phone"):
        # Stored as intake stores it, so search and the caller history find the imported orders
        # (a masked number from an export stays as it is).
        values["citizen_phone"] = normalise_phone(values["citizen_phone"])
    co_units = data.get("co_units") or []
    if not isinstance(co_units, list):
        raise _Invalid("co_units", _("Give a list of unit codes."))
    co_unit_ids = [pk for pk in (refs.unit(code, "co_units") for code in co_units) if pk]
    parent = data.get("parent")
    if parent is not None and (not isinstance(parent, str) or not NUMBER.match(parent)):
        raise _Invalid("parent", _("Give the number as YYYYMMDD-NNNNNN."))
    if parent == number:
        raise _Invalid("parent", _("An order cannot be merged into itself."))
    events = _parse_events(data["events"], refs)
    if events[-1].to_state != values["state"]:
        raise _Invalid(
            "state",
            _("The last event must end in the order's state (%(state)s).")
            % {"state": events[-1].to_state},
        )
    values.setdefault("updated_at", events[-1].at)
    order = WorkOrder(**values, version=len(events))
    return _Parsed(line, number, day, int(match.group(2)), order, co_unit_ids, parent, events)


def _parse_events(raw: Any, refs: _Refs) -> list[Event]:
    if not isinstance(raw, list) or not raw:
        raise _Invalid("events", _("Give the list of events, at least the registration."))
    events: list[Event] = []
    previous: Event | None = None
    for index, item in enumerate(raw, start=1):
        where = f"events[{index}]"
        if not isinstance(item, dict):
            raise _Invalid(where, _("Each event must be a JSON object."))
        unknown = sorted(set(item) - set(EVENT_FIELDS))
        if unknown:
            raise _Invalid(f"{where}.{unknown[0]}", _("Unknown field."))
        for name in EVENT_REQUIRED:
            if item.get(name) in (None, ""):
                raise _Invalid(f"{where}.{name}", _("This field is required."))
        if item["seq"] != index or isinstance(item["seq"], bool):
            raise _Invalid(f"{where}.seq", _("Events must be numbered 1, 2, 3 … without gaps."))
        action = item["action"]
        if action not in _ACTIONS:
            raise _Invalid(
                f"{where}.action", _("%(value)r is not a valid choice.") % {"value": action}
            )
        if index == 1 and action != Action.REGISTER:
            raise _Invalid(f"{where}.action", _("The first event must be the registration."))
        from_state = item.get("from_state") or ""
        to_state = item["to_state"]
        for name, state in (("from_state", from_state), ("to_state", to_state)):
            if state not in _STATES and not (name == "from_state" and state == ""):
                raise _Invalid(
                    f"{where}.{name}", _("%(value)r is not a valid choice.") % {"value": state}
                )
        expected = previous.to_state if previous else ""
        if from_state != expected:
            raise _Invalid(
                f"{where}.from_state",
                _("Expected %(state)r: the state the previous event left the order in.")
                % {"state": expected},
            )
        at = _datetime(item["at"], f"{where}.at", required=True)
        assert at is not None
        if previous is not None and at < previous.at:
            raise _Invalid(f"{where}.at", _("Events must be in time order."))
        reason = item.get("reason") or ""
        if not isinstance(reason, str):
            raise _Invalid(f"{where}.reason", _("Give a string."))
        payload = item.get("payload") or {}
        if not isinstance(payload, dict):
            raise _Invalid(f"{where}.payload", _("Give a JSON object."))
        event = Event(
            seq=index,
            action=action,
            actor_id=refs.user(item.get("actor"), f"{where}.actor"),
            actor_unit_id=refs.unit(item.get("actor_unit"), f"{where}.actor_unit"),
            at=at,
            from_state=from_state,
            to_state=to_state,
            unit_id=refs.unit(item.get("unit"), f"{where}.unit"),
            assigned_unit_id=refs.unit(item.get("assigned_unit"), f"{where}.assigned_unit"),
            reason=reason,
            payload=payload,
        )
        events.append(event)
        previous = event
    return events


class _Importer:
    def __init__(self, *, dry_run: bool, all_or_nothing: bool) -> None:
        self.refs = _Refs()
        self.all_or_nothing = all_or_nothing
        self.report = Report(dry_run=dry_run)
        self.seen: set[str] = set()
        self.batch: list[_Parsed] = []
        #: Orders whose parent has not been seen yet: written at the end if it shows up.
        self.waiting: list[_Parsed] = []
        self.links: list[tuple[str, str]] = []
        self.lines: dict[str, int] = {}
        self.days: dict[dt.date, int] = {}

    def error(self, line: int, name: str, message: str) -> None:
        self.report.errors.append(LineError(line, name, message))

    @property
    def writing(self) -> bool:
        return not (self.all_or_nothing and self.report.errors)

    def add(self, text: str, line: int) -> None:
        try:
            parsed = _parse(text, line, self.refs)
        except _Invalid as exc:
            self.error(line, exc.field, exc.message)
            return
        if parsed.number in self.seen:
            self.error(line, "number", _("This number appears earlier in the file."))
            return
        self.seen.add(parsed.number)
        if parsed.parent is not None and parsed.parent not in self.seen:
            self.waiting.append(parsed)
            return
        self.batch.append(parsed)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        taken = set(
            WorkOrder.objects.filter(number__in=[p.number for p in batch]).values_list(
                "number", flat=True
            )
        )
        good = []
        for parsed in batch:
            if parsed.number in taken:
                self.error(parsed.line, "number", _("An order with this number already exists."))
            else:
                good.append(parsed)
        if not self.writing:
            return
        WorkOrder.objects.bulk_create([p.order for p in good])
        events = []
        co_units = []
        through = WorkOrder.co_units.through
        for parsed in good:
            for event in parsed.events:
                event.order = parsed.order
                events.append(event)
            co_units += [through(workorder=parsed.order, unit_id=pk) for pk in parsed.co_units]
            if parsed.parent is not None:
                self.links.append((parsed.number, parsed.parent))
                self.lines[parsed.number] = parsed.line
            self.days[parsed.day] = max(self.days.get(parsed.day, 0), parsed.seq)
        Event.objects.bulk_create(events, batch_size=BATCH)
        through.objects.bulk_create(co_units, batch_size=BATCH)
        self.report.imported += len(good)
        self.report.events += len(events)

    def finish(self) -> None:
        self.flush()
        # Parents named but not in the file must already be in the database.
        missing = {p.parent for p in self.waiting if p.parent not in self.seen}
        found = set(WorkOrder.objects.filter(number__in=missing).values_list("number", flat=True))
        for parsed in self.waiting:
            if parsed.parent in self.seen or parsed.parent in found:
                self.batch.append(parsed)
            else:
                self.error(
                    parsed.line,
                    "parent",
                    _("No order has the number %(number)s.") % {"number": parsed.parent},
                )
        self.flush()
        if not self.writing:
            return
        self.link_parents()
        for day, last in self.days.items():
            DailyCounter.objects.get_or_create(day=day)
            DailyCounter.objects.filter(day=day).update(last=Greatest(F("last"), last))

    def link_parents(self) -> None:
        for start in range(0, len(self.links), BATCH):
            chunk = self.links[start : start + BATCH]
            numbers = {n for pair in chunk for n in pair}
            ids = dict(WorkOrder.objects.filter(number__in=numbers).values_list("number", "pk"))
            children = []
            for child, parent in chunk:
                if parent not in ids:  # its line was refused after this one was accepted
                    self.error(
                        self.lines[child],
                        "parent",
                        _("No order has the number %(number)s.") % {"number": parent},
                    )
                elif child in ids:
                    children.append(WorkOrder(pk=ids[child], parent_id=ids[parent]))
            WorkOrder.objects.bulk_update(children, ["parent"])


def import_orders(
    lines: Iterable[str],
    *,
    dry_run: bool = False,
    all_or_nothing: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Validate every line and load the orders in one transaction.

    All or nothing by default: one bad line and nothing is imported (every line is still checked,
    so the report lists every error). With ``all_or_nothing=False`` the good lines are imported.
    A dry run checks everything — against the database too — and imports nothing.
    """
    # A dry run writes too, then rolls back: the database checks everything a real run would.
    importer = _Importer(dry_run=dry_run, all_or_nothing=all_or_nothing)
    report = importer.report
    with transaction.atomic():
        for line, text in enumerate(lines, start=1):
            report.lines = line
            if text.strip():
                importer.add(text, line)
            if progress is not None and line % BATCH == 0:
                progress(line)
        importer.finish()
        report.errors.sort(key=lambda e: e.line)
        if dry_run or (all_or_nothing and report.errors):
            # Nothing stays; a dry run's counts say what a real run would import.
            transaction.set_rollback(True)
            if not dry_run:
                report.imported = report.events = 0
    if progress is not None and report.lines % BATCH:
        progress(report.lines)
    return report
