"""Units and categories from Excel and CSV: create or update by code, every row checked, all or
nothing, dry run; what is exported imports again unchanged."""

from __future__ import annotations

import pytest

from hotline.interchange.organisation import import_categories, import_units
from hotline.interchange.tables import read_table
from hotline.org.models import Category, Unit, UnitKind
from tests.interchange.conftest import cites, csv_file, read_xlsx, run, run_refused, xlsx

UNIT_HEADER = ("code", "name", "kind", "parent", "peer_group", "contact_person", "active")


def test_units_import_from_excel_with_children_before_their_parent(district, tmp_path):
    path = xlsx(
        tmp_path / "units.xlsx",
        [
            UNIT_HEADER,
            ("cdl-01", "常德路居委会", "neighbourhood", "cdl", "", "", True),
            ("cdl", "曹家渡街道", "street", "", "streets", "王主任", True),
            # An existing unit is updated in place.
            ("mzj", "区民政局", "bureau", "", "bureaus", "赵科长", 1),
        ],
    )
    output = run("import_data", "units", path)
    assert "2" in output and "1" in output
    street = Unit.objects.get(code="cdl")
    assert (street.kind, street.contact_person) == (UnitKind.STREET, "王主任")
    assert Unit.objects.get(code="cdl-01").parent == street
    assert Unit.objects.get(code="mzj").contact_person == "赵科长"
    assert Unit.objects.get(code="mzj").pk == district.bureau.pk


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (("new", "新单位", "ministry", "", "", "", ""), "kind"),
        (("new", "区民政局", "bureau", "", "", "", ""), "name"),  # the bureau's name
        (("new", "新单位", "bureau", "nowhere", "", "", ""), "parent"),
        (("new", "新单位", "bureau", "", "", "", "perhaps"), "active"),
        (("new unit", "新单位", "bureau", "", "", "", ""), "code"),
        (("jnl", "江宁路街道", "street", "jnl-01", "", "", ""), "parent"),  # under its own child
    ],
)
def test_a_bad_unit_row_is_reported_and_nothing_is_written(district, tmp_path, row, column):
    good = ("xyz", "新成立街道", "street", "", "streets", "", "")
    path = csv_file(tmp_path / "units.csv", [UNIT_HEADER, good, row])
    before = sorted(Unit.objects.values_list("code", "name", "parent__code"))
    report = run_refused("import_data", "units", path)
    assert cites(report, 3, column), report
    assert sorted(Unit.objects.values_list("code", "name", "parent__code")) == before


def test_the_report_lists_every_bad_row_with_its_column(district, tmp_path):
    path = csv_file(
        tmp_path / "units.csv",
        [
            UNIT_HEADER,
            ("a", "甲", "bureau", "", "", "", ""),
            ("b", "乙", "ministry", "", "", "", ""),
            ("a", "丙", "bureau", "", "", "", ""),
            ("d", "丁", "bureau", "", "guild", "", ""),
        ],
    )
    with open(path, "rb") as source:
        report = import_units(read_table(source, "csv"))
    found = [(e.row, e.column) for e in report.errors]
    assert found == [(3, "kind"), (4, "code"), (5, "peer_group")]
    assert not report.written and not Unit.objects.filter(code="a").exists()


def test_dry_run_checks_and_writes_nothing(district, tmp_path):
    path = csv_file(tmp_path / "u.csv", [UNIT_HEADER, ("xyz", "新街道", "street", "", "", "", "")])
    output = run("import_data", "units", path, "--dry-run")
    assert "1" in output
    assert not Unit.objects.filter(code="xyz").exists()


