"""The demo district (静安区): its data tables, the loader, and ``hotline demo``."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from hotline.org import demo
from hotline.org import demo_district as data
from hotline.org.models import Category, PeerGroup, Role, Unit, UnitKind, User
from hotline.sla.models import Basis, DeadlinePolicy, DeadlineRule, Urgency

JINGAN_STREETS = {
    "江宁路街道",
    "宝山路街道",
    "大宁路街道",
    "临汾路街道",
    "南京西路街道",
    "静安寺街道",
    "石门二路街道",
    "曹家渡街道",
    "天目西路街道",
    "北站街道",
    "芷江西路街道",
    "共和新路街道",
    "彭浦新村街道",
    "彭浦镇",
}
# Units the seed newspaper names (区民政局 … 北方企业集团).
SEED_UNITS = {"区民政局", "区教育局", "区房管局", "区国资委", "区绿化市容局", "区妇联"}
SEED_COMPANIES = {"市北高新集团", "北方企业集团"}
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PHONE = re.compile(r"^021-[3-6]\d{7}$")


def all_unit_specs():
    neighbourhoods = [n for s in data.STREETS for n in s.neighbourhoods]
    return [data.DISTRICT_GOVERNMENT, data.HOTLINE_CENTRE, *data.HANDLING_UNITS, *neighbourhoods]


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


# -- the data tables --------------------------------------------------------------------------


def test_the_district_has_exactly_71_handling_units():
    assert len(data.HANDLING_UNITS) == 71
    kinds = Counter(u.kind for u in data.HANDLING_UNITS)
    assert set(kinds) == {UnitKind.STREET, UnitKind.BUREAU, UnitKind.GROUP_COMPANY, UnitKind.OTHER}
    assert data.HOTLINE_CENTRE.code not in {u.code for u in data.HANDLING_UNITS}
    assert data.DISTRICT_GOVERNMENT.code not in {u.code for u in data.HANDLING_UNITS}


def test_it_has_jingans_thirteen_streets_and_one_town():
    streets = {u.name for u in data.HANDLING_UNITS if u.kind == UnitKind.STREET}
    assert streets == JINGAN_STREETS
    assert {s.name for s in data.STREETS} == JINGAN_STREETS


def test_the_units_named_in_the_seed_newspaper_are_present():
    by_name = {u.name: u for u in data.HANDLING_UNITS}
    for name in SEED_UNITS:
        assert by_name[name].kind == UnitKind.BUREAU
    for name in SEED_COMPANIES:
        assert by_name[name].kind == UnitKind.GROUP_COMPANY


def test_each_unit_kind_is_ranked_with_its_peers():
    expected = {
        UnitKind.STREET: PeerGroup.STREETS,
        UnitKind.BUREAU: PeerGroup.BUREAUS,
        UnitKind.GROUP_COMPANY: PeerGroup.COMPANIES,
        UnitKind.OTHER: PeerGroup.OTHERS,
    }
    for unit in data.HANDLING_UNITS:
        assert unit.peer_group == expected[unit.kind], unit.name


def test_every_unit_code_is_unique_and_slug_like():
    codes = [u.code for u in all_unit_specs()]
    assert len(codes) == len(set(codes))
    assert all(SLUG.match(c) and len(c) <= 32 for c in codes), codes
    assert data.STREET not in codes  # the routing sentinel must not name a real unit


def test_unit_names_are_unique():
    names = [u.name for u in all_unit_specs()]
    assert [n for n, k in Counter(names).items() if k > 1] == []


def test_every_handling_unit_has_a_contact_and_a_shanghai_landline():
    for unit in [data.DISTRICT_GOVERNMENT, data.HOTLINE_CENTRE, *data.HANDLING_UNITS]:
        assert 2 <= len(unit.contact_person) <= 3, unit.name
        assert PHONE.match(unit.contact_phone), unit.contact_phone


def test_each_street_has_three_to_five_neighbourhoods_with_estates():
    for street in data.STREETS:
        assert 3 <= len(street.neighbourhoods) <= 5, street.name
        for i, nb in enumerate(street.neighbourhoods, start=1):
            assert nb.code == f"{street.code}-{i:02d}"
            assert nb.name.endswith("居委会")
            assert 2 <= len(nb.estates) <= 4, nb.name
        assert len(street.roads) >= 3, street.name


def test_a_road_or_an_estate_points_to_one_place_only():
    roads = [r for s in data.STREETS for r in s.roads]
    estates = [e for s in data.STREETS for n in s.neighbourhoods for e in n.estates]
    assert len(roads) == len(set(roads))
    assert len(estates) == len(set(estates))
    assert data.ROAD_STREET["江宁路"] == "jnl"
    assert data.ROAD_STREET["共和新路"] == "ghxl"
    assert data.ESTATE_NEIGHBOURHOOD["三和花园"] == "jnl-01"


def test_the_category_tree_has_exactly_three_levels():
    rows = data.flat_categories()
    by_code = {r.code: r for r in rows}
    assert len(by_code) == len(rows)
    assert {r.level for r in rows} == {1, 2, 3}
    children = Counter(r.parent_code for r in rows)
    for row in rows:
        assert SLUG.match(row.code) and len(row.code) <= 32, row.code
        if row.level > 1:
            assert by_code[row.parent_code].level == row.level - 1
            assert row.code.startswith(row.parent_code + "-")
        if row.level == 1:
            assert 2 <= children[row.code] <= 5, row.name
        elif row.level == 2:
            assert 2 <= children[row.code] <= 4, row.name
        else:
            assert children[row.code] == 0
    leaves = [r for r in rows if r.level == 3]
    assert 120 <= len(leaves) <= 210
    level_one = {r.name for r in rows if r.level == 1}
    assert {"城乡建设", "环境保护", "民政", "市场监管", "住房保障与房屋管理"} <= level_one


def test_sibling_categories_have_distinct_names():
    rows = data.flat_categories()
    names = Counter((r.parent_code, r.name) for r in rows)
    assert [key for key, k in names.items() if k > 1] == []


def test_every_leaf_names_an_existing_unit_or_the_street_and_a_policy():
    unit_codes = {u.code for u in data.HANDLING_UNITS}
    policy_codes = {p.code for p in data.POLICIES}
    for row in data.flat_categories():
        if row.level < 3:
            assert row.default_unit == "" and row.policy == ""
            continue
        assert row.default_unit in unit_codes | {data.STREET}, row.code
        assert row.policy in policy_codes, row.code
    assert data.flat_categories()  # and the common street-level issues route by address:
    leaf_units = {r.name: r.default_unit for r in data.flat_categories() if r.level == 3}
    for name in ("噪音扰民", "群租", "违章搭建"):
        assert leaf_units[name] == data.STREET


def test_deadline_policies_cover_every_urgency_with_realistic_amounts():
    policies = {p.code: p for p in data.POLICIES}
    assert {"consult", "standard", "complex", "emergency"} <= set(policies)
    for policy in data.POLICIES:
        assert set(policy.rules) == set(Urgency.values), policy.code
        assert all(amount >= 0 for rule in policy.rules.values() for amount in rule[1:])
        for urgency in (Urgency.URGENT, Urgency.CRITICAL):
            assert policy.rules[urgency].basis == Basis.HOURS
    assert policies["consult"].rules[Urgency.NORMAL].reply == 1
    assert policies["standard"].rules[Urgency.NORMAL].reply == 5
    assert policies["complex"].rules[Urgency.NORMAL].reply == 15
    for code in ("consult", "standard", "complex"):
        assert policies[code].rules[Urgency.NORMAL].basis == Basis.WORKING_DAYS
    assert policies["emergency"].rules[Urgency.NORMAL].basis == Basis.HOURS


# -- the loader ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_builds_the_district_tree():
    assert demo.is_empty()
    demo.load_district()

    assert not demo.is_empty() and demo.is_loaded()
    root = Unit.objects.get(kind=UnitKind.DISTRICT_GOVERNMENT)
    assert root.name == "静安区人民政府" and root.parent is None
    assert Unit.objects.get(kind=UnitKind.HOTLINE_CENTRE).parent == root
    handling = Unit.objects.exclude(
        kind__in=[
            UnitKind.HOTLINE_CENTRE,
            UnitKind.DISTRICT_GOVERNMENT,
            UnitKind.NEIGHBOURHOOD,
            UnitKind.SERVICE_CENTRE,  # the service halls' centres (hall app), not hotline units
        ]
    ).exclude(parent__kind=UnitKind.BUREAU)  # a bureau's sections (科室): its sub-units
    assert handling.count() == 71
    assert set(handling.values_list("parent", flat=True)) == {root.pk}
    sections = Unit.objects.filter(parent__kind=UnitKind.BUREAU).select_related("parent")
    assert sections.count() == len(data.sections()) == 15
    for section in sections:
        assert data.section_for(section.parent.code, "") is None  # by category only
        assert any(s.code == section.code for s in data.BUREAU_SECTIONS[section.parent.code])
    jnl = Unit.objects.get(code="jnl")
    assert jnl.peer_group == PeerGroup.STREETS
    assert set(jnl.children.values_list("code", flat=True)) == {
        n.code for n in data.STREETS[0].neighbourhoods
    }
    assert jnl.subtree_ids() == {jnl.pk, *jnl.children.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_loaded_categories_carry_their_level_unit_and_policy():
    demo.load_district()

    leaf = Category.objects.get(code="cxjs-szss-ldps")
    assert leaf.level == 3 and leaf.parent.level == 2 and leaf.parent.parent.level == 1
    assert leaf.default_unit.name == "区建设管理委员会"
    assert leaf.deadline_policy.code == "standard"
    assert leaf.path_name == "城乡建设 / 市政设施 / 道路破损"
    # The street sentinel becomes "no default unit": dispatch routes these by address.
    noise = Category.objects.get(code="hjbh-zswr-shzs")
    assert noise.default_unit is None and noise.effective_deadline_policy.code == "standard"
    assert Category.objects.filter(level=3).count() == len(
        [r for r in data.flat_categories() if r.level == 3]
    )
    assert Category.objects.filter(level=3, children__isnull=False).count() == 0


@pytest.mark.django_db
def test_loaded_policies_have_one_rule_per_urgency():
    demo.load_district()

    assert DeadlinePolicy.objects.count() == len(data.POLICIES)
    assert DeadlineRule.objects.count() == 3 * len(data.POLICIES)
    rule = DeadlinePolicy.objects.get(code="complex").rule_for(Urgency.NORMAL)
    assert (rule.basis, rule.reply, rule.return_window) == (Basis.WORKING_DAYS, 15, 2)


@pytest.mark.django_db
def test_load_then_reset_then_load_again():
    demo.load_district()
    demo.reset()

    assert demo.is_empty()
    assert not User.objects.exists()
    assert not Category.objects.exists()
    assert not DeadlinePolicy.objects.exists()

    demo.load_district()
    assert Unit.objects.filter(kind=UnitKind.STREET).count() == 14
    assert _hotline_users() == len(data.ROLE_USERS) + 71 + 59 + 15  # units, 居委会, sections


@pytest.mark.django_db
def test_loading_twice_is_refused_with_a_readable_conflict():
    demo.load_district()
    with pytest.raises(demo.DemoConflict, match=r"units: .* and \d+ more; .*users: admin"):
        demo.load_district()
    assert Unit.objects.filter(kind=UnitKind.STREET).count() == 14


@pytest.mark.django_db
def test_other_apps_hooks_run_after_load_and_before_reset(monkeypatch):
    seen: list[tuple[str, int]] = []
    monkeypatch.setattr(demo, "LOAD_HOOKS", [lambda progress: seen.append(("load", _units()))])
    monkeypatch.setattr(demo, "RESET_HOOKS", [lambda progress: seen.append(("reset", _units()))])

    demo.load_district()
    demo.reset()

    assert seen == [("load", _units_loaded()), ("reset", _units_loaded())]


def _hotline_users() -> int:
    """The district's hotline staff: the demo halls add their clerks and managers besides."""
    hall_roles = [Role.HALL_CLERK, Role.HALL_MANAGER]
    return User.objects.exclude(role_grants__role__in=hall_roles).distinct().count()


