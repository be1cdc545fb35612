"""Shared fixtures: a small district with one named person per role.

- Olga is an operator, Dan a dispatcher, Cathy a callback agent, Sam a supervisor, Leo a leader,
  Ada an administrator — all at the hotline centre.
- Una handles orders for 江宁路街道 (a street with one neighbourhood committee below it);
  Victor handles orders for 区民政局 (a bureau): each must never see the other's orders.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import transaction
from django.db.backends.utils import CursorWrapper
from django.test.testcases import LiveServerThread

from hotline.org.models import Category, PeerGroup, Role, Unit, UnitKind, User, UserRole
from hotline.sla import calendar
from hotline.sla.models import Basis, DeadlinePolicy, DeadlineRule, Urgency

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct horse battery staple"


#: Held by a live server's request while it runs, and by the test's own thread around its
#: statements and transactions, where the two share the test database's one connection (SQLite).
SHARED_CONNECTION = threading.RLock()
#: Set once a live server shares the test thread's connection: from then on the test thread's
#: statements and transactions take :data:`SHARED_CONNECTION` (see :func:`_serialised`).
_sharing = threading.Event()
#: Longer than any request a test makes; past it the test fails instead of hanging.
SHARED_WAIT_SECONDS = 60


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time when its threads share one connection.

    On SQLite the test database is in memory, so every thread of the live server (and the test
    itself) uses the one connection pytest-django hands it. Two requests at once — a page's badge
    request still running when the browser reloads — then open a transaction inside the other's
    ("cannot start a transaction within a transaction", a 503 in the browser; CI failed on it
    once). Each request runs whole, its body read, under :data:`SHARED_CONNECTION`; so do the
    test thread's own statements and transactions (:func:`_serialised`: a test issuing tickets
    while the board polls). PostgreSQL gives each thread its own connection
    (``connections_override`` is empty there), so requests stay concurrent."""

    def set_app(self, application: Callable[..., Any]) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        _sharing.set()

        def one_at_a_time(
            environ: dict[str, Any], start_response: Callable[..., Any]
        ) -> Iterable[bytes]:
            with _held():
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(one_at_a_time)


@contextmanager
def _held() -> Iterator[None]:
    if not SHARED_CONNECTION.acquire(timeout=SHARED_WAIT_SECONDS):
        raise RuntimeError(
            f"the test database's shared connection was busy for {SHARED_WAIT_SECONDS} s"
        )
    try:
        yield
    finally:
        SHARED_CONNECTION.release()


def _serialised() -> bool:
    """Whether this thread's database work must wait for the live server's request: the test's
    own (main) thread, once a live server shares its connection. The server's request threads
    already hold the lock for their whole request."""
    return _sharing.is_set() and threading.current_thread() is threading.main_thread()


_atomic_enter = transaction.Atomic.__enter__
_atomic_exit = transaction.Atomic.__exit__
_execute_with_wrappers = CursorWrapper._execute_with_wrappers
_held_by_atomic: list[bool] = []  # the test thread's open atomic blocks: did each take the lock?


def _enter(self: transaction.Atomic) -> None:
    # A transaction of the test thread runs whole between two requests: on the shared connection
    # a request's BEGIN inside it (or its statements inside the request's) is the failure above.
    held = _serialised()
    if held and not SHARED_CONNECTION.acquire(timeout=SHARED_WAIT_SECONDS):
        raise RuntimeError("the live server kept the test database's connection for 60 s")
    try:
        _atomic_enter(self)
    except BaseException:
        if held:
            SHARED_CONNECTION.release()
        raise
    if threading.current_thread() is threading.main_thread():
        _held_by_atomic.append(held)


def _exit(self: transaction.Atomic, *exc: Any) -> None:
    held = threading.current_thread() is threading.main_thread() and _held_by_atomic.pop()
    try:
        _atomic_exit(self, *exc)
    finally:
        if held:
            SHARED_CONNECTION.release()


def _execute(self: CursorWrapper, *args: Any, **kwargs: Any) -> Any:
    if not _serialised():
        return _execute_with_wrappers(self, *args, **kwargs)
    with _held():  # reentrant: inside the test thread's own transaction it holds it already
        return _execute_with_wrappers(self, *args, **kwargs)


