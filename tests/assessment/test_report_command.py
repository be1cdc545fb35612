"""``hotline report --month``: the workbook holds the same figures as ``hotline kpi``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from hotline.assessment import kpis, sampling
from hotline.assessment.models import ReviewCriterion
from hotline.orders import actions
from tests.assessment.conftest import MARCH
from tests.conftest import at


def test_the_report_has_rankings_kpis_overdue_sampling_and_appeals(district, march, tmp_path):
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=1, now=at("2023-03-31 09:00"))
    sampling.review(
        draw.items.get(),
        district.sam,
        points={criterion.pk: 5},
        comment="一般",
        now=at("2023-03-31 10:00"),
    )
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi="overdue", reason="停电", now=at("2023-03-30 10:00"))
    b.refresh_from_db()
    actions.reject_appeal(b, district.sam, reason="无证据", now=at("2023-03-31 10:00"))

    out = tmp_path / "report.xlsx"
    call_command("report", month="2023-03", out=str(out))
    book = load_workbook(out)
    assert book.sheetnames == [
        "排名",
        "考核指标",
        "超期",
        "抽查点评",
        "申诉",
        "服务大厅",
        "窗口与人员办结量",
        "办件与好差评",
    ]
    assert "2023-03" in book["排名"]["A1"].value

    sheet = book["考核指标"]
    header = [c.value for c in sheet[2]]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    street = kpis.compute(*MARCH).unit("jnl")
    assert rows["jnl"][header.index("工单量")] == street.volume
    assert rows["jnl"][header.index("先行联系率")] == street.ratios[kpis.FIRST_CONTACT].value
    assert rows["jnl"][header.index("得分")] == street.score
    assert rows["jnl"][header.index("抽查不合格件数")] == street.sampling_failed == 1

    review = next(book["抽查点评"].iter_rows(min_row=3, values_only=True))
    assert review[6] == 50.0 and review[8] == "一般"
    appeal = next(book["申诉"].iter_rows(min_row=3, values_only=True))
    assert appeal[0] == b.number and appeal[3] == "驳回申诉"


def test_a_bad_month_or_file_name_is_refused(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("report", month="2023-3x", out=str(tmp_path / "r.xlsx"))
    with pytest.raises(CommandError):
        call_command("report", month="2023-03", out=str(tmp_path / "r.csv"))
    with pytest.raises(CommandError):
        call_command("report", month="2023-03", out=str(tmp_path / "missing" / "r.xlsx"))


def test_the_report_reads_well_in_excel(district, march, tmp_path):
    import datetime as dt

    from hotline.org.models import PeerGroup, Unit, UnitKind

    Unit.objects.create(
        code="jajs", name="静安寺街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )
    Unit.objects.create(
        code="long",
        name="上海市静安区市容环境卫生管理事务中心（区废弃物管理所）",
        kind=UnitKind.OTHER,
        peer_group=PeerGroup.OTHERS,
    )
    out = tmp_path / "report.xlsx"
    call_command("report", month="2023-03", out=str(out))
    book = load_workbook(out)
    sheet = book["考核指标"]
    codes = [r[0] for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]]
    # Units with nothing in March are left out of the table and named on its last row.
    assert {"jnl", "jnl-01", "mzj"} <= set(codes) and "jajs" not in codes
    note = codes[-1]
    assert note.startswith("本月无工单") and "静安寺街道" in note and "（2 个）" in note
    # The unit column is as wide as its longest name (Chinese characters count double).
    assert sheet.column_dimensions["B"].width >= 2 * len("三和花园居委会")
    # Deadlines are Excel dates, not ISO text.
    overdue = next(book["超期"].iter_rows(min_row=3))
    reply_due, marked = overdue[4], overdue[5]
    assert (
        isinstance(reply_due.value, dt.datetime) and reply_due.number_format == "yyyy-mm-dd hh:mm"
    )
    assert reply_due.value == dt.datetime(2023, 3, 13, 10, 0)  # local time, 5 working days
    assert isinstance(marked.value, dt.datetime)
