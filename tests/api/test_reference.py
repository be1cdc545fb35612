"""Units and categories, for clients to fill in codes."""

from __future__ import annotations

from hotline.org.models import Category, Unit, UnitKind


def test_units_lists_active_units_with_parent_codes(api, district):
    Unit.objects.create(code="old", name="撤并街道", kind=UnitKind.STREET, active=False)
    response = api(district.una).get("/units")
    assert response.status_code == 200
    units = {u["code"]: u for u in response.json()}
    assert set(units) == {"centre", "jnl", "jnl-01", "mzj"}
    assert units["jnl-01"] == {
        "code": "jnl-01",
        "name": "三和花园居委会",
        "kind": "neighbourhood",
        "parent": "jnl",
        "peer_group": None,
    }
    assert units["mzj"]["peer_group"] == "bureaus"
    assert units["jnl"]["parent"] is None


def test_categories_list_levels_parents_default_units_and_paths(api, district):
    Category.objects.create(code="gone", name="已停用", active=False)
    response = api(district.olga).get("/categories")
    assert response.status_code == 200
    categories = response.json()
    assert [c["code"] for c in categories] == ["cxjs", "cxjs-szss", "cxjs-szss-ldps"]
    assert categories[2] == {
        "code": "cxjs-szss-ldps",
        "name": "路灯损坏",
        "level": 3,
        "parent": "cxjs-szss",
        "default_unit": "jnl",
        "path_name": "城乡建设 / 市政设施 / 路灯损坏",
    }


def test_reference_data_needs_a_token(api, district):
    assert api(None).get("/units").status_code == 401
    assert api(None).get("/categories").status_code == 401
