"""The demo district's orders (hotline.orders.demo): every state, real event trails, a clean reset.

Generated on the real demo district, with a few hundred orders and a fixed end so that the
numbers are reproducible: a Friday afternoon after three months that hold Qingming, Labour Day
and Dragon Boat holidays and their make-up working days.
"""

from __future__ import annotations

import datetime as dt
import string
from collections import Counter, defaultdict
from io import StringIO
from itertools import pairwise

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from hotline.orders import actions
from hotline.orders import demo as demo_orders
from hotline.orders.demo import texts as demo_texts
from hotline.orders.models import (
    FINAL_STATES,
    OPEN_STATES,
    Action,
    Attachment,
    DailyCounter,
    Event,
    Kind,
    State,
    WorkOrder,
)
from hotline.org import demo
from hotline.org import demo_district as district
from hotline.org.models import Category, Role, Unit, UnitKind, User
from tests.conftest import at

END = at("2025-06-13 17:30")
COUNT = 300
HANDLING_KINDS = {UnitKind.STREET, UnitKind.BUREAU, UnitKind.GROUP_COMPANY, UnitKind.OTHER}


@pytest.fixture
def loaded(db):
    demo.load_district()  # DEMO_ORDERS=0 under pytest: the hook adds nothing here
    demo_orders.load_orders(count=COUNT, end=END)


def snapshot() -> list[tuple]:
    orders = WorkOrder.objects.order_by("number").prefetch_related("events")
    return [
        (
            o.number,
            o.title,
            o.state,
            o.citizen_phone,
            o.address,
            o.lead_unit_id and o.lead_unit.code,
            [(e.seq, e.action, e.at, e.to_state) for e in o.events.all()],
        )
        for o in orders.select_related("lead_unit")
    ]


# --- pure data ------------------------------------------------------------------------------


def test_templates_name_real_leaf_categories_and_fill_every_placeholder():
    leaves = {r.code: r for r in district.flat_categories() if r.level == 3}
    fields: set[str] = set()
    values = dict.fromkeys(
        [
            "addr",
            "place",
            "estate",
            "road",
            "road2",
            "street",
            "since",
            "time",
            "n",
            "shop",
            "company",
            "gym",
            "bus",
            "plate",
            "money",
            "date",
        ],
        "x",
    )
    for template in demo_texts.TEMPLATES:
        assert template.category in leaves, template.category
        assert template.kind in Kind.values
        routed_by_street = leaves[template.category].default_unit == district.STREET
        assert not (routed_by_street and template.where == demo_texts.NONE), template.category
        texts = [
            *template.titles,
            *template.details,
            *template.wants,
            *template.resolved,
            *template.explained,
            *template.unresolvable,
            *template.answer,
        ]
        for text in texts:
            fields |= {name for _t, name, _s, _c in string.Formatter().parse(text) if name}
            text.format_map(values)
        assert template.explained or template.resolved or template.answer
    assert fields <= set(values)
    assert {t.kind for t in demo_texts.TEMPLATES} == set(Kind.values)


# --- one load --------------------------------------------------------------------------------


