"""Orders in and out of spreadsheets.

Rows are registered through the register action (each order gets its register event); one bad
row and no order of the file stays. Exports mask the citizen's phone unless the exporting person
is one of the centre roles that call citizens back.
"""

from __future__ import annotations

import pytest
import time_machine

from hotline.interchange.orders import IMPORT_COLUMNS, import_orders
from hotline.interchange.privacy import phone_for
from hotline.interchange.tables import read_table
from hotline.orders import actions
from hotline.orders.models import Action, Event, WorkOrder
from tests.conftest import at
from tests.interchange.conftest import cites, csv_file, read_xlsx, run, run_refused, xlsx
from tests.orders.factory import new_order

HEADER = (
    "registered_at",
    "channel",
    "citizen_name",
    "citizen_phone",
    "title",
    "description",
    "address",
    "street",
    "category",
    "urgency",
    "kind",
)


def row(**overrides):
    values = {
        "registered_at": "2023-03-08 09:30",
        "channel": "web",
        "citizen_name": "李女士",
        "citizen_phone": "13601234567",
        "title": "夜间施工噪声",
        "description": "昌平路工地每晚 22 点后仍在施工。",
        "address": "静安区昌平路 990 弄",
        "street": "jnl",
        "category": "cxjs-szss-ldps",
        "urgency": "normal",
        "kind": "complaint",
    }
    values.update(overrides)
    return tuple(values[c] for c in HEADER)


@time_machine.travel(at("2023-03-09 10:00"), tick=False)
def test_rows_are_registered_with_their_events_and_day_numbers(district, tmp_path):
    path = xlsx(
        tmp_path / "backlog.xlsx",
        [
            HEADER,
            row(),
            row(title="路灯不亮", urgency="紧急", citizen_phone="13812345678"),
            row(urgency="Critical", kind="Complaint"),
        ],
    )
    output = run("import_data", "orders", path, "--user", "olga")
    assert "3" in output
    orders = list(WorkOrder.objects.order_by("number"))
    assert [o.number for o in orders] == [f"20230308-00000{i}" for i in (1, 2, 3)]
    first, second, third = orders
    assert (first.state, first.channel, first.registered_at) == (
        "registered",
        "web",
        at("2023-03-08 09:30"),
    )
    assert (first.street, first.category, first.registered_by) == (
        district.street,
        district.category,
        district.olga,
    )
    # Labels in either language stand for their codes.
    assert (second.urgency, third.urgency, third.kind) == ("urgent", "critical", "complaint")
    for order in orders:
        assert list(order.events.values_list("seq", "action", "actor")) == [
            (1, Action.REGISTER, district.olga.pk)
        ]


@time_machine.travel(at("2023-03-09 10:00"), tick=False)
@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"citizen_phone": "not a phone"}, "citizen_phone"),
        ({"description": ""}, "description"),
        ({"street": "nowhere"}, "street"),
        ({"street": "mzj"}, "street"),  # a bureau is not a street
        ({"category": "nothing"}, "category"),
        ({"urgency": "asap"}, "urgency"),
        ({"registered_at": "yesterday"}, "registered_at"),
        ({"registered_at": "2023-03-10 09:00"}, "registered_at"),  # in the future
    ],
)
def test_one_bad_row_and_no_order_of_the_file_stays(district, tmp_path, bad, column):
    path = csv_file(tmp_path / "o.csv", [HEADER, row(), row(**bad), row()])
    report = run_refused("import_data", "orders", path)
    assert cites(report, 3, column), report
    assert WorkOrder.objects.count() == 0
    assert Event.objects.count() == 0


def test_every_bad_row_is_reported_not_only_the_first(district, tmp_path):
    path = csv_file(
        tmp_path / "o.csv",
        [HEADER, row(citizen_phone="x"), row(), row(street="nowhere", kind="rumour")],
    )
    with open(path, "rb") as source:
        report = import_orders(read_table(source, "csv"))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "citizen_phone"),
        (4, "street"),
        (4, "kind"),
    ]
    assert WorkOrder.objects.count() == 0


def test_dry_run_registers_nothing_and_says_how_many_would_be(district, tmp_path):
    path = csv_file(tmp_path / "o.csv", [HEADER, row(), row()])
    output = run("import_data", "orders", path, "--dry-run")
    assert "2" in output
    assert WorkOrder.objects.count() == 0


def test_only_operators_and_dispatchers_import_orders(district, tmp_path):
    path = csv_file(tmp_path / "o.csv", [HEADER, row()])
    report = run_refused("import_data", "orders", path, "--user", "una")
    assert WorkOrder.objects.count() == 0
    assert "row 2" in report or "第 2 行" in report