def _units() -> int:
    return Unit.objects.count()


def _units_loaded() -> int:
    return 2 + 71 + sum(len(s.neighbourhoods) for s in data.STREETS) + len(data.sections())


# -- users -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "roles"),
    [
        ("admin", {Role.ADMIN, Role.KNOWLEDGE_REVIEWER}),
        ("operator", {Role.OPERATOR}),
        ("dispatcher", {Role.DISPATCHER}),
        ("callback", {Role.CALLBACK_AGENT}),
        ("supervisor", {Role.SUPERVISOR}),
        ("leader", {Role.LEADER}),
        ("unit-jnl", {Role.UNIT_HANDLER}),
        ("unit-mzj", {Role.UNIT_HANDLER}),
    ],
)
def test_each_demo_user_logs_in_with_the_demo_password(username, roles):
    demo.load_district()

    assert Client().login(username=username, password="hotline-demo")
    assert not Client().login(username=username, password="wrong-password")
    user = User.objects.get(username=username)
    assert user.roles == roles
    assert re.search(r"[\u4e00-\u9fff]{2,}", user.first_name)


@pytest.mark.django_db
def test_centre_staff_sit_at_the_hotline_centre_and_only_admin_is_staff():
    demo.load_district()

    centre = Unit.objects.get(kind=UnitKind.HOTLINE_CENTRE)
    for spec in data.ROLE_USERS:
        user = User.objects.get(username=spec.username)
        assert user.unit == centre
        assert user.is_staff == user.is_superuser == (spec.username == "admin")