def test_every_state_appears_in_realistic_proportions(loaded):
    orders = WorkOrder.objects.all()
    assert orders.count() == COUNT
    states = Counter(orders.values_list("state", flat=True))
    assert set(states) == set(State)
    assert states[State.CLOSED] > 0.55 * COUNT
    assert 0.08 * COUNT < states[State.ANSWERED] < 0.35 * COUNT
    assert states[State.MERGED] < 0.08 * COUNT and states[State.CANCELLED] < 0.05 * COUNT
    assert sum(states[s] for s in OPEN_STATES) < 0.2 * COUNT

    # Young orders are mostly open (but for what the centre settled at once), old ones final.
    settled_at_once = [State.ANSWERED, State.MERGED, State.CANCELLED]
    recent = orders.filter(registered_at__gt=END - dt.timedelta(days=3))
    recent = recent.exclude(state__in=settled_at_once)
    old = orders.filter(registered_at__lt=END - dt.timedelta(days=30))
    assert recent.filter(state__in=OPEN_STATES).count() > 0.6 * recent.count() > 0
    assert old.filter(state__in=FINAL_STATES).count() > 0.9 * old.count()

    kinds = Counter(orders.values_list("kind", flat=True))
    assert set(kinds) == set(Kind.values)
    assert kinds[Kind.CONSULTATION] > kinds[Kind.PRAISE]
    urgency = Counter(orders.values_list("urgency", flat=True))
    assert 0.75 * COUNT < urgency["normal"] < 0.95 * COUNT
    channels = Counter(orders.values_list("channel", flat=True))
    assert channels["phone"] > 0.6 * COUNT and len(channels) >= 3

    # Calls mostly in the daytime, weekdays heavier than weekend days.
    local = [timezone.localtime(t) for t in orders.values_list("registered_at", flat=True)]
    assert sum(8 <= t.hour < 21 for t in local) > 0.85 * COUNT
    weekday = sum(t.weekday() < 5 for t in local) / 5
    weekend = sum(t.weekday() >= 5 for t in local) / 2
    assert weekday > weekend

    # The histories the brief asks for are all there.
    actions = Counter(Event.objects.values_list("action", flat=True))
    for action in (
        Action.ANSWER,
        Action.APPROVE_RETURN,
        Action.REJECT_RETURN,
        Action.FIRST_CONTACT,
        Action.REQUEST_EXTENSION,
        Action.APPROVE_EXTENSION,
        Action.REJECT_EXTENSION,
        Action.REJECT_REPLY,
        Action.CALLBACK,
        Action.REOPEN,
        Action.URGE,
        Action.SUPERVISE,
        Action.MERGE,
        Action.CANCEL,
        Action.OVERDUE,
        Action.CLOSE,
    ):
        assert actions[action], action
    assert orders.filter(extension_days__isnull=False).exists()  # a pending extension
    assert orders.filter(state__in=OPEN_STATES, overdue=True).exists()
    assert orders.filter(reopen_count__gt=0, state=State.CLOSED).exists()
    assert orders.filter(co_units__isnull=False).exists()
    assert orders.exclude(cancel_reason="").count() == states[State.CANCELLED]
    # Repeat callers, and duplicates merged into an earlier order.
    phones = Counter(orders.values_list("citizen_phone", flat=True))
    assert max(phones.values()) >= 3
    for child in orders.filter(state=State.MERGED).select_related("parent"):
        assert child.parent.registered_at < child.registered_at
        assert child.parent.state not in (State.MERGED, State.CANCELLED)
        assert child.category_id == child.parent.category_id


def test_every_order_has_a_consistent_event_trail(loaded):
    trails = defaultdict(list)
    for event in Event.objects.order_by("order_id", "seq"):
        trails[event.order_id].append(event)
    for order in WorkOrder.objects.all():
        trail = trails[order.pk]
        assert trail[0].action == Action.REGISTER and trail[0].at == order.registered_at
        assert [e.seq for e in trail] == list(range(1, order.version + 1))
        assert trail[-1].to_state == order.state
        for before, after in pairwise(trail):
            assert before.at <= after.at, order.number
            assert after.from_state == before.to_state, order.number
        assert trail[-1].at <= END
        local_day = timezone.localtime(order.registered_at).date()
        assert order.number.startswith(f"{local_day:%Y%m%d}-")
        if order.overdue:
            overdue = [e for e in trail if e.action == Action.OVERDUE]
            assert len(overdue) == 1 and overdue[0].at > order.reply_due
    assert DailyCounter.objects.exists()


