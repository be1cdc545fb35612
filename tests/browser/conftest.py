"""Browser tests: a real Chromium, driven by Playwright's sync API, against the live server.

- One Chromium for the whole browser package (``browser``); each person gets their own browser
  context (cookies, session, language) through ``open_as``, and logs in through the login form.
- The database is pytest-django's transactional one (the live server runs in another thread and
  must see committed rows); ``town`` is the shared ``district`` with Chinese names and a few dozen
  orders in every queue, so the desks and screenshots look like a working day.
- Pages are zh-Hans (the browser sends ``Accept-Language: zh-CN``): tests select elements by stable
  attributes (``data-action``, ``data-state``, ``data-tab``, ``data-testid``, form field names),
  never by translated text.
- Without Chromium at ``/usr/bin/chromium`` (or ``$HOTLINE_CHROMIUM``) every test here is skipped;
  CI installs it. Never run ``playwright install``: the browser is the system's.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hotline import clock
from hotline.orders import actions
from hotline.orders.models import ContactWay, Kind, ReplyResult, Satisfaction, WorkOrder
from hotline.org.models import Category, Unit, UnitKind, User
from hotline.sla.models import Urgency
from tests.conftest import PASSWORD, District
from tests.orders.factory import new_order

CHROMIUM = Path(os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium"))
# No network here (and none on a government intranet): without the background-networking flags
# Chromium keeps trying to reach Google's update and sync services.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 1024, "height": 768}
# Screenshots refresh docs/screenshots/ only when asked (`make screenshots`), so an ordinary
# test run leaves the tree clean; otherwise they go to a scratch folder and still render.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("HOTLINE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "hotline-screenshots"
)
TIMEOUT_MS = 10_000

NAMES = {
    "olga": "王丽",
    "dan": "陈东",
    "una": "刘芸",
    "nina": "黄静",
    "victor": "赵伟",
    "cathy": "孙倩",
    "sam": "周山",
    "leo": "李磊",
    "ada": "吴敏",
}


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless Chromium for every test in this package."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: the browser tests need it (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an asyncio event loop in this (the main) thread, so Django sees
    # an "async context" and refuses ORM calls from test code and fixtures with
    # SynchronousOnlyOperation. Nothing here is async: the ORM is only ever used from this thread
    # while the browser waits, and the live server answers in its own threads. The flag is set
    # only while the browser runs (this package), so the rest of the suite keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    # `expect(...)` has its own default wait (5 s), apart from the contexts' TIMEOUT_MS: the same
    # allowance for both, since `make test` runs the SQLite and PostgreSQL suites side by side and
    # a page may take longer than 5 s on two busy cores.
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# --- the district, with a day's work in it ----------------------------------------------------


@dataclass
class Town:
    d: District
    noise: Category  # 施工噪声 (default unit: the street)
    pension: Category  # 老年人补贴 (default unit: the bureau)
    road: Category  # 道路破损 (default unit: the street)
    regular_caller: str  # a phone number with earlier orders (caller history)
    victors_order: WorkOrder  # at the bureau: Una must never see it


def _leaf(code: str, path: tuple[str, str, str], unit: Unit, d: District) -> Category:
    top, _ = Category.objects.get_or_create(code=code[:4], defaults={"name": path[0]})
    mid, _ = Category.objects.get_or_create(
        code=code[:9], defaults={"name": path[1], "parent": top}
    )
    return Category.objects.create(
        code=code, name=path[2], parent=mid, default_unit=unit, deadline_policy=d.policy
    )


def build_town(d: District) -> Town:
    for username, name in NAMES.items():
        User.objects.filter(username=username).update(first_name=name)
    for i, (code, name) in enumerate([("smel", "石门二路街道"), ("njxl", "南京西路街道")], 2):
        Unit.objects.create(code=code, name=name, kind=UnitKind.STREET, sort_order=i)
    road = _leaf("cxjs-szss-dlps", ("城乡建设", "市政设施", "道路破损"), d.street, d)
    noise = _leaf("hjbh-zsxr-sgzs", ("环境保护", "噪声扰民", "施工噪声"), d.street, d)
    pension = _leaf("shbz-ylfw-lnbt", ("社会保障", "养老服务", "老年人补贴"), d.bureau, d)
    litter = _leaf("hjbh-hjws-ljqy", ("环境保护", "环境卫生", "垃圾清运"), d.street, d)
    welfare = _leaf("shbz-shjz-dbsq", ("社会保障", "社会救助", "低保申请"), d.bureau, d)

    now = clock.now()

    def ago(hours: float) -> dt.datetime:
        return now - dt.timedelta(hours=hours)

    def order(hours: float, **fields: Any) -> WorkOrder:
        return new_order(d, now=ago(hours), **fields)

    regular = "13901762288"
    # New, waiting on the dispatch desk.
    order(
        2,
        title="夜间施工噪声扰民",
        description="昌平路 990 弄对面工地每晚 22 点后仍在打桩，居民无法入睡，希望尽快制止。",
        citizen_name="李女士",
        citizen_phone="13601234567",
        address="静安区昌平路 990 弄",
        category=noise,
        kind=Kind.COMPLAINT,
    )
    order(
        1,
        title="咨询高龄老人营养补贴发放时间",
        description="父亲今年满 90 周岁，想了解高龄营养补贴如何申请、每月何时发放。",
        citizen_name="陈先生",
        citizen_phone=regular,
        address="静安区武定路 1000 号",
        category=pension,
        kind=Kind.CONSULTATION,
    )
    # At the street: to sign for, handling, overdue and supervised.
    pothole = order(
        20,
        title="人行道地砖松动积水",
        description="西康路 300 号门口人行道地砖松动，下雨后积水，老人走路容易滑倒。",
        citizen_name="周阿姨",
        citizen_phone="13764451209",
        address="静安区西康路 300 号",
        category=road,
        urgency=Urgency.URGENT,
    )
    actions.dispatch(pothole, d.dan, lead_unit=d.street, now=ago(19))
    # Old enough that the reply deadline has passed whatever the time of day or holidays, and
    # marked overdue just after that deadline (not at a fixed "hours ago", which would depend on
    # whether "now" falls inside working hours).
    late = order(
        24 * 20,
        title="小区门口路灯长期不亮",
        description="常德路 800 弄门口两盏路灯已坏一个多月，晚上出入很不安全。",
        citizen_name="吴先生",
        citizen_phone=regular,
        address="静安区常德路 800 弄",
    )
    actions.dispatch(late, d.dan, lead_unit=d.street, now=ago(24 * 20 - 1))
    actions.accept(late, d.una, now=ago(24 * 19))
    actions.mark_overdue(late, now=late.reply_due + dt.timedelta(minutes=5))
    actions.supervise(late, d.sam, working_days=2, note="超期未办结，请街道加快处理。", now=ago(1))
    handling = order(
        30,
        title="垃圾厢房异味严重",
        description="胶州路 522 弄垃圾厢房清运不及时，夏天异味很大，请督促物业处理。",
        citizen_name="郑女士",
        citizen_phone="13817263540",
        address="静安区胶州路 522 弄",
        category=litter,
    )
    actions.dispatch(handling, d.dan, lead_unit=d.street, now=ago(29))
    actions.accept(handling, d.una, now=ago(27))
    actions.first_contact(handling, d.una, way=ContactWay.PHONE, now=ago(26))
    stalled = order(
        24 * 18,
        title="居家养老服务补贴未到账",
        description="母亲上月起享受居家养老服务补贴，但至今两个月未到账，多次询问无果。",
        citizen_name="马女士",
        citizen_phone="13671120934",
        address="静安区余姚路 60 号",
        category=pension,
    )
    actions.dispatch(stalled, d.dan, lead_unit=d.bureau, now=ago(24 * 18 - 1))
    actions.accept(stalled, d.victor, now=ago(24 * 17))
    actions.mark_overdue(stalled, now=stalled.reply_due + dt.timedelta(minutes=5))
    # At the bureau: Victor's, never Una's.
    victors = order(
        5,
        title="低保申请材料审核进度查询",
        description="上月已向街道社区事务受理中心递交低保申请材料，至今未收到审核结果。",
        citizen_name="孙先生",
        citizen_phone="15000872316",
        address="静安区康定路 1200 号",
        category=welfare,
    )
    actions.dispatch(victors, d.dan, lead_unit=d.bureau, now=ago(4))
    # Replied, waiting for the dispatcher's review.
    replied = order(
        50,
        title="路口信号灯时间过短",
        description="江宁路海防路口行人绿灯只有 15 秒，老人过马路来不及。",
        citizen_name="钱先生",
        citizen_phone="13524107788",
        address="静安区江宁路海防路口",
        category=road,
        kind=Kind.SUGGESTION,
    )
    actions.dispatch(replied, d.dan, lead_unit=d.street, now=ago(49))
    actions.accept(replied, d.una, now=ago(48))
    actions.first_contact(replied, d.una, way=ContactWay.PHONE, now=ago(47))
    actions.reply(
        replied,
        d.una,
        result=ReplyResult.EXPLAINED,
        text="已将市民建议转交区交警支队，信号配时将在下月统一评估调整。",
        now=ago(6),
    )
    # Reviewed, waiting for the callback.
    for hours, title, name, phone, text in [
        (70, "楼道堆物占用消防通道", "何先生", "13916675432", "已联系物业清理堆物并张贴消防提示。"),
        (90, "共享单车乱停放堵塞盲道", "吴先生", regular, "已通知运营企业清运车辆并增设停放点位。"),
    ]:
        done = order(
            hours,
            title=title,
            description=f"{title}，希望有关部门尽快处理。",
            citizen_name=name,
            citizen_phone=phone,
            address="静安区新闸路 1500 弄",
            category=road,
        )
        actions.dispatch(done, d.dan, lead_unit=d.street, now=ago(hours - 1))
        actions.accept(done, d.una, now=ago(hours - 2))
        actions.first_contact(done, d.una, way=ContactWay.VISIT, now=ago(hours - 3))
        actions.reply(done, d.una, result=ReplyResult.RESOLVED, text=text, now=ago(hours - 20))
        actions.approve_reply(done, d.dan, now=ago(hours - 22))
    closed = order(
        24 * 20,
        title="小区绿化带杂草丛生",
        description="延平路 121 弄绿化带多月无人修剪。",
        citizen_name="冯女士",
        citizen_phone=regular,
        address="静安区延平路 121 弄",
        category=road,
    )
    actions.dispatch(closed, d.dan, lead_unit=d.street, now=ago(24 * 20 - 1))
    actions.accept(closed, d.una, now=ago(24 * 20 - 2))
    actions.first_contact(closed, d.una, way=ContactWay.PHONE, now=ago(24 * 20 - 3))
    actions.reply(closed, d.una, result=ReplyResult.RESOLVED, text="已修剪。", now=ago(24 * 18))
    actions.approve_reply(closed, d.dan, now=ago(24 * 18 - 1))
    actions.callback(
        closed, d.cathy, resolved=True, satisfaction=Satisfaction.SATISFIED, now=ago(24 * 17)
    )
    return Town(
        d=d,
        noise=noise,
        pension=pension,
        road=road,
        regular_caller=regular,
        victors_order=victors,
    )


@pytest.fixture
def town(transactional_db, district: District, live_server) -> Town:
    """The district, committed (transactional_db) so the live server's threads see it."""
    return build_town(district)


