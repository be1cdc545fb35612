"""The dashboard, drill-down, report download, sampling and appeal pages through the test client,
on March 2023's story (tests/assessment/conftest.py)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hotline.assessment import kpis
from hotline.assessment.models import ReviewCriterion, SampleDraw
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from tests.assessment.conftest import MARCH
from tests.conftest import at
from tests.orders.factory import new_order
from tests.web.test_order_pages import act, page


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [
        ("dashboard", "leo", "una"),
        ("dashboard", "sam", "olga"),
        ("sample_draws", "sam", "dan"),
        ("sample_draws", "leo", "una"),
        ("appeal_queue", "sam", "cathy"),
        ("appeal_queue", "una", "olga"),
    ],
)
def test_each_assessment_page_opens_for_its_roles_only(client, district, name, allowed, refused):
    assert page(client, getattr(district, allowed), reverse(name)).status_code == 200
    assert page(client, getattr(district, refused), reverse(name)).status_code == 403


def test_the_dashboard_shows_the_same_numbers_as_the_kpi_computation(client, district, march):
    response = page(client, district.leo, reverse("dashboard") + "?month=2023-03")
    assert response.status_code == 200
    street = kpis.compute(*MARCH).unit("jnl")
    row = next(r for r in response.context["rows"] if r["unit"].code == "jnl")
    assert row["unit"].volume == street.volume == 5
    cells = {c["kpi"]: (c["numerator"], c["denominator"]) for c in row["cells"]}
    assert cells[kpis.FIRST_CONTACT] == (2, 6)
    assert cells[kpis.SATISFACTION] == (2, 3)
    charts = json.loads(
        response.content.decode()
        .split('id="dashboard-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    registered = WorkOrder.objects.filter(
        registered_at__gte=MARCH[0], registered_at__lt=MARCH[1]
    ).count()
    assert sum(charts["days"]["y"]) == registered == 7  # G was registered in February
    assert len(charts["days"]["x"]) == 31
    assert charts["trend"]["x"][-1] == "2023-03" and len(charts["trend"]["x"]) == 6


def test_every_number_drills_down_to_its_orders(client, district, march):
    response = page(client, district.leo, reverse("dashboard") + "?month=2023-03")
    row = next(r for r in response.context["rows"] if r["unit"].code == "jnl")
    cell = next(c for c in row["cells"] if c["kpi"] == kpis.FIRST_CONTACT)
    drill = page(client, district.leo, cell["numerator_url"])
    assert drill.status_code == 200
    assert drill.context["count"] == cell["numerator"] == 2
    shown = {o.number for o in drill.context["page"]}
    assert shown == {march.a.number, march.c.number}
    # The denominator: five orders behind six rounds (B was reopened and missed both).
    whole = page(client, district.leo, cell["denominator_url"])
    assert whole.context["count"] == 5
    assert {o.number for o in whole.context["page"]} == {
        o.number for o in (march.a, march.b, march.c, march.d, march.h)
    }
    late = page(client, district.leo, row["overdue_url"])
    assert {o.number for o in late.context["page"]} == {march.b.number}


def test_a_bad_period_is_a_400_with_the_reason(client, district):
    response = page(client, district.leo, reverse("dashboard") + "?from=2023-03-09&to=2023-03-01")
    assert response.status_code == 400
    assert response.context["problem"] == _("That period could not be read: %(reason)s") % {
        "reason": _("The period ends before it starts.")
    }
    assert 'data-testid="last-month"' in response.content.decode()
    assert "dashboard-data" not in response.content.decode()  # no charts of another period
    assert page(client, district.leo, reverse("kpi_orders") + "?kpi=nope").status_code == 400


def test_the_report_downloads_with_the_months_figures(client, district, march):
    response = page(client, district.leo, reverse("monthly_report") + "?month=2023-03")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hotline-report-2023-03.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[1]  # KPIs
    header = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "jnl")
    assert row[header.index("工单量")] == 5
    overdue = [r[0] for r in book.worksheets[2].iter_rows(min_row=3, values_only=True)]
    assert overdue == [march.b.number]
    bad = page(client, district.leo, reverse("monthly_report") + "?month=2023-13")
    assert bad.status_code == 400


def test_a_supervisor_draws_reviews_and_exports_a_sample(client, district, march):
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    client.force_login(district.sam)
    response = client.post(
        reverse("sample_draws"),
        {"size": 2, "strategy": "simple", "seed": 42, "unit": "jnl", "states": ["closed"]},
    )
    assert response.status_code == 302
    draw = SampleDraw.objects.get()
    assert (draw.seed, draw.filters["unit"], draw.drawn_by) == (42, "jnl", district.sam)
    item = draw.items.first()
    url = reverse("sample_review", args=[draw.pk, item.pk])
    refused = client.post(url, {f"c{criterion.pk}": "11", "comment": "太高"})
    assert refused.status_code == 422
    assert "太高" in refused.content.decode()  # the comment typed is kept
    assert client.post(url, {f"c{criterion.pk}": "8", "comment": "较好"}).status_code == 302
    csv_text = client.get(reverse("sample_csv", args=[draw.pk])).content.decode("utf-8-sig")
    assert "80.00" in csv_text and "较好" in csv_text and item.order.number in csv_text


def test_leaders_read_samples_but_cannot_draw(client, district):
    client.force_login(district.leo)
    assert client.post(reverse("sample_draws"), {"size": 2}).status_code == 403


def test_the_appeal_queue_lists_pending_appeals_for_the_unit_and_the_supervisor(
    client, district, march
):
    b = march.b
    b.refresh_from_db()
    response = act(client, district.una, b, "appeal", kpi="overdue", reason="停电无法施工")
    assert response.status_code == 200, response.content.decode()
    for person in (district.una, district.sam):
        queue = page(client, person, reverse("appeal_queue"))
        rows = queue.context["rows"]
        assert [r["order"].number for r in rows] == [b.number]
        assert rows[0]["counts_against"] is True
    assert page(client, district.victor, reverse("appeal_queue")).context["rows"] == []
    b.refresh_from_db()
    actions.approve_appeal(b, district.sam)
    decided = page(client, district.sam, reverse("appeal_queue")).context["decided"]
    assert [d["event"].action for d in decided] == ["approve_appeal"]


def test_the_hotspots_panel_lists_clusters_of_similar_orders(client, district):
    for day in ("2023-03-20 09:00", "2023-03-21 10:00", "2023-03-22 11:00"):
        new_order(district, street=district.street, now=at(day))
    response = page(client, district.leo, reverse("dashboard") + "?month=2023-03")
    assert 'hx-get="/dashboard/hotspots?month=2023-03"' in response.content.decode()
    panel = page(client, district.leo, reverse("dashboard_hotspots") + "?month=2023-03")
    assert panel.status_code == 200
    [spot] = panel.context["hotspots"]
    assert spot.size == 3 and spot.street_code == "jnl"
    assert page(client, district.una, reverse("dashboard_hotspots")).status_code == 403


def test_finished_months_trend_points_are_reused_until_an_appeal_is_approved(
    district, march, django_assert_max_num_queries
):
    from hotline.assessment import dashboard as data

    last = at("2023-03-31 12:00").date()
    first = data.trend(last, 2)
    assert [p.month for p in first] == ["2023-02", "2023-03"]
    with django_assert_max_num_queries(3):  # settings, appeals count; both months from the cache
        assert data.trend(last, 2) == first
    b = march.b
    b.refresh_from_db()
    actions.appeal(b, district.una, kpi="satisfaction", reason="超出政策范围")
    b.refresh_from_db()
    actions.approve_appeal(b, district.sam)
    march_point = data.trend(last, 2)[1]
    assert march_point.values[kpis.SATISFACTION] == 100.0 != first[1].values[kpis.SATISFACTION]


def test_the_dashboard_opens_on_the_last_complete_month(client, district, time_machine):
    time_machine.move_to(at("2023-04-02 09:00"), tick=False)
    response = page(client, district.leo, reverse("dashboard"))
    assert response.context["period"].month == "2023-03"
    html = response.content.decode()
    assert 'data-testid="month-to-date" href="/dashboard/?month=2023-04"' in html
    mtd = page(client, district.leo, reverse("dashboard") + "?month=2023-04")
    assert 'data-testid="last-month" href="/dashboard/?month=2023-03"' in mtd.content.decode()
    bad = page(client, district.leo, reverse("dashboard") + "?month=2023-13")
    assert bad.status_code == 400 and "YYYY-MM" in bad.context["problem"]


def test_rates_show_as_percentages_with_their_counts(client, district, march):
    response = page(client, district.leo, reverse("dashboard") + "?month=2023-03")
    html = response.content.decode()
    row = html.split('<tr data-unit="jnl">')[1].split("</tr>")[0]
    # 满意率 2/3 as a percentage; 满意度得分 60 points over 3 callbacks, not "180 / 3".
    satisfaction = row.split('data-kpi="satisfaction"')[1]
    assert "<strong>66.7%</strong>" in satisfaction
    assert ">2</a> / <a" in satisfaction
    score = row.split('data-kpi="satisfaction_score"')[1]
    assert "<strong>60.0</strong>" in score and "180" not in score.split("</td>")[0]
    assert "docs/kpis.md" not in html
    assert reverse("kpi_definitions") in html


@pytest.mark.parametrize("who", ["una", "leo", "cathy", "sam"])
def test_the_kpi_definitions_page_shows_the_settings_in_force(client, district, who):
    from hotline.assessment.models import KpiSettings, SatisfactionMeasure

    settings = KpiSettings.current()
    settings.satisfaction_measure = SatisfactionMeasure.SCORE
    settings.weight_return = 0
    settings.save()
    response = page(client, getattr(district, who), reverse("kpi_definitions"))
    assert response.status_code == 200
    weights = dict(response.context["weights"])
    assert weights[kpis.LABELS[kpis.SATISFACTION_SCORE]] == 30
    assert kpis.LABELS[kpis.RETURN] not in weights
    html = response.content.decode()
    assert 'data-kpi="unreachable"' in html and 'data-testid="kpi-example"' in html


def test_hotspots_are_listed_by_street_or_address(client, district):
    for day in ("2023-03-20 09:00", "2023-03-21 10:00", "2023-03-22 11:00"):
        new_order(district, street=None, address="", now=at(day))
    panel = page(client, district.leo, reverse("dashboard_hotspots") + "?month=2023-03")
    assert panel.context["hotspots"] == []
    [topic] = panel.context["topics"]
    assert topic.size == 3
    html = panel.content.decode()
    assert "工单查询" not in html and "工单数" in html


def test_the_sample_csv_and_page_speak_the_reviewers_language(client, district, march):
    import csv

    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    district.sam.first_name, district.sam.last_name = "三", "孙"
    district.sam.save()
    client.force_login(district.sam)
    picker = client.get(reverse("sample_draws")).content.decode()
    assert 'data-filter-select="id_category"' in picker and "路灯损坏" in picker
    response = client.post(
        reverse("sample_draws"),
        {"size": 5, "strategy": "simple", "seed": 7, "category": "cxjs-szss"},  # a middle level
    )
    assert response.status_code == 302
    draw = SampleDraw.objects.get()
    assert draw.population > 0  # the leaf categories below it count
    item = draw.items.select_related("order").first()
    client.post(
        reverse("sample_review", args=[draw.pk, item.pk]),
        {f"c{criterion.pk}": "8", "comment": "答复清楚"},
    )
    detail = client.get(reverse("sample_detail", args=[draw.pk])).content.decode()
    assert "市政设施" in detail  # the filter by its name, not its code
    case = detail.split('data-testid="review-case"')[1].split("</form>")[0]
    assert item.order.description in case  # the citizen's request beside the rubric
    assert "孙三" in detail or "三 孙" in detail
    text = client.get(reverse("sample_csv", args=[draw.pk])).content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[:5] == ["抽查批次", "随机种子", "抽样方式", "序号", "工单编号"]
    assert "reviewer" not in text and "simple" not in text
    reviewed = next(r for r in rows if r[4] == item.order.number)
    assert reviewed[5] == item.unit.name and reviewed[8] in ("孙三", "三 孙")
