"""Loads and removes the demo district (:mod:`hotline.org.demo_district`).

``make run`` calls ``hotline demo --if-empty`` so that a fresh checkout shows a believable
district with a login per role. Other apps add their own demo data (orders, events …) by appending
to :data:`LOAD_HOOKS` and :data:`RESET_HOOKS` from their ``AppConfig.ready``::

    from hotline.org import demo
    demo.LOAD_HOOKS.append(load_demo_orders)     # runs after the district exists
    demo.RESET_HOOKS.append(delete_demo_orders)  # runs before the district is deleted

Each hook is called with one argument, ``progress(message)``, and runs inside the same
transaction as the district, so a failing hook leaves nothing half-loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet

from hotline import clock
from hotline.org import demo_district as data
from hotline.org import gazetteer
from hotline.org.demo_district import DEMO_PASSWORD
from hotline.org.models import Category, Place, PlaceKind, Role, Unit, UnitKind, User, UserRole
from hotline.sla.models import DeadlinePolicy, DeadlineRule

__all__ = [
    "DEMO_PASSWORD",
    "LOAD_HOOKS",
    "RESET_HOOKS",
    "DemoConflict",
    "demo_logins",
    "is_empty",
    "is_loaded",
    "load_district",
    "reset",
]

Progress = Callable[[str], None]
Hook = Callable[[Progress], None]

LOAD_HOOKS: list[Hook] = []
RESET_HOOKS: list[Hook] = []


class DemoConflict(Exception):
    """The database already holds rows the demo would collide with (same codes or usernames)."""


def _silent(message: str) -> None:
    pass


def is_empty() -> bool:
    """True when no unit exists: the signal that this database has never been set up."""
    return not Unit.objects.exists()


def is_loaded() -> bool:
    """True when the demo district's root and hotline centre are present under their demo codes."""
    codes = {data.DISTRICT_GOVERNMENT.code, data.HOTLINE_CENTRE.code}
    return Unit.objects.filter(code__in=codes).count() == len(codes)


def load_district(progress: Progress = _silent) -> None:
    """Create the demo units, deadline policies, categories and users, then run LOAD_HOOKS."""
    with transaction.atomic():
        _refuse_conflicts()
        progress("Creating units …")
        units = _create_units()
        progress("Creating deadline policies …")
        policies = _create_policies()
        progress("Creating categories …")
        _create_categories(units, policies)
        progress("Creating users …")
        _create_users(units)
        progress("Creating the gazetteer …")
        _create_places(units)
        for hook in LOAD_HOOKS:
            hook(progress)


def reset(progress: Progress = _silent) -> None:
    """Delete every user, unit, category and deadline policy (demo or not), after RESET_HOOKS.

    Deliberately blunt: a demo database is reset as a whole, and other apps' rows that point at
    units or users are removed by their own hooks first.
    """
    with transaction.atomic():
        for hook in RESET_HOOKS:
            hook(progress)
        progress("Deleting users …")
        User.objects.all().delete()  # role grants and API tokens cascade
        progress("Deleting categories …")
        # parent is PROTECT: detach the tree first so one DELETE can remove it in any order.
        Category.objects.update(parent=None)
        Category.objects.all().delete()
        progress("Deleting deadline policies …")
        DeadlinePolicy.objects.all().delete()  # rules cascade
        progress("Deleting units …")
        Place.objects.all().delete()
        Unit.objects.update(parent=None)
        Unit.objects.all().delete()


def _create_places(units: dict[str, Unit]) -> None:
    """Every demo road (whole road → its street) and estate (→ neighbourhood and street)."""
    places = [
        Place(kind=PlaceKind.ROAD, name=road, street=units[street])
        for road, street in data.ROAD_STREET.items()
    ]
    for street in data.STREETS:
        for nb in street.neighbourhoods:
            places.extend(
                Place(
                    kind=PlaceKind.ESTATE,
                    name=estate,
                    street=units[street.code],
                    community=units[nb.code],
                )
                for estate in nb.estates
            )
    Place.objects.bulk_create(places)
    gazetteer.invalidate()


