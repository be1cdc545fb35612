"""The organisation: handling units, the request taxonomy, staff users and their roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from hotline import clock


class Role(models.TextChoices):
    """What a staff member may do (product.md, Who uses it). A user may hold several."""

    OPERATOR = "operator", _("Operator")
    DISPATCHER = "dispatcher", _("Dispatcher")
    UNIT_HANDLER = "unit_handler", _("Unit handler")
    CALLBACK_AGENT = "callback_agent", _("Callback agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
    # The centre's knowledge-base reviewer publishes articles units draft (knowledge base).
    KNOWLEDGE_REVIEWER = "knowledge_reviewer", _("Knowledge reviewer")
    # Service hall (product.md, Service hall): a window clerk calls and serves tickets; the hall
    # manager runs a service centre's hall (windows, live board, alerts).
    HALL_CLERK = "hall_clerk", _("Window clerk")
    HALL_MANAGER = "hall_manager", _("Hall manager")


class UnitKind(models.TextChoices):
    HOTLINE_CENTRE = "hotline_centre", _("Hotline centre")
    DISTRICT_GOVERNMENT = "district_government", _("District government")
    BUREAU = "bureau", _("Bureau")
    STREET = "street", _("Street or town")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood committee")
    GROUP_COMPANY = "group_company", _("Group company")
    # A service hall: 政务服务中心 / 社区事务受理服务中心, usually under a street or the district.
    SERVICE_CENTRE = "service_centre", _("Service centre")
    OTHER = "other", _("Other")


class PeerGroup(models.TextChoices):
    """Units are ranked only against their peers: streets vs bureaus vs companies."""

    STREETS = "streets", _("Streets and towns")
    BUREAUS = "bureaus", _("Bureaus")
    COMPANIES = "companies", _("Group companies")
    OTHERS = "others", _("Other units")


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(active=True)

    def handling(self) -> UnitQuerySet:
        """Units that orders can be dispatched to (everything but the hotline centre itself)."""
        return self.active().exclude(kind=UnitKind.HOTLINE_CENTRE)


class Unit(models.Model):
    """A handling unit (承办单位): a node in the tree district → street → neighbourhood, bureaus,
    group companies. Orders are dispatched to units; unit users see their unit's subtree."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    peer_group = models.CharField(
        _("peer group"),
        max_length=16,
        choices=PeerGroup.choices,
        blank=True,
        help_text=_("Ranking group; leave blank for units that are not ranked on their own."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None and self.pk in _ancestor_ids(self.parent_id):
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        if not self.active and not self._state.adding:
            # An inactive unit receives no orders: as a category's default unit (权责清单) it
            # would still be suggested to every dispatcher, and refused when chosen.
            names = [
                str(c)
                for c in Category.objects.filter(default_unit=self, active=True).order_by("code")
            ]
            if names:
                raise ValidationError(
                    {
                        "active": _(
                            "Still the default unit of %(categories)s: give them another unit "
                            "first."
                        )
                        % {"categories": _(", ").join(names)}
                    }
                )

    def subtree_ids(self) -> set[int]:
        """This unit's id and every descendant's, from one query over the (small) unit table."""
        return subtree_ids([self.pk])

    def first_level(self) -> Unit:
        """The first-level unit this one belongs to (two-level dispatch, 二级派单): the unit the
        centre dispatches to, which assigns orders inside to this one. See
        :func:`first_level_unit_id`."""
        first_id = first_level_unit_id(self.pk)
        return self if first_id == self.pk else Unit.objects.get(pk=first_id)

    @property
    def is_first_level(self) -> bool:
        return first_level_unit_id(self.pk) == self.pk


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


# Units above the first level only hold the tree together: the centre dispatches below them.
CONTAINER_KINDS = frozenset({UnitKind.DISTRICT_GOVERNMENT, UnitKind.HOTLINE_CENTRE})


def _unit_rows() -> dict[int, tuple[int | None, str]]:
    """Every unit's id → (parent id, kind): one query over the (small) unit table."""
    return {
        pk: (parent_id, kind)
        for pk, parent_id, kind in Unit.objects.values_list("pk", "parent_id", "kind")
    }


def _first_levels(rows: dict[int, tuple[int | None, str]]) -> dict[int, int]:
    found: dict[int, int] = {}
    for pk in rows:
        chain: list[int] = []
        node: int | None = pk
        while node is not None and node in rows and node not in chain:
            chain.append(node)
            node = rows[node][0]
        handling = [u for u in chain if rows[u][1] not in CONTAINER_KINDS]
        found[pk] = handling[-1] if handling else pk
    return found


def first_level_ids() -> dict[int, int]:
    """Every unit's id → its first-level unit's id, from one query over the (small) unit table.

    The first-level unit (bureau, street or town, group company) is the highest ancestor that is
    not a container (the district government, the hotline centre): the district → street →
    居委会 tree gives the street for a 居委会 and the street for itself; a unit placed at the root
    is its own first level. A container with nothing above it that is not a container is its own
    first level, so every unit has one."""
    return _first_levels(_unit_rows())


def branch_ids(unit_id: int) -> set[int]:
    """``unit_id`` and the units below it within its own first-level unit, from one query: a
    street and its 居委会, a bureau and its sections, a 居委会 and what is below it. Two-level
    dispatch (二级派单) reaches no further, so a unit above the first level (the district
    government, the hotline centre) gets itself alone, not the first-level units below it nor
    theirs. What a unit's handlers see and work (:func:`hotline.orders.rules.unit_scope`)."""
    rows = _unit_rows()
    levels = _first_levels(rows)
    own = levels.get(unit_id, unit_id)
    children: dict[int | None, list[int]] = {}
    for pk, (parent_id, _kind) in rows.items():
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = [unit_id]
    while stack:
        pk = stack.pop()
        if pk in found or levels.get(pk, pk) != own:
            continue
        found.add(pk)
        stack.extend(children.get(pk, ()))
    return found


def first_level_unit_id(unit_id: int) -> int:
    """The id of the first-level unit ``unit_id`` belongs to (see :func:`first_level_ids`)."""
    return first_level_ids().get(unit_id, unit_id)


def _ancestor_ids(unit_id: int | None) -> set[int]:
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    seen: set[int] = set()
    while unit_id is not None and unit_id not in seen:
        seen.add(unit_id)
        unit_id = parents.get(unit_id)
    return seen


class Category(models.Model):
    """A node of the three-level request taxonomy (诉求分类). Each level-3 category knows its
    default unit (权责清单) and deadline policy; a category without them inherits its parent's."""

    MAX_LEVEL = 3

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1, editable=False)
    default_unit = models.ForeignKey(
        Unit,
        verbose_name=_("default unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_categories",
    )
    deadline_policy = models.ForeignKey(
        "sla.DeadlinePolicy",
        verbose_name=_("deadline policy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["level", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=3), name="category_level_1_to_3"
            ),
        ]

    def __str__(self) -> str:
        return self.path_name

    def save(self, *args, relevel: bool = True, **kwargs) -> None:
        # The level is derived, never typed in: keeping it in a column lets queries filter leaves.
        # A category moved under another parent takes its sub-categories with it: their levels
        # follow, and none may end up below the third level. ``relevel=False``: the caller
        # re-levels the whole tree itself once every row is saved (the taxonomy import, whose
        # rows may move a sub-category away later in the same file: judged now, mid-way, a
        # valid file was refused; review, session 18).
        self.level = self._computed_level()
        if self.level > self.MAX_LEVEL:
            raise ValidationError(_("Categories have at most three levels."))
        moved = relevel and not self._state.adding
        if moved and self.level + self._depth_below() > self.MAX_LEVEL:
            raise ValidationError(_("Its sub-categories would go below the third level."))
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                self._relevel_below()

    def _computed_level(self) -> int:
        return 1 if self.parent is None else self.parent.level + 1

    def _children(self) -> dict[int | None, list[int]]:
        children: dict[int | None, list[int]] = {}
        for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        return children

    def _depth_below(self) -> int:
        """How many levels of sub-categories hang below this one (0 for a leaf or a new one)."""
        if self._state.adding:
            return 0
        children = self._children()
        depth, level, seen = 0, [self.pk], {self.pk}
        while level := [c for pk in level for c in children.get(pk, ()) if c not in seen]:
            seen.update(level)
            depth += 1
        return depth

    def _relevel_below(self) -> None:
        children = self._children()
        level, ids, seen = self.level, [self.pk], {self.pk}
        while ids := [c for pk in ids for c in children.get(pk, ()) if c not in seen]:
            seen.update(ids)
            level += 1
            Category.objects.filter(pk__in=ids).exclude(level=level).update(level=level)

    def clean(self) -> None:
        # An active category's orders are suggested to its default unit: one that cannot
        # receive orders (inactive, or the hotline centre) would be offered and then refused.
        # A retired category routes nothing, so it may keep a retired unit (and be renamed).
        unit = self.default_unit
        refused = unit is not None and (not unit.active or unit.kind == UnitKind.HOTLINE_CENTRE)
        if self.active and refused:
            raise ValidationError(
                {"default_unit": _("%(unit)s cannot receive orders.") % {"unit": unit}}
            )
        if self.parent is not None:
            if self.pk is not None and self.pk in {a.pk for a in self.parent.lineage()}:
                raise ValidationError({"parent": _("A category cannot be placed under itself.")})
            if self._computed_level() > self.MAX_LEVEL:
                raise ValidationError({"parent": _("Categories have at most three levels.")})
            if self._computed_level() + self._depth_below() > self.MAX_LEVEL:
                raise ValidationError(
                    {"parent": _("Its sub-categories would go below the third level.")}
                )

    def lineage(self) -> list[Category]:
        """Root first, this category last."""
        chain: list[Category] = []
        node: Category | None = self
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def path_name(self) -> str:
        return " / ".join(c.name for c in self.lineage())

    @cached_property
    def effective_default_unit(self) -> Unit | None:
        for node in reversed(self.lineage()):
            if node.default_unit_id is not None:
                return node.default_unit
        return None

    @cached_property
    def effective_deadline_policy(self):
        for node in reversed(self.lineage()):
            if node.deadline_policy_id is not None:
                return node.deadline_policy
        return None


class UserManager(DjangoUserManager["User"]):
    """Django's user manager, whose every way of making a superuser (``createsuperuser``,
    ``create_superuser``, ``create_user(is_superuser=True)`` as ``hotline createuser --role admin``
    does) grants the 管理员 role in the same transaction.

    The admin site opens to a superuser only with the role (hotline/urls.py): the flags are never
    cleared when the role is taken away, the role is. Granted here, on the write path, and not in a
    ``post_save`` signal (conventions: no business rules in signals); only at creation, so taking
    the role away later is not undone. The demo loader bulk-creates its users and grants the role
    itself (hotline/org/demo.py)."""

    use_in_migrations = True

    def create_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        with transaction.atomic(using=self.db):
            user = super().create_user(username, email, password, **extra)
            self._an_administrator_if_superuser(user)
        return user

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        with transaction.atomic(using=self.db):
            user = super().create_superuser(username, email, password, **extra)
            self._an_administrator_if_superuser(user)
        return user

    async def acreate_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        return await sync_to_async(self.create_user)(username, email, password, **extra)

    async def acreate_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        return await sync_to_async(self.create_superuser)(username, email, password, **extra)

    def _an_administrator_if_superuser(self, user: User) -> None:
        if user.is_superuser:
            UserRole.objects.db_manager(self.db).get_or_create(user=user, role=Role.ADMIN)


class User(AbstractUser):
    """A staff member. Roles come from :class:`UserRole`; ``unit`` is the unit they act for
    (the hotline centre for centre staff, a handling unit for unit handlers)."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def superuser_in_force(self) -> bool:
        """Whether Django's blanket superuser powers hold: only while the 管理员 role does. The
        flags are never cleared when the role is taken away (attack report, session 22)."""
        return self.is_superuser and self.has_role(Role.ADMIN)

    def has_granted_perm(self, perm: str) -> bool:
        """Django's ``has_perm``, except that a superuser who lost the 管理员 role holds none of
        the superuser's blanket permissions (staff given one model's permission keep it)."""
        if self.is_superuser and not self.superuser_in_force:
            return False
        return self.has_perm(perm)

    #: Set by a form that judges the roles as submitted with the user (the admin's roles
    #: formset, hotline.org.admin.UserRoleFormSet): against the roles already saved, the check
    #: below refused taking the role and the unit away in one save (review, session 18).
    roles_judged_elsewhere = False

    def clean(self) -> None:
        super().clean()
        # A unit handler without a unit could see nothing and do nothing: refuse it early.
        if self.roles_judged_elsewhere:
            return
        if self.pk and Role.UNIT_HANDLER in self.roles and self.unit_id is None:
            raise ValidationError({"unit": _("A unit handler must belong to a unit.")})


class UserRole(models.Model):
    """One role granted to one user."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def authenticate(self, raw: str) -> ApiToken | None:
        return self.authenticate_hash(hash_token(raw))

    def authenticate_hash(self, key_hash: str) -> ApiToken | None:
        """The unrevoked, unexpired token with this SHA-256, with its (active) user."""
        return (
            self.filter(key_hash=key_hash, revoked_at__isnull=True, user__is_active=True)
            .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=clock.now()))
            .select_related("user")
            .first()
        )


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored: the token itself is shown once,
    when it is created (``hotline token create USERNAME``). It works until it is revoked or, when
    it was given one, until ``expires_at`` (``--expires 90d``): a token copied into a partner's
    configuration and forgotten stops working by itself.

    Its ``scopes`` say where it works: ``open311`` (posting requests as Open311's ``api_key``),
    ``api:read`` (GET on ``/api/v1/``) and ``api:write`` (the API's POSTs). A partner app's Open311
    key is thus no bearer token for the JSON API, which would show it every order its account may
    see. Tokens made before scopes existed have all three (migration 0006): nothing changed for
    them."""

    PREFIX = "hl_"
    OPEN311 = "open311"
    API_READ = "api:read"
    API_WRITE = "api:write"
    SCOPES = (OPEN311, API_READ, API_WRITE)
    #: ``api`` on the command line: the whole JSON API.
    SHORTHANDS = {"api": (API_READ, API_WRITE)}
    #: What :meth:`issue` gives unless told otherwise, as ``hotline token create`` does: the JSON
    #: API. An Open311 ``api_key`` is asked for by name (a partner app's key works nowhere else).
    DEFAULT_SCOPES = (API_READ, API_WRITE)

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    scopes = models.CharField(
        _("scopes"),
        max_length=64,
        default="",
        blank=True,
        help_text=_(
            "Where the token works, separated by spaces: open311 (Open311's api_key), "
            "api:read (reading the JSON API), api:write (acting through it)."
        ),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(
        cls,
        user: User,
        name: str = "",
        *,
        expires_at: dt.datetime | None = None,
        scopes: Iterable[str] = DEFAULT_SCOPES,
    ) -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[: len(cls.PREFIX) + 6],
            expires_at=expires_at,
            scopes=cls.scopes_text(scopes),
        )
        return token, raw

    @classmethod
    def scopes_text(cls, scopes: Iterable[str]) -> str:
        """The stored form of these scopes (shorthands expanded, known order); a ValueError
        names an unknown one."""
        wanted: set[str] = set()
        for scope in scopes:
            scope = scope.strip()
            if scope in cls.SHORTHANDS:
                wanted.update(cls.SHORTHANDS[scope])
            elif scope in cls.SCOPES:
                wanted.add(scope)
            elif scope:
                raise ValueError(scope)
        return " ".join(s for s in cls.SCOPES if s in wanted)

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def allows(self, scope: str) -> bool:
        return scope in self.scope_set

    @property
    def state(self) -> str:
        """``active``, ``revoked`` or ``expired`` (for listings)."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= clock.now():
            return "expired"
        return "active"


class PlaceKind(models.TextChoices):
    ROAD = "road", _("Road")
    ESTATE = "estate", _("Estate or compound")
    LANDMARK = "landmark", _("Landmark")


class Place(models.Model):
    """A gazetteer entry: a road (optionally a house-number range of it), an estate (小区) or a
    landmark, and the street and neighbourhood committee it belongs to. Addresses are matched
    against these to suggest the street at intake and to route orders to the street."""

    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    number_from = models.PositiveIntegerField(_("house numbers from"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("house numbers to"), null=True, blank=True)
    street = models.ForeignKey(
        Unit,
        verbose_name=_("street"),
        on_delete=models.CASCADE,
        related_name="places",
        limit_choices_to={"kind": UnitKind.STREET},
    )
    community = models.ForeignKey(
        Unit,
        verbose_name=_("neighbourhood committee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_places",
        limit_choices_to={"kind": UnitKind.NEIGHBOURHOOD},
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("gazetteer")
        ordering = ["kind", "name", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number_from__isnull=True)
                | models.Q(number_to__isnull=True)
                | models.Q(number_from__lte=models.F("number_to")),
                name="place_number_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        if self.number_from is not None or self.number_to is not None:
            return f"{self.name} {self.number_from or ''}–{self.number_to or ''}"
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        _invalidate_gazetteer()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result = super().delete(*args, **kwargs)
        _invalidate_gazetteer()
        return result

    def covers(self, number: int | None) -> bool:
        if self.number_from is None and self.number_to is None:
            return True
        if number is None:
            return False
        low = self.number_from if self.number_from is not None else 0
        high = self.number_to if self.number_to is not None else 10**9
        return low <= number <= high


def _invalidate_gazetteer() -> None:
    # The matcher caches the table per process; an edit here refreshes this process at once.
    from hotline.org import gazetteer

    gazetteer.invalidate()
