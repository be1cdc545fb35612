"""Unit upkeep: a closed consultation gives its unit a task; overdue reviews are urged; the KPI."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from hotline.kb import actions
from hotline.kb.assist import answered_with_article_share
from hotline.kb.models import ArticleAction, UpkeepState, UpkeepTask
from hotline.kb.upkeep import create_tasks, open_tasks, overdue_reviews, upkeep_scores
from hotline.orders import actions as order_actions
from hotline.orders.models import ContactWay, Kind, ReplyResult, Satisfaction
from hotline.sla import worker
from tests.conftest import at
from tests.kb.factory import content, published
from tests.orders.factory import new_order


def closed_consultation(d, **overrides):
    order = new_order(d, kind=Kind.CONSULTATION, title="低保怎么申请", **overrides)
    order_actions.dispatch(order, d.dan, lead_unit=d.street)
    order_actions.accept(order, d.una)
    order_actions.first_contact(order, d.una, way=ContactWay.PHONE)
    order_actions.reply(order, d.una, result=ReplyResult.EXPLAINED, text="已告知申请条件。")
    order_actions.approve_reply(order, d.dan)
    order_actions.callback(order, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED)
    return order


@pytest.fixture
def frozen():
    with time_machine.travel(at("2026-11-02 10:00"), tick=False) as traveller:
        yield traveller


def test_closing_a_consultation_puts_a_task_on_the_units_inbox(district, frozen):
    order = closed_consultation(district)
    complaint = new_order(district)  # not a consultation, not closed: no task

    assert worker.run_once()["kb_upkeep_tasks"] == 1
    assert create_tasks(at("2026-11-02 10:05")) == 0  # once per order
    task = UpkeepTask.objects.get()
    assert task.order == order and task.unit == district.street
    assert list(open_tasks(district.una)) == [task]
    assert list(open_tasks(district.victor)) == []
    assert not UpkeepTask.objects.filter(order=complaint).exists()


def test_saving_an_article_from_the_task_completes_it(district, frozen):
    closed_consultation(district)
    create_tasks(at("2026-11-02 10:00"))
    task = UpkeepTask.objects.get()
    article = actions.create(district.una, content(district.street), task=task)
    task.refresh_from_db()
    assert task.state == UpkeepState.DONE and task.article == article
    with pytest.raises(actions.NotAllowed):
        other = UpkeepTask.objects.create(
            unit=district.street, order=new_order(district), due_at=task.due_at
        )
        actions.create(district.victor, content(district.bureau), task=other)


def test_articles_past_their_review_date_are_urged_weekly(district, rita, frozen):
    stale = published(district.bureau, district.victor, rita, review_by=dt.date(2026, 10, 1))
    published(district.bureau, district.victor, rita, title="新", review_by=dt.date(2027, 1, 1))

    assert actions.urge_overdue_reviews(at("2026-11-02 10:00")) == 1
    assert actions.urge_overdue_reviews(at("2026-11-05 10:00")) == 0
    assert actions.urge_overdue_reviews(at("2026-11-10 10:00")) == 1
    assert stale.events.filter(action=ArticleAction.URGE).count() == 2
    assert list(overdue_reviews({district.bureau.pk}, dt.date(2026, 11, 2))) == [stale]


def test_the_upkeep_kpi_deducts_for_missed_tasks_and_overdue_reviews(district, rita, frozen):
    closed_consultation(district)
    closed_consultation(district, citizen_phone="13900001111")
    create_tasks(at("2026-11-02 10:00"))
    done, missed = UpkeepTask.objects.order_by("pk")
    actions.create(district.una, content(district.street), task=done)
    published(district.bureau, district.victor, rita, review_by=dt.date(2026, 10, 1))

    scores = upkeep_scores(at("2026-11-01 00:00"), at("2026-12-01 00:00"))

    street, bureau = scores[district.street.pk], scores[district.bureau.pk]
    assert (street.tasks_due, street.tasks_done_in_time, street.overdue_articles) == (2, 1, 0)
    assert street.deduction == 0.5 and street.task_rate == 0.5
    assert (bureau.tasks_due, bureau.overdue_articles, bureau.deduction) == (0, 1, 0.2)
    assert missed.state == UpkeepState.OPEN


def test_the_deductions_are_settings(district, frozen, settings):
    settings.KB_UPKEEP_TASK_DEDUCTION = 2
    settings.KB_UPKEEP_MAX_DEDUCTION = 3
    for phone in ("13900001111", "13900002222"):
        closed_consultation(district, citizen_phone=phone)
    create_tasks(at("2026-11-02 10:00"))
    scores = upkeep_scores(at("2026-11-01 00:00"), at("2026-12-01 00:00"))
    assert scores[district.street.pk].deduction == 3


def test_the_dashboard_counts_consultations_answered_with_an_article(district, rita, frozen):
    article = published(district.bureau, district.victor, rita)
    for i, source in enumerate(
        [{"kb_article": article.pk, "kb_revision": article.published_id}, None, "unanswered"]
    ):
        order = new_order(district, kind=Kind.CONSULTATION, citizen_phone=f"1390000000{i}")
        if source != "unanswered":
            order_actions.answer(order, district.olga, text="已答复", source=source)
    share = answered_with_article_share(at("2026-11-01 00:00"), at("2026-12-01 00:00"))
    assert share == {"consultations": 3, "answered": 2, "with_article": 1, "share": 1 / 3}