# --- people in their own browsers -------------------------------------------------------------


ASSETS = {"stylesheet", "script", "image", "font"}


@pytest.fixture
def open_as(browser, live_server) -> Iterator[Callable[..., Any]]:
    """``open_as(user)``: a fresh browser context for this person, logged in; returns its page."""
    contexts = []
    # Uncaught JavaScript errors, server errors, missing CSS/JS/images, CSP refusals.
    errors: list[str] = []

    def check_response(response: Any) -> None:
        asset = response.request.resource_type in ASSETS and "favicon" not in response.url
        if response.status >= 500 or (asset and response.status >= 400):
            errors.append(f"{response.url}: HTTP {response.status}")

    def check_console(page: Any, message: Any) -> None:
        # The Content-Security-Policy (production mode) must never have to refuse anything.
        if "Content Security Policy" in message.text:
            errors.append(f"{page.url}: {message.text}")

    def watch(page: Any) -> None:
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        page.on("response", check_response)
        page.on("console", lambda message: check_console(page, message))

    def open_as(user: User | None, viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", watch)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            log_in(page, user.username)
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not errors, "errors in the browser:\n" + "\n".join(errors)


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Through the real login form, as a person would."""
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    # Logged in: the log-out button is in the header.
    page.locator("form[action$='/logout/'] button").wait_for()


def open_tab(page: Any, tab: str) -> None:
    """Click one of a desk's tabs (a plain link: the page loads again with that tab selected)."""
    link = page.locator(f"a[data-tab={tab}]")
    with page.expect_navigation():
        link.click()
    assert link.get_attribute("aria-selected") == "true"


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save ``docs/screenshots/<name>.png`` once the fonts are in."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.fonts.ready.then(() => true)")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path