@pytest.mark.django_db
def test_unit_jnl_handles_orders_for_jiangning_road_street():
    demo.load_district()

    una = User.objects.get(username="unit-jnl")
    assert una.has_role(Role.UNIT_HANDLER)
    assert una.unit.name == "江宁路街道"
    assert una.first_name == una.unit.contact_person
    # Every handling unit has exactly one handler, and so has every neighbourhood committee (the
    # sub-units a street assigns orders to). The service centres' hall managers handle their
    # centre's orders too: they are counted apart.
    handlers = User.objects.filter(role_grants__role=Role.UNIT_HANDLER).exclude(
        unit__kind=UnitKind.SERVICE_CENTRE
    )
    sections = handlers.filter(unit__parent__kind=UnitKind.BUREAU)
    assert handlers.exclude(unit__kind=UnitKind.NEIGHBOURHOOD).count() == 71 + sections.count()
    assert sorted(sections.values_list("username", flat=True)) == sorted(
        f"unit-{section.code}" for _bureau, section in data.sections()
    )
    committees = Unit.objects.filter(kind=UnitKind.NEIGHBOURHOOD)
    assert committees.count() == 59
    assert sorted(
        handlers.filter(unit__kind=UnitKind.NEIGHBOURHOOD).values_list("unit", flat=True)
    ) == sorted(committees.values_list("pk", flat=True))
    committee = User.objects.get(username="unit-jnl-01")
    assert committee.unit.name == "三和花园居委会" and committee.unit.parent == una.unit
    assert committee.first_name == data.neighbourhood_handler_name("jnl-01") != ""
    assert committee.check_password(data.DEMO_PASSWORD)