def test_a_missing_column_is_reported_on_the_header_row(district, tmp_path):
    path = csv_file(tmp_path / "u.csv", [("code", "name"), ("xyz", "新街道")])
    assert "kind" in run_refused("import_data", "units", path)
    with open(path, "rb") as source:
        report = import_units(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [(1, "")]
    assert "kind" in report.errors[0].message


def test_gb18030_csv_from_a_chinese_excel_is_read(district, tmp_path):
    path = csv_file(
        tmp_path / "u.csv", [UNIT_HEADER, ("xyz", "新街道", "street", "", "", "", "")], "gb18030"
    )
    run("import_data", "units", path)
    assert Unit.objects.get(code="xyz").name == "新街道"


CATEGORY_HEADER = ("code", "name", "parent", "default_unit", "deadline_policy", "active")


def test_categories_import_three_levels_with_default_unit_and_policy(district, tmp_path):
    path = xlsx(
        tmp_path / "c.xlsx",
        [
            CATEGORY_HEADER,
            ("hjbh-zsxr-sgzs", "施工噪声", "hjbh-zsxr", "jnl", "standard", "true"),
            ("hjbh", "环境保护", "", "", "", "true"),
            ("hjbh-zsxr", "噪声扰民", "hjbh", "", "", "true"),
        ],
    )
    run("import_data", "categories", path)
    leaf = Category.objects.get(code="hjbh-zsxr-sgzs")
    assert leaf.level == 3
    assert leaf.path_name == "环境保护 / 噪声扰民 / 施工噪声"
    assert (leaf.default_unit, leaf.deadline_policy) == (district.street, district.policy)


def test_a_fourth_category_level_is_refused(district, tmp_path):
    path = csv_file(
        tmp_path / "c.csv",
        [CATEGORY_HEADER, ("deep", "太深", "cxjs-szss-ldps", "", "", "")],
    )
    with open(path, "rb") as source:
        report = import_categories(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "parent")]
    assert not Category.objects.filter(code="deep").exists()


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (("x", "某类", "", "nowhere", "", ""), "default_unit"),
        (("x", "某类", "", "centre", "", ""), "default_unit"),
        (("x", "某类", "", "", "fastest", ""), "deadline_policy"),
        (("x", "市政设施", "cxjs", "", "", ""), "name"),  # a sibling already has the name
        (("cxjs", "城乡建设", "cxjs-szss", "", "", ""), "parent"),  # a cycle
    ],
)
def test_a_bad_category_row_is_reported(district, tmp_path, row, column):
    path = csv_file(tmp_path / "c.csv", [CATEGORY_HEADER, row])
    assert cites(run_refused("import_data", "categories", path), 2, column)
    with open(path, "rb") as source:
        report = import_categories(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert not Category.objects.filter(code="x").exists()


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_units_and_categories_exported_import_again_unchanged(district, tmp_path, suffix):
    def snapshot():
        return (
            sorted(Unit.objects.values_list("code", "name", "kind", "parent__code", "active")),
            sorted(Category.objects.values_list("code", "name", "parent__code", "level")),
        )

    before = snapshot()
    for kind in ("units", "categories"):
        out = tmp_path / f"{kind}.{suffix}"
        run("export_data", kind, "--out", str(out))
        output = run("import_data", kind, str(out))
        assert "0" in output  # nothing created: every row updated
    assert snapshot() == before
    if suffix == "xlsx":
        rows = read_xlsx(tmp_path / "units.xlsx")
        assert rows[0][:3] == ["code", "name", "kind"]
        assert ["jnl-01", "三和花园居委会", "neighbourhood", "jnl"] in [r[:4] for r in rows]


def test_text_that_looks_like_a_formula_survives_a_csv_round_trip(district, tmp_path):
    path = csv_file(
        tmp_path / "u.csv", [UNIT_HEADER, ("xyz", "-新街道-", "street", "", "", "", "")]
    )
    run("import_data", "units", path)
    out = tmp_path / "units.csv"
    run("export_data", "units", "--out", str(out))
    assert "'-新街道-" in out.read_text(encoding="utf-8-sig")
    run("import_data", "units", str(out))
    assert Unit.objects.get(code="xyz").name == "-新街道-"


def test_a_subtree_moved_with_its_leaf_lifted_in_one_file_imports(district, tmp_path):
    """x / y / z become r / x / y and r / z in one file. Saving x judged the tree mid-way, with z
    still under y, and refused a valid file (b5f804b; review, session 18)."""
    root = Category.objects.create(code="r", name="根")
    x = Category.objects.create(code="x", name="甲")
    y = Category.objects.create(code="y", name="乙", parent=x)
    Category.objects.create(code="z", name="丙", parent=y)
    path = csv_file(
        tmp_path / "c.csv",
        [
            CATEGORY_HEADER,
            ("x", "甲", "r", "", "", "true"),
            ("z", "丙", "r", "", "", "true"),
            ("y", "乙", "x", "", "", "true"),
        ],
    )
    with open(path, "rb") as source:
        report = import_categories(read_table(source, "csv"))
    assert report.errors == []
    levels = dict(Category.objects.filter(code__in="rxyz").values_list("code", "level"))
    assert levels == {"r": 1, "x": 2, "y": 3, "z": 2}
    assert Category.objects.get(code="z").parent == root


def test_a_unit_still_a_categorys_default_is_not_made_inactive_by_import(district, tmp_path):
    """The admin refuses it (Unit.clean); the import did not (review, session 18)."""
    path = csv_file(
        tmp_path / "units.csv",
        [UNIT_HEADER, ("jnl", "江宁路街道", "street", "", "streets", "", "false")],
    )
    with open(path, "rb") as source:
        report = import_units(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "active")]
    assert "路灯损坏" in report.errors[0].message
    assert Unit.objects.get(code="jnl").active


def test_an_inactive_unit_is_not_made_a_categorys_default_by_import(district, tmp_path):
    Unit.objects.create(code="old", name="原区建委", kind=UnitKind.BUREAU, active=False)
    path = csv_file(
        tmp_path / "c.csv",
        [CATEGORY_HEADER, ("cxjs-szss-ldps", "路灯损坏", "cxjs-szss", "old", "", "true")],
    )
    with open(path, "rb") as source:
        report = import_categories(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "default_unit")]
    assert Category.objects.get(code="cxjs-szss-ldps").default_unit == district.street
