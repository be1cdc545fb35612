"""The monthly workbook's 抽查点评 and 申诉 sheets say how they are counted: by the date of the
review or the decision; an empty one says that this month's orders' reviews count in the month
they are made (h5, session 24, M3: '（无）' read as 'no sampling this month')."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from hotline.assessment import report, sampling
from hotline.assessment.models import ReviewCriterion
from tests.conftest import at


def test_empty_sheets_say_where_this_months_reviews_will_be(district, march):
    book = load_workbook(io.BytesIO(report.build("2023-03")))
    sampled, appeals = book["抽查点评"], book["申诉"]
    assert "按点评时间统计（2023-03-01 至 2023-03-31）。" in sampled["A1"].value
    assert "按申诉决定时间统计（2023-03-01 至 2023-03-31）。" in appeals["A1"].value
    assert sampled["A3"].value == "本月无点评；对本月工单的点评计入点评当月。"
    assert appeals["A3"].value == "本月无申诉决定；对本月工单的申诉计入决定当月。"


def test_a_march_review_made_in_april_is_in_aprils_sheet(district, march):
    criterion = ReviewCriterion.objects.create(name="答复质量", max_points=10)
    draw = sampling.draw(district.sam, size=1, seed=1, now=at("2023-03-31 09:00"))
    sampling.review(
        draw.items.get(),
        district.sam,
        points={criterion.pk: 5},
        comment="一般",
        now=at("2023-04-02 10:00"),
    )
    april = load_workbook(io.BytesIO(report.build("2023-04")))["抽查点评"]
    assert "按点评时间统计（2023-04-01 至 2023-04-30）。" in april["A1"].value
    assert next(april.iter_rows(min_row=3, values_only=True))[2] == draw.items.get().order.number