@pytest.mark.django_db
def test_demo_logins_list_each_role_user_and_one_line_for_handlers():
    static = demo.demo_logins()
    demo.load_district()
    loaded = demo.demo_logins()

    # Before loading: the role users and the units' handlers from the data file; after: the
    # same, and one line for the 居委会 handlers.
    assert loaded[:7] == static and len(static) == 7
    usernames = [username for username, _ in loaded]
    assert usernames[:6] == ["admin", "operator", "dispatcher", "callback", "supervisor", "leader"]
    assert len(loaded) == 9 + 4  # and two lines per demo hall (below)
    assert "71" in loaded[6][1] and "unit-jnl (江宁路街道)" in loaded[6][1]
    assert loaded[7][0] == "unit-<street>-<nn>" and "59 neighbourhood committees" in loaded[7][1]
    assert "unit-jnl-01 (三和花园居委会)" in loaded[7][1]
    assert loaded[8][0] == "unit-<bureau>-<section>" and "15 bureau sections" in loaded[8][1]
    assert "unit-scjgj-sp (区市场监管局食品安全监管科)" in loaded[8][1]


@pytest.mark.django_db
def test_demo_logins_name_each_halls_clerks_and_manager():
    demo.load_district()  # the halls come with it (a load hook)
    User.objects.filter(username="jazw-ck4").update(is_active=False)

    lines = demo.demo_logins()[9:]  # after the role users, units, 居委会 and sections

    dnl = "大宁路街道社区事务受理服务中心"
    assert lines == [
        ("dnl-ck1…dnl-ck4", f"window clerks (窗口人员) of {dnl}"),
        ("dnl-hm", f"hall manager (大厅管理员) of {dnl}; also handles its 12345 orders"),
        ("jazw-ck1…jazw-ck3", "window clerks (窗口人员) of 静安区政务服务中心"),
        (
            "jazw-hm",
            "hall manager (大厅管理员) of 静安区政务服务中心; also handles its 12345 orders",
        ),
    ]