def demo_logins() -> list[tuple[str, str]]:
    """(username, description) for the login hint: one line per role user, one for the handling
    units' handlers, one for the 居委会 handlers, one for the bureau sections' handlers, and the
    halls' clerks and manager per hall.

    Read from the database so that a deleted or deactivated demo user is not advertised; when the
    database has no demo users at all (not loaded yet) the static list is returned.
    """
    role_usernames = [u.username for u in data.ROLE_USERS]
    present = set(
        User.objects.filter(username__in=role_usernames, is_active=True).values_list(
            "username", flat=True
        )
    )
    handlers = User.objects.filter(
        username__startswith=data.UNIT_HANDLER_PREFIX,
        role_grants__role=Role.UNIT_HANDLER,
        is_active=True,
        unit__isnull=False,
    )
    section_codes = [section.code for _bureau, section in data.sections()]
    units = handlers.exclude(unit__kind=UnitKind.NEIGHBOURHOOD).exclude(
        unit__code__in=section_codes
    )
    neighbourhoods = handlers.filter(unit__kind=UnitKind.NEIGHBOURHOOD)
    sections = handlers.filter(unit__code__in=section_codes)
    unit_line = _handler_line(
        units, "<code>", data.STREETS[0].code, "unit handler for each of the {n} units"
    )
    neighbourhood_line = _handler_line(
        neighbourhoods,
        "<street>-<nn>",
        data.STREETS[0].neighbourhoods[0].code,
        "居委会 handler for each of the {n} neighbourhood committees",
    )
    section_line = _handler_line(
        sections,
        "<bureau>-<section>",
        section_codes[0],
        "section (科室) handler for each of the {n} bureau sections",
    )
    if not present and unit_line is None and neighbourhood_line is None:
        first = data.STREETS[0]
        present = set(role_usernames)
        unit_line = (
            data.unit_handler_username("<code>"),
            f"unit handler for each of the {len(data.HANDLING_UNITS)} units, "
            f"e.g. {data.unit_handler_username(first.code)} ({first.name})",
        )
    lines = [(u.username, u.description) for u in data.ROLE_USERS if u.username in present]
    lines.extend(line for line in (unit_line, neighbourhood_line, section_line) if line is not None)
    lines.extend(_hall_lines())
    return lines


def _handler_line(
    handlers: QuerySet[User], pattern: str, example_code: str, label: str
) -> tuple[str, str] | None:
    count = handlers.count()
    if not count:
        return None
    example = handlers.filter(username=data.unit_handler_username(example_code)).first()
    example = example or handlers.order_by("username").first()
    assert example is not None and example.unit is not None  # count > 0, unit is not null
    return (
        data.unit_handler_username(pattern),
        label.format(n=count)
        + f", e.g. {data.unit_handler_username(example.unit.code)} ({example.unit.name})",
    )


def _hall_lines() -> list[tuple[str, str]]:
    """Per service centre: its window clerks as one line (first…last) and its hall manager."""
    lines: list[tuple[str, str]] = []
    people = (
        User.objects.filter(
            is_active=True,
            unit__isnull=False,
            role_grants__role__in=[Role.HALL_CLERK, Role.HALL_MANAGER],
        )
        .values_list("username", "unit__name", "role_grants__role")
        .order_by("unit__sort_order", "unit__code", "username")
    )
    by_unit: dict[str, dict[str, list[str]]] = {}
    for username, unit_name, role in people:
        by_unit.setdefault(unit_name, {}).setdefault(role, []).append(username)
    for unit_name, roles in by_unit.items():
        clerks = roles.get(Role.HALL_CLERK, [])
        if clerks:
            names = clerks[0] if len(clerks) == 1 else f"{clerks[0]}…{clerks[-1]}"
            lines.append((names, f"window clerks (窗口人员) of {unit_name}"))
        for manager in roles.get(Role.HALL_MANAGER, []):
            label = f"hall manager (大厅管理员) of {unit_name}; also handles its 12345 orders"
            lines.append((manager, label))
    return lines


# --------------------------------------------------------------------------------------------


def _refuse_conflicts() -> None:
    """Fail with a readable message instead of an IntegrityError halfway through bulk inserts."""
    unit_specs = [data.DISTRICT_GOVERNMENT, data.HOTLINE_CENTRE, *data.HANDLING_UNITS]
    sections = [section for _bureau, section in data.sections()]
    unit_codes = (
        [u.code for u in unit_specs]
        + [n.code for s in data.STREETS for n in s.neighbourhoods]
        + [section.code for section in sections]
    )
    unit_names = (
        [u.name for u in unit_specs]
        + [n.name for s in data.STREETS for n in s.neighbourhoods]
        + [section.name for section in sections]
    )
    handled = (
        [u.code for u in data.HANDLING_UNITS]
        + [n.code for _, n in data.neighbourhoods()]
        + [section.code for section in sections]
    )
    usernames = [u.username for u in data.ROLE_USERS] + [
        data.unit_handler_username(code) for code in handled
    ]
    clashes = {
        "units": sorted(
            set(Unit.objects.filter(code__in=unit_codes).values_list("code", flat=True))
            | set(Unit.objects.filter(name__in=unit_names).values_list("code", flat=True))
        ),
        "categories": sorted(
            Category.objects.filter(code__in=[c.code for c in data.flat_categories()]).values_list(
                "code", flat=True
            )
        ),
        "deadline policies": sorted(
            DeadlinePolicy.objects.filter(code__in=[p.code for p in data.POLICIES]).values_list(
                "code", flat=True
            )
        ),
        "users": sorted(
            User.objects.filter(username__in=usernames).values_list("username", flat=True)
        ),
    }
    found = [
        f"{what}: {', '.join(codes[:5])}"
        + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
        for what, codes in clashes.items()
        if codes
    ]
    if found:
        raise DemoConflict(
            "The database already holds rows the demo district would collide with ("
            + "; ".join(found)
            + "). Use `hotline demo --reset` to delete them and load the demo."
        )