def test_an_exported_file_cannot_register_its_orders_twice(district, tmp_path):
    new_order(district)
    out = tmp_path / "orders.csv"
    run("export_data", "orders", "--out", str(out), "--user", "dan")
    report = run_refused("import_data", "orders", str(out))
    assert cites(report, 2, "number")
    assert WorkOrder.objects.count() == 1


def test_the_export_has_every_import_column(district, tmp_path):
    new_order(district)
    out = tmp_path / "orders.xlsx"
    run("export_data", "orders", "--out", str(out))
    header = read_xlsx(out)[0]
    assert set(IMPORT_COLUMNS) <= set(header)
    assert header[0] == "number"


@pytest.mark.parametrize(
    ("who", "phone"),
    [
        ("dan", "13812345678"),
        ("olga", "13812345678"),
        ("cathy", "13812345678"),
        ("sam", "13812345678"),
        ("ada", "13812345678"),
        ("leo", "*******5678"),
        ("una", "*******5678"),
        (None, "*******5678"),
    ],
)
def test_phones_are_masked_unless_the_exporter_calls_citizens(district, tmp_path, who, phone):
    order = new_order(district)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    out = tmp_path / "orders.xlsx"
    run("export_data", "orders", "--out", str(out), *(["--user", who] if who else []))
    rows = read_xlsx(out)
    column = rows[0].index("citizen_phone")
    assert [r[column] for r in rows[1:]] == [phone]
    user = getattr(district, who) if who else None
    assert phone_for(user, "13812345678") == phone


def test_a_unit_exports_only_its_own_orders(district, tmp_path):
    ours = new_order(district, title="江宁路的")
    theirs = new_order(district, title="民政局的")
    actions.dispatch(ours, district.dan, lead_unit=district.street)
    actions.dispatch(theirs, district.dan, lead_unit=district.bureau)
    out = tmp_path / "orders.csv"
    run("export_data", "orders", "--out", str(out), "--user", "una")
    text = out.read_text(encoding="utf-8-sig")
    assert ours.number in text and theirs.number not in text


def test_orders_export_filters_by_registration_day(district, tmp_path):
    early = new_order(district, now=at("2023-03-01 10:00"))
    late = new_order(district, now=at("2023-03-09 10:00"))
    out = tmp_path / "orders.csv"
    run("export_data", "orders", "--out", str(out), "--from", "2023-03-09", "--to", "2023-03-09")
    text = out.read_text(encoding="utf-8-sig")
    assert late.number in text and early.number not in text
    assert "2023-03-09 10:00:00+08:00" in text


def test_a_citizens_formula_stays_text_in_excel_and_csv(district, tmp_path):
    from openpyxl import load_workbook

    formula = '=HYPERLINK("http://example.invalid","点击查看")'
    new_order(district, description=formula)
    xlsx_out, csv_out = tmp_path / "orders.xlsx", tmp_path / "orders.csv"
    run("export_data", "orders", "--out", str(xlsx_out))
    run("export_data", "orders", "--out", str(csv_out))
    sheet = load_workbook(xlsx_out).worksheets[0]
    column = [c.value for c in sheet[1]].index("description") + 1
    cell = sheet.cell(row=2, column=column)
    assert (cell.value, cell.data_type) == (formula, "s")
    assert "'=HYPERLINK" in csv_out.read_text(encoding="utf-8-sig")


def test_a_misspelt_column_is_refused_not_dropped(district, tmp_path):
    # A tired administrator types "adress": the file was imported and every order lost its
    # address without a word. Now the column is named and nothing is registered.
    header = tuple("adress" if c == "address" else c for c in HEADER)
    path = csv_file(tmp_path / "o.csv", [header, row()])
    report = run_refused("import_data", "orders", path)
    assert "adress" in report, report
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("registered_at", ["0001-01-01 00:00", "1900-01-01 08:00"])
def test_a_registration_time_outside_the_sane_range_is_refused_by_row(
    district, tmp_path, registered_at
):
    # Year 1 stopped the whole import with "date value out of range" and no row named (the time
    # zone arithmetic overflowed); 1900 was taken. The range is the one of every typed date.
    path = csv_file(tmp_path / "o.csv", [HEADER, row(), row(registered_at=registered_at)])
    report = run_refused("import_data", "orders", path)
    assert cites(report, 3, "registered_at"), report
    assert "2000-01-01" in report
    assert WorkOrder.objects.count() == 0
