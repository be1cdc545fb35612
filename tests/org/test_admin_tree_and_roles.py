"""Ada, the administrator, reorganises the categories and adds users in the admin, tired.

Before: moving a category that has sub-categories under another category saved a four-level
tree (三级分类 at most) and left the sub-categories' stored levels as they were (a level-3 leaf
still said level 2, so the leaves' filters and the dispatch lists missed it); and a user added
with the unit handler role and no unit was saved, though the model refuses exactly that on a
later save (the check read only the roles already saved)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from hotline.org.models import Category, Role, Unit, UnitKind, User, UserRole

PASSWORD = "Xy7!a-long-enough-password"


@pytest.fixture
def ada(client: Client, db) -> Client:
    client.force_login(User.objects.create_superuser("ada", password="pw"))
    return client


@pytest.fixture
def tree(db) -> dict[str, Category]:
    a = Category.objects.create(code="a", name="城乡建设")
    a1 = Category.objects.create(code="a1", name="市政设施", parent=a)
    a11 = Category.objects.create(code="a11", name="道路破损", parent=a1)
    b = Category.objects.create(code="b", name="社会保障")
    b1 = Category.objects.create(code="b1", name="社保缴纳", parent=b)
    return {"a": a, "a1": a1, "a11": a11, "b": b, "b1": b1}


def _move(client: Client, category: Category, parent: Category | None):
    return client.post(
        f"/admin/org/category/{category.pk}/change/",
        {
            "code": category.code,
            "name": category.name,
            "parent": parent.pk if parent else "",
            "sort_order": 0,
            "active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_category_whose_sub_categories_would_go_below_the_third_level_stays(ada, tree):
    response = _move(ada, tree["a"], tree["b"])
    assert response.status_code == 200
    assert "其下级分类将超过三级" in response.content.decode()
    assert {c.code: (c.parent_id, c.level) for c in Category.objects.all()} == {
        "a": (None, 1),
        "a1": (tree["a"].pk, 2),
        "a11": (tree["a1"].pk, 3),
        "b": (None, 1),
        "b1": (tree["b"].pk, 2),
    }


def test_a_category_moved_takes_its_sub_categories_levels_with_it(ada, tree):
    assert _move(ada, tree["a1"], tree["b"]).status_code == 302  # level 2 stays level 2
    assert _move(ada, tree["b1"], tree["a1"]).status_code == 302  # a level-2 leaf goes to 3
    levels = dict(Category.objects.values_list("code", "level"))
    assert levels == {"a": 1, "a1": 2, "a11": 3, "b": 1, "b1": 3}
    # And up: a1 to the top takes its leaves to level 2.
    assert _move(ada, tree["a1"], None).status_code == 302
    assert dict(Category.objects.values_list("code", "level")) == {
        "a": 1,
        "a1": 1,
        "a11": 2,
        "b": 1,
        "b1": 2,
    }


def _add_user(client: Client, unit: Unit | None):
    return client.post(
        "/admin/org/user/add/",
        {
            "username": "hank",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "unit": unit.pk if unit else "",
            "phone": "",
            "role_grants-TOTAL_FORMS": "1",
            "role_grants-INITIAL_FORMS": "0",
            "role_grants-0-role": Role.UNIT_HANDLER,
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_a_unit_handler_added_without_a_unit_is_refused(ada):
    response = _add_user(ada, None)
    assert response.status_code == 200
    with translation.override("zh-hans"):
        assert "承办单位经办人必须属于某个单位" in response.content.decode()
    assert not User.objects.filter(username="hank").exists()


def test_a_unit_handler_is_added_with_the_unit_on_the_first_page(ada):
    jnl = Unit.objects.create(code="jnl", name="江宁路街道", kind=UnitKind.STREET)
    assert _add_user(ada, jnl).status_code == 302
    hank = User.objects.get(username="hank")
    assert hank.unit == jnl and hank.has_role(Role.UNIT_HANDLER)


def _unit_form(unit: Unit, active: bool) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": "",
        "peer_group": unit.peer_group,
        "contact_person": "",
        "contact_phone": "",
        "sort_order": 0,
        **({"active": "on"} if active else {}),
    }


def test_a_unit_still_a_categorys_default_unit_is_not_made_inactive(ada, tree):
    """Made inactive, the bureau would still be suggested for every 道路破损 order (权责清单)
    and refused when the dispatcher chose it."""
    bureau = Unit.objects.create(code="jgw", name="区建设管理委员会", kind=UnitKind.BUREAU)
    Category.objects.filter(pk=tree["a11"].pk).update(default_unit=bureau)
    response = ada.post(
        f"/admin/org/unit/{bureau.pk}/change/",
        _unit_form(bureau, active=False),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "仍是诉求分类城乡建设 / 市政设施 / 道路破损的默认承办单位" in response.content.decode()
    bureau.refresh_from_db()
    assert bureau.active
    # Given another unit first, it may go.
    Category.objects.filter(pk=tree["a11"].pk).update(default_unit=None)
    response = ada.post(f"/admin/org/unit/{bureau.pk}/change/", _unit_form(bureau, active=False))
    assert response.status_code == 302
    bureau.refresh_from_db()
    assert not bureau.active


def test_an_inactive_unit_is_not_made_a_categorys_default(ada, tree):
    gone = Unit.objects.create(code="old", name="原区建委", kind=UnitKind.BUREAU, active=False)
    leaf = tree["a11"]
    response = ada.post(
        f"/admin/org/category/{leaf.pk}/change/",
        {
            "code": leaf.code,
            "name": leaf.name,
            "parent": leaf.parent_id,
            "default_unit": gone.pk,
            "sort_order": 0,
            "active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "原区建委 不能接收工单" in response.content.decode()
    leaf.refresh_from_db()
    assert leaf.default_unit is None


def _category_form(category: Category, unit: Unit | None, active: bool, name: str = "") -> dict:
    return {
        "code": category.code,
        "name": name or category.name,
        "parent": category.parent_id or "",
        "default_unit": unit.pk if unit else "",
        "sort_order": 0,
        **({"active": "on"} if active else {}),
    }


def test_the_hotline_centre_is_not_made_a_categorys_default(ada, tree):
    """The import refused it; the admin saved it (review, session 18)."""
    centre = Unit.objects.create(code="hc", name="12345热线中心", kind=UnitKind.HOTLINE_CENTRE)
    leaf = tree["a11"]
    response = ada.post(
        f"/admin/org/category/{leaf.pk}/change/",
        _category_form(leaf, centre, active=True),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "12345热线中心 不能接收工单" in response.content.decode()


def test_a_retired_category_of_a_retired_unit_can_still_be_renamed(ada, tree):
    """A retired category routes nothing: refusing its retired unit made it uneditable."""
    gone = Unit.objects.create(code="old", name="原区建委", kind=UnitKind.BUREAU, active=False)
    leaf = tree["a11"]
    Category.objects.filter(pk=leaf.pk).update(default_unit=gone, active=False)
    leaf.refresh_from_db()
    response = ada.post(
        f"/admin/org/category/{leaf.pk}/change/",
        _category_form(leaf, gone, active=False, name="道路破损（旧）"),
    )
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert leaf.name == "道路破损（旧）"


def _change_user(client: Client, user: User, unit: Unit | None, roles: list[tuple]) -> object:
    """The user's change page posted back with ``unit`` and ``roles``: (grant or None, role,
    delete)."""
    data = {
        "username": user.username,
        "unit": unit.pk if unit else "",
        "phone": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-12-01",
        "date_joined_1": "10:00:00",
        "role_grants-TOTAL_FORMS": str(len(roles)),
        "role_grants-INITIAL_FORMS": str(sum(1 for grant, _r, _d in roles if grant)),
        "role_grants-MIN_NUM_FORMS": "0",
        "role_grants-MAX_NUM_FORMS": "1000",
    }
    for i, (grant, role, delete) in enumerate(roles):
        data[f"role_grants-{i}-user"] = str(user.pk)
        data[f"role_grants-{i}-role"] = role
        if grant:
            data[f"role_grants-{i}-id"] = str(grant.pk)
        if delete:
            data[f"role_grants-{i}-DELETE"] = "on"
    return client.post(f"/admin/org/user/{user.pk}/change/", data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_a_handler_made_centre_staff_in_one_save(ada):
    """Taking the handler role and the unit away in one save was refused: the model's check read
    the roles already saved (review, session 18)."""
    jnl = Unit.objects.create(code="jnl", name="江宁路街道", kind=UnitKind.STREET)
    hank = User.objects.create_user("hank", password=PASSWORD, unit=jnl)
    grant = UserRole.objects.create(user=hank, role=Role.UNIT_HANDLER)
    response = _change_user(
        ada, hank, None, [(grant, Role.UNIT_HANDLER, True), (None, Role.DISPATCHER, False)]
    )
    assert response.status_code == 302
    hank = User.objects.get(pk=hank.pk)
    assert hank.unit is None and hank.roles == {Role.DISPATCHER}


def test_a_handlers_unit_is_not_taken_away_while_the_role_stays(ada):
    jnl = Unit.objects.create(code="jnl", name="江宁路街道", kind=UnitKind.STREET)
    hank = User.objects.create_user("hank", password=PASSWORD, unit=jnl)
    grant = UserRole.objects.create(user=hank, role=Role.UNIT_HANDLER)
    response = _change_user(ada, hank, None, [(grant, Role.UNIT_HANDLER, False)])
    assert response.status_code == 200
    assert "承办单位经办人必须属于某个单位" in response.content.decode()
    hank.refresh_from_db()
    assert hank.unit == jnl