def _create_units() -> dict[str, Unit]:
    """Parents first: the root, then the centre and the 71 handling units, then neighbourhoods
    and the bureaus' sections."""
    root_spec = data.DISTRICT_GOVERNMENT
    (root,) = Unit.objects.bulk_create([_unit(root_spec, parent=None, sort_order=0)])
    second = [_unit(data.HOTLINE_CENTRE, parent=root, sort_order=1)] + [
        _unit(spec, parent=root, sort_order=i)
        for i, spec in enumerate(data.HANDLING_UNITS, start=10)
    ]
    units = {u.code: u for u in [root, *Unit.objects.bulk_create(second)]}
    neighbourhoods = [
        Unit(
            code=n.code,
            name=n.name,
            kind=UnitKind.NEIGHBOURHOOD,
            parent=units[street.code],
            sort_order=i,
        )
        for street in data.STREETS
        for i, n in enumerate(street.neighbourhoods, start=1)
    ]
    units.update((u.code, u) for u in Unit.objects.bulk_create(neighbourhoods))
    sections = [
        Unit(
            code=section.code,
            name=section.name,
            kind=UnitKind.OTHER,
            parent=units[bureau],
            sort_order=i,
        )
        for bureau, found in data.BUREAU_SECTIONS.items()
        for i, section in enumerate(found, start=1)
    ]
    units.update((u.code, u) for u in Unit.objects.bulk_create(sections))
    return units


def _unit(spec: data.UnitSpec, *, parent: Unit | None, sort_order: int) -> Unit:
    return Unit(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        peer_group=spec.peer_group,
        contact_person=spec.contact_person,
        contact_phone=spec.contact_phone,
        parent=parent,
        sort_order=sort_order,
    )


def _create_policies() -> dict[str, DeadlinePolicy]:
    policies = DeadlinePolicy.objects.bulk_create(
        DeadlinePolicy(code=p.code, name=p.name, description=p.description) for p in data.POLICIES
    )
    by_code = {p.code: p for p in policies}
    DeadlineRule.objects.bulk_create(
        DeadlineRule(policy=by_code[p.code], urgency=urgency, **rule._asdict())
        for p in data.POLICIES
        for urgency, rule in p.rules.items()
    )
    return by_code


def _create_categories(units: dict[str, Unit], policies: dict[str, DeadlinePolicy]) -> None:
    """One bulk insert per level. bulk_create skips Category.save(), so ``level`` is set here."""
    created: dict[str, Category] = {}
    rows = data.flat_categories()
    for level in range(1, Category.MAX_LEVEL + 1):
        batch = [
            Category(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=created[row.parent_code] if row.parent_code else None,
                # The street sentinel leaves the unit empty: dispatch routes those by address.
                default_unit=units.get(row.default_unit) if row.default_unit else None,
                deadline_policy=policies[row.policy] if row.policy else None,
                sort_order=row.sort_order,
            )
            for row in rows
            if row.level == level
        ]
        created.update((c.code, c) for c in Category.objects.bulk_create(batch))


def _create_users(units: dict[str, Unit]) -> None:
    """All users share one password hash: argon2 is slow on purpose, hashing once is enough."""
    password = make_password(DEMO_PASSWORD)
    now = clock.now()
    centre = units[data.HOTLINE_CENTRE.code]
    users: list[User] = []
    grants: list[tuple[str, str]] = []
    for spec in data.ROLE_USERS:
        is_admin = Role.ADMIN in spec.roles
        users.append(
            User(
                username=spec.username,
                first_name=spec.display_name,
                password=password,
                unit=centre,
                phone=data.HOTLINE_CENTRE.contact_phone,
                is_staff=is_admin,
                is_superuser=is_admin,
                date_joined=now,
            )
        )
        grants.extend((spec.username, role) for role in spec.roles)
    for unit_spec in data.HANDLING_UNITS:
        username = data.unit_handler_username(unit_spec.code)
        users.append(
            User(
                username=username,
                first_name=unit_spec.contact_person,
                password=password,
                unit=units[unit_spec.code],
                phone=unit_spec.contact_phone,
                date_joined=now,
            )
        )
        grants.append((username, Role.UNIT_HANDLER))
    # The sub-units' handlers: each street's 居委会, each bureau's sections (科室).
    sub_units = [n.code for _street, n in data.neighbourhoods()]
    sub_units += [section.code for _bureau, section in data.sections()]
    for code in sub_units:
        username = data.unit_handler_username(code)
        users.append(
            User(
                username=username,
                first_name=data.neighbourhood_handler_name(code),
                password=password,
                unit=units[code],
                date_joined=now,
            )
        )
        grants.append((username, Role.UNIT_HANDLER))
    by_username = {u.username: u for u in User.objects.bulk_create(users)}
    UserRole.objects.bulk_create(
        UserRole(user=by_username[username], role=role) for username, role in grants
    )
