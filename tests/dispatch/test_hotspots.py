"""Hotspots: clusters of similar orders by period and street, ranked by size and growth."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hotline.dispatch.hotspots import hotspots
from hotline.orders import actions
from hotline.orders.models import WorkOrder
from hotline.org.models import Category, PeerGroup, Unit, UnitKind
from tests.conftest import at
from tests.orders.factory import new_order

MARCH = (at("2023-03-01 00:00"), at("2023-04-01 00:00"))

NOISE = [
    ("工地夜间施工噪音扰民", "江宁路500号旁工地每晚十点后仍在施工，噪音很大，影响休息。"),
    ("夜间施工噪音扰民", "江宁路工地晚上施工噪音太大，居民无法休息。"),
    ("工地夜间施工噪音", "工地每天夜里施工到凌晨，噪音扰民，影响休息。"),
    ("夜间施工扰民", "附近工地夜间施工噪音很大，影响居民休息。"),
    ("夜间施工噪音扰民", "江宁路工地夜间施工，噪音扰民严重。"),
]
OTHERS = [
    ("小区垃圾清运不及时", "小区垃圾桶满了好几天没人清运，气味很大。"),
    ("咨询社保卡补办", "想了解社保卡丢失后怎么补办，需要带什么材料。"),
    ("公交站台破损", "昌平路公交站台的顶棚破了，下雨天没法等车。"),
]
LAMPS = [
    ("路灯不亮", "西康路口的路灯连续三晚不亮，夜里行人很不方便。"),
    ("路灯不亮", "西康路上两盏路灯坏了，晚上一片漆黑。"),
    ("路灯坏了", "西康路路灯不亮好几天了，请尽快修理。"),
]


@pytest.fixture
def noise(district) -> Category:
    return Category.objects.create(code="hjbh-zs", name="施工噪音")


@pytest.fixture
def other_street(district) -> Unit:
    return Unit.objects.create(
        code="jajs", name="静安寺街道", kind=UnitKind.STREET, peer_group=PeerGroup.STREETS
    )


@pytest.fixture
def orders(district, noise, other_street):
    """March: 5 noise complaints on 江宁路 (2 in February), 3 unrelated ones, 3 street-lamp
    orders on 静安寺, a cancelled noise complaint."""
    made = []
    for day, (title, text) in enumerate(NOISE, 3):
        made.append(
            new_order(
                district,
                title=title,
                description=text,
                street=district.street,
                category=noise,
                now=at(f"2023-03-{day:02d} 10:00"),
            )
        )
    for day, (title, text) in enumerate(NOISE[:2], 10):
        new_order(
            district,
            title=title,
            description=text,
            street=district.street,
            category=noise,
            now=at(f"2023-02-{day:02d} 10:00"),
        )
    for day, (title, text) in enumerate(OTHERS, 12):
        new_order(
            district,
            title=title,
            description=text,
            street=district.street,
            category=None,
            now=at(f"2023-03-{day:02d} 10:00"),
        )
    for day, (title, text) in enumerate(LAMPS, 20):
        new_order(
            district,
            title=title,
            description=text,
            street=other_street,
            now=at(f"2023-03-{day} 09:00"),
        )
    cancelled = new_order(
        district,
        title=NOISE[0][0],
        description=NOISE[0][1],
        street=district.street,
        category=noise,
        now=at("2023-03-25 10:00"),
    )
    actions.cancel(cancelled, district.sam, reason="重复来电", now=at("2023-03-25 11:00"))
    return made


def test_the_largest_cluster_ranks_first_with_its_growth(district, orders):
    found = hotspots(*MARCH)
    assert [(h.street_code, h.size) for h in found] == [("jnl", 5), ("jajs", 3)]
    top = found[0]
    assert top.street_name == "江宁路街道"
    assert top.numbers == [o.number for o in orders]
    assert top.label == "夜间施工噪音扰民"
    assert (top.category_code, top.category_name) == ("hjbh-zs", "施工噪音")
    assert (top.previous, top.change, top.growth) == (2, 3, 2.5)
    assert top.first_registered == at("2023-03-03 10:00")
    assert top.last_registered == at("2023-03-07 10:00")
    lamps = found[1]
    assert (lamps.label, lamps.category_name, lamps.previous, lamps.growth) == (
        "路灯不亮",
        "路灯损坏",
        0,
        None,
    )


def test_min_size_limit_and_street(district, orders):
    assert [h.size for h in hotspots(*MARCH, min_size=4)] == [5]
    assert [h.street_code for h in hotspots(*MARCH, limit=1)] == ["jnl"]
    assert [h.street_code for h in hotspots(*MARCH, street="jajs")] == ["jajs"]
    assert hotspots(*MARCH, min_size=6) == []


def test_orders_without_a_street_are_grouped_together(district, noise):
    for day, (title, text) in enumerate(NOISE[:3], 1):
        new_order(
            district, title=title, description=text, category=noise, now=at(f"2023-03-0{day} 10:00")
        )
    with translation.override("en"):
        (found,) = hotspots(*MARCH)
    # No street and an address the gazetteer does not know: shown by that address.
    assert (found.street_code, found.street_name, found.size) == ("", "静安区江宁路 500 号", 3)
    WorkOrder.objects.update(address="")
    with translation.override("en"):
        (found,) = hotspots(*MARCH)
    assert found.street_name == "Whole district (no address)"


def test_an_order_without_a_street_is_placed_by_its_address(district, noise):
    from hotline.org import gazetteer
    from hotline.org.models import Place, PlaceKind

    Place.objects.create(kind=PlaceKind.ROAD, name="愚园路", street=district.street)
    gazetteer.invalidate()
    for day, (title, text) in enumerate(NOISE[:3], 1):
        new_order(
            district,
            title=title,
            description=text,
            category=noise,
            address="愚园路 100 号" if day < 3 else "某小区门口",
            now=at(f"2023-03-0{day} 10:00"),
        )
    clusters = {h.street_name: h for h in hotspots(*MARCH, min_size=1)}
    # Two known by the gazetteer's road, one by the address it gives.
    assert clusters["江宁路街道"].street_code == "jnl"
    assert clusters["江宁路街道"].address == "愚园路 100 号"
    assert clusters["某小区门口"].street_code == ""


def test_two_queries_whatever_the_number_of_orders(district, orders):
    with CaptureQueriesContext(connection) as queries:
        hotspots(*MARCH)
    assert len(queries) == 2


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("hotspots", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_functions_hotspots(district, orders):
    printed = json.loads(run("--from", "2023-03-01", "--to", "2023-03-31", "--json"))
    assert printed == [h.as_dict() for h in hotspots(*MARCH)]
    assert printed[0]["first_registered"] == "2023-03-03T10:00:00+08:00"
    one = json.loads(
        run(
            "--from",
            "2023-03-01",
            "--to",
            "2023-03-31",
            "--street",
            "jajs",
            "--min-size",
            "2",
            "--json",
        )
    )
    assert [h["street"]["code"] for h in one] == ["jajs"]


def test_the_command_prints_a_table(district, orders):
    table = run("--from", "2023-03-01", "--to", "2023-03-31")
    assert "2023-03-01 – 2023-03-31" in table
    assert "jnl 江宁路街道" in table and "夜间施工噪音扰民" in table and "(+3)" in table


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2023-13-01", "--to", "2023-03-31"),
        ("--from", "2023-03-31", "--to", "2023-03-01"),
        ("--from", "2023-03-01", "--to", "2023-03-31", "--street", "nowhere"),
        ("--from", "2023-03-01", "--to", "2023-03-31", "--min-size", "0"),
    ],
)
def test_the_command_refuses_bad_input(district, args):
    with pytest.raises(CommandError):
        run(*args)


CONSULTATIONS = [
    ("咨询新生儿落户", "孩子刚出生，咨询新生儿报户口"),
    ("咨询婚姻登记所需材料", "咨询补领结婚证"),
    ("咨询居住证积分办理", "咨询办理居住证积分，学历和社保如何计分"),
    ("咨询个体工商户注销", "咨询个体工商户如何办理简易注销"),
    ("咨询老年人优待证办理", "咨询在哪里可以办理老年人优待证"),
    ("咨询离职后公积金提取", "咨询离职后如何提取住房公积金"),
]
OPENINGS = ["市民来电称：来电人", "市民来电反映：来电人", "来电人反映：来电人"]


def test_the_wording_every_order_shares_does_not_make_a_hotspot(district):
    """The demo's November had one "hotspot" of 90 consultations on six unrelated matters
    (household registration, marriage, residence permits, sole traders …), labelled 咨询新生儿落户
    with the category 居住证积分: each order's own matter was a few characters among the
    hotline's shared wording (市民来电反映 … 需要哪些材料。诉求：希望得到答复。), which every
    bigram weighed as much as the matter. Weighted by how rare they are in the period, the
    shared words count little, and each matter is a hotspot of its own."""
    topic_of = {}
    for i in range(120):
        title, matter = CONSULTATIONS[i % len(CONSULTATIONS)]
        order = new_order(
            district,
            title=title,
            description=f"{OPENINGS[i % 3]}{matter}需要哪些材料。诉求：希望得到答复。",
            address="",
            category=None,
            now=at(f"2023-03-{1 + i % 28:02d} 10:00") + dt.timedelta(minutes=i),
        )
        topic_of[order.number] = title
    found = hotspots(*MARCH, limit=50)
    assert found
    for hotspot in found:
        assert len({topic_of[n] for n in hotspot.numbers}) == 1, hotspot
    assert sorted(h.size for h in found) == [20] * 6


def test_the_panel_does_not_say_no_cluster_above_the_district_wide_ones(client, district):
    # November on the demo: '本期没有成批的相似工单。' and right below it five district-wide
    # clusters of 13 to 28 orders. Without a located hotspot the panel says there is none at
    # one place; with none at all, none.
    client.force_login(district.leo)
    url = reverse("dashboard_hotspots") + "?month=2023-03"
    empty = client.get(url).content.decode()
    assert "本期没有成批的相似工单。" in empty
    for day in ("2023-03-20 09:00", "2023-03-21 10:00", "2023-03-22 11:00"):
        new_order(district, street=None, address="", now=at(day))
    html = client.get(url).content.decode()
    assert 'data-testid="hotspot-topics"' in html
    assert "本期没有成批的相似工单。" not in html
    assert "本期没有集中在某一街道或地址的成批相似工单。" in html