def test_orders_go_only_to_handling_units_and_handlers_act_for_their_own(loaded):
    centre = Unit.objects.get(kind=UnitKind.HOTLINE_CENTRE)
    leads = Unit.objects.filter(pk__in=WorkOrder.objects.values("lead_unit"))
    assert leads.exists() and set(leads.values_list("kind", flat=True)) <= HANDLING_KINDS
    assert not WorkOrder.objects.filter(co_units=centre).exists()
    assert not Event.objects.filter(unit=centre).exists()
    handler_events = Event.objects.filter(actor__role_grants__role=Role.UNIT_HANDLER)
    assert handler_events.exists()
    by_committees = by_sections = 0
    for event in handler_events.select_related("actor__unit__parent"):
        own = event.actor.unit
        assert event.actor.username == f"unit-{own.code}"
        assert event.actor_unit_id == own.pk
        in_bureau = own.parent is not None and own.parent.kind == UnitKind.BUREAU
        if own.kind == UnitKind.NEIGHBOURHOOD or in_bureau:
            # 二级派单: a 居委会 (a bureau's section) works the orders its street (its bureau)
            # assigned to it; to the centre the street (the bureau) still has them.
            assert own.parent_id == event.unit_id and event.assigned_unit_id == own.pk
            if own.kind == UnitKind.NEIGHBOURHOOD:
                by_committees += 1
            else:
                by_sections += 1
        else:
            assert event.unit_id == own.pk
    assert by_committees > 0 and by_sections > 0
    # Streets receive what the category routes by address, for the address's street.
    street_routed = Category.objects.filter(level=3, default_unit__isnull=True)
    routed = WorkOrder.objects.filter(category__in=street_routed, lead_unit__isnull=False)
    assert routed.exists()
    for order in routed.select_related("street", "lead_unit"):
        assert order.street is not None and order.address
        # Wrongly dispatched ones are returned, then redispatched to the street.
        assert order.lead_unit == order.street or order.state == State.RETURNED


# --- determinism and reset ------------------------------------------------------------------


def test_the_same_seed_and_end_give_the_same_orders(db):
    demo.load_district()
    demo_orders.load_orders(count=120, end=END)
    first = snapshot()
    demo_orders.purge_orders()
    assert not WorkOrder.objects.exists() and not Event.objects.exists()
    assert not DailyCounter.objects.exists()

    demo_orders.load_orders(count=120, end=END)
    assert snapshot() == first
    demo_orders.purge_orders()
    demo_orders.load_orders(count=120, end=END, seed=7)
    assert [o[1] for o in snapshot()] != [o[1] for o in first]


def test_demo_reset_removes_every_order_event_and_counter(db, settings):
    settings.DEMO_ORDERS = 60  # through the load hook this time
    demo.load_district()
    assert WorkOrder.objects.count() == 60 and Event.objects.count() > 60

    demo.reset()

    assert not WorkOrder.objects.exists()
    assert not Event.objects.exists()
    assert not Attachment.objects.exists()
    assert not DailyCounter.objects.exists()
    assert demo.is_empty()
    demo.load_district()
    assert WorkOrder.objects.count() == 60


def test_purging_also_deletes_attached_files_once_committed(db, django_capture_on_commit_callbacks):
    demo.load_district()
    demo_orders.load_orders(count=5, end=END)
    order = WorkOrder.objects.first()
    operator = User.objects.get(username="operator")
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8 a photo", content_type="image/jpeg")
    attachment = actions.attach(order, operator, upload=upload)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        demo_orders.purge_orders()

    assert not Attachment.objects.exists() and not WorkOrder.objects.exists()
    assert not storage.exists(name)


def test_hotline_demo_prints_the_orders_by_state(db, settings):
    settings.DEMO_ORDERS = 40
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Demo orders: 40 (" in text
    assert "closed" in text and "answered" in text
    assert "Demo district loaded" in text


def test_loading_orders_needs_the_demo_district(db):
    with pytest.raises(ValueError, match="demo district"):
        demo_orders.load_orders(count=10, end=END)
    assert not WorkOrder.objects.exists()