transaction.Atomic.__enter__ = _enter  # type: ignore[method-assign]
transaction.Atomic.__exit__ = _exit  # type: ignore[method-assign]
CursorWrapper._execute_with_wrappers = _execute  # type: ignore[method-assign]


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):  # pytest-django's, after the database
    """pytest-django's live server, started after the test database exists: it hands its
    threads the test's connection only when it sees an in-memory SQLite database, which it does
    not before ``django_db_setup`` (a test asking for ``live_server`` alone, run by itself, then
    served from its own connections: no sharing and no :data:`SHARED_CONNECTION`).

    A test must not call the live server from inside its own ``transaction.atomic()`` on SQLite:
    the transaction holds :data:`SHARED_CONNECTION`, the request waits for it, and the test
    fails after :data:`SHARED_WAIT_SECONDS`."""
    return live_server


def at(text: str) -> dt.datetime:
    """A Shanghai wall-clock time: ``at("2023-03-09 10:00")``."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class District:
    centre: Unit
    street: Unit
    neighbourhood: Unit
    bureau: Unit
    policy: DeadlinePolicy
    category: Category
    olga: User
    dan: User
    una: User
    una_nb: User
    victor: User
    cathy: User
    sam: User
    leo: User
    ada: User

    @property
    def nina(self) -> User:
        """Nina handles orders for 三和花园居委会, below Una's street: she sees and handles the
        orders the street assigns to her 居委会 (二级派单), and no other of the street's."""
        return self.una_nb


def make_user(username: str, unit: Unit, *roles: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit)
    UserRole.objects.bulk_create(UserRole(user=user, role=r) for r in roles)
    return user


@pytest.fixture(autouse=True)
def _fresh_caches():
    """The calendar, the gazetteer and the API's tokens are remembered per process; every test
    starts from its own database."""
    from django.core.cache import caches

    from hotline.api.auth import forget_tokens
    from hotline.dispatch import duplicates
    from hotline.org import gazetteer

    calendar.invalidate()
    gazetteer.invalidate()
    # remembered per order id, and ids come back after a test's rollback
    duplicates.invalidate()
    for cache in caches.all():  # e.g. the dashboard's figures, the statistics page's counts
        cache.clear()
    forget_tokens()  # the API's remembered token users
    yield
    calendar.invalidate()
    gazetteer.invalidate()
    duplicates.invalidate()
    for cache in caches.all():
        cache.clear()
    forget_tokens()


@pytest.fixture
def district(db) -> District:
    centre = Unit.objects.create(code="centre", name="12345热线中心", kind=UnitKind.HOTLINE_CENTRE)
    street = Unit.objects.create(
        code="jnl", name="江宁路街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    neighbourhood = Unit.objects.create(
        code="jnl-01", name="三和花园居委会", kind=UnitKind.NEIGHBOURHOOD, parent=street
    )
    bureau = Unit.objects.create(
        code="mzj", name="区民政局", kind=UnitKind.BUREAU, peer_group=PeerGroup.BUREAUS
    )
    policy = DeadlinePolicy.objects.create(code="standard", name="求助投诉")
    DeadlineRule.objects.create(
        policy=policy,
        urgency=Urgency.NORMAL,
        basis=Basis.WORKING_DAYS,
        accept=1,
        first_contact=1,
        reply=5,
        return_window=2,
        callback=2,
    )
    DeadlineRule.objects.create(
        policy=policy,
        urgency=Urgency.URGENT,
        basis=Basis.HOURS,
        accept=2,
        first_contact=4,
        reply=24,
        return_window=4,
        callback=24,
    )
    DeadlineRule.objects.create(
        policy=policy,
        urgency=Urgency.CRITICAL,
        basis=Basis.HOURS,
        accept=1,
        first_contact=2,
        reply=12,
        return_window=2,
        callback=12,
    )
    top = Category.objects.create(code="cxjs", name="城乡建设")
    mid = Category.objects.create(code="cxjs-szss", name="市政设施", parent=top)
    leaf = Category.objects.create(
        code="cxjs-szss-ldps",
        name="路灯损坏",
        parent=mid,
        default_unit=street,
        deadline_policy=policy,
    )
    return District(
        centre=centre,
        street=street,
        neighbourhood=neighbourhood,
        bureau=bureau,
        policy=policy,
        category=leaf,
        olga=make_user("olga", centre, Role.OPERATOR),
        dan=make_user("dan", centre, Role.DISPATCHER),
        una=make_user("una", street, Role.UNIT_HANDLER),
        una_nb=make_user("nina", neighbourhood, Role.UNIT_HANDLER),
        victor=make_user("victor", bureau, Role.UNIT_HANDLER),
        cathy=make_user("cathy", centre, Role.CALLBACK_AGENT),
        sam=make_user("sam", centre, Role.SUPERVISOR),
        leo=make_user("leo", centre, Role.LEADER),
        ada=make_user("ada", centre, Role.ADMIN),
    )


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests when the suite runs on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (runs in the PostgreSQL pass of make test)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its language in the test thread; start every test from the default."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()