@pytest.mark.django_db
def test_demo_logins_leave_out_a_deactivated_user():
    demo.load_district()
    User.objects.filter(username="leader").update(is_active=False)

    assert "leader" not in [username for username, _ in demo.demo_logins()]


# -- the command -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_command_loads_an_empty_database_and_prints_a_summary():
    out = run()

    assert "71 handling units" in out
    assert "Creating units" in out
    assert "unit-jnl" in out
    assert Unit.objects.filter(kind=UnitKind.STREET).count() == 14


@pytest.mark.django_db
def test_demo_command_if_empty_does_nothing_the_second_time():
    run("--if-empty")
    before = (Unit.objects.count(), Category.objects.count(), User.objects.count())
    ids = set(User.objects.values_list("pk", flat=True))

    assert run("--if-empty") == ""
    assert (Unit.objects.count(), Category.objects.count(), User.objects.count()) == before
    assert set(User.objects.values_list("pk", flat=True)) == ids


@pytest.mark.django_db
def test_demo_command_without_flags_says_it_is_already_loaded():
    run()

    assert "already loaded" in run()
    assert _hotline_users() == len(data.ROLE_USERS) + 71 + 59 + 15  # units, 居委会, sections


@pytest.mark.django_db
def test_demo_command_refuses_to_mix_with_a_real_district():
    Unit.objects.create(code="hp", name="黄浦区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT)

    with pytest.raises(CommandError, match="--reset"):
        run()
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_demo_command_refuses_when_a_demo_username_is_taken():
    User.objects.create_user(username="admin", password="own-admin-password")

    with pytest.raises(CommandError, match="users: admin"):
        run()
    assert demo.is_empty()
    assert User.objects.get(username="admin").check_password("own-admin-password")


@pytest.mark.django_db
def test_demo_command_reset_replaces_everything_with_the_demo():
    Unit.objects.create(code="hp", name="黄浦区人民政府", kind=UnitKind.DISTRICT_GOVERNMENT)
    User.objects.create_user(username="someone", password="x")

    out = run("--reset")

    assert "deleting all orders, users" in out
    assert not Unit.objects.filter(code="hp").exists()
    assert not User.objects.filter(username="someone").exists()
    assert demo.is_loaded()
    assert User.objects.filter(username="unit-jnl").exists()
