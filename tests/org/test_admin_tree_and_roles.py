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

from hotline.org.models import Category, Role, Unit, UnitKind, User

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
