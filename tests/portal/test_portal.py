"""The citizen portal: submit, track with number and phone, rate through the link, statistics;
abuse limits and clear error pages. No login anywhere."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from hotline.orders import actions
from hotline.orders.models import Action, Channel, ReplyResult, State, WorkOrder
from hotline.org.models import Place, PlaceKind
from hotline.portal.tokens import rating_token
from tests.conftest import at
from tests.forms import one_time_token

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)
PHONE = "13601234567"


@pytest.fixture
def citizen() -> Client:
    return Client(enforce_csrf_checks=False, HTTP_ACCEPT_LANGUAGE="en")


def submit(client: Client, district, **overrides):
    data = {
        "category": district.category.pk,
        "description": "江宁路昌平路口的路灯连续三晚不亮，夜里很黑。",
        "address": "静安区江宁路 500 号",
        "phone": PHONE,
        **overrides,
    }
    return client.post("/portal/submit/", data)


def submitted_number(client: Client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    return re.search(r'data-testid="number">([0-9-]+)<', page).group(1)


def track(client: Client, number: str, phone: str = PHONE):
    return client.post("/portal/track/", {"number": number, "phone": phone})


def replied_and_approved(order: WorkOrder, d) -> None:
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way="phone")
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已更换灯泡，路灯恢复正常。")
    actions.approve_reply(order, d.dan)


def test_pages_answer_without_login_in_chinese_by_default(district):
    for url in ("/portal/", "/portal/submit/", "/portal/track/", "/portal/statistics/"):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert '<html lang="zh-hans">' in response.content.decode()
    assert "提交诉求" in Client().get("/portal/").content.decode()


def test_a_submission_is_registered_as_a_web_order(district, citizen):
    Place.objects.create(kind=PlaceKind.ROAD, name="江宁路", street=district.street)
    number = submitted_number(citizen, submit(citizen, district))
    order = WorkOrder.objects.get(number=number)
    assert (order.channel, order.state, order.category) == (
        Channel.WEB,
        State.REGISTERED,
        district.category,
    )
    assert (order.citizen_phone, order.title, order.street) == (PHONE, "路灯损坏", district.street)
    assert list(order.events.values_list("action", "actor")) == [(Action.REGISTER, None)]


def test_the_phone_may_be_typed_with_spaces_and_dashes(district, citizen):
    number = submitted_number(citizen, submit(citizen, district, phone="136-0123 4567"))
    assert WorkOrder.objects.get(number=number).citizen_phone == PHONE


def test_a_photo_is_attached_to_the_order(district, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("lamp.png", PNG, content_type="image/png")
    number = submitted_number(citizen, submit(citizen, district, photo=photo))
    [attachment] = WorkOrder.objects.get(number=number).attachments.all()
    assert (attachment.name, attachment.size, attachment.uploaded_by) == (
        "lamp.png",
        len(PNG),
        None,
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("lamp.png", b"this is not an image at all"), ("lamp.exe", PNG), ("notes.pdf", b"%PDF-1.4")],
)
def test_only_real_photos_are_accepted(district, citizen, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = submit(citizen, district, photo=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert 'data-testid="error-photo"' in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_a_photo_above_the_limit_comes_back_on_the_form_with_what_was_typed(
    district, citizen, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = PNG + b"\0" * (settings.PORTAL_PHOTO_MB * 1024 * 1024 + 100 * 1024)
    response = submit(citizen, district, photo=SimpleUploadedFile("big.png", big))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The photo is too large: at most 5 MB." in page
    assert "江宁路昌平路口的路灯连续三晚不亮" in page  # the description is kept
    assert 'value="静安区江宁路 500 号"' in page
    assert f'value="{PHONE}"' in page
    assert not WorkOrder.objects.exists()


def test_the_form_states_the_photo_limit_for_the_browser_to_check(district, citizen):
    page = citizen.get("/portal/submit/").content.decode()
    assert "at most 5 MB" in page
    assert f'data-max-bytes="{5 * 1024 * 1024}"' in page
    assert "hotline/portal-photo.js" in page


def test_a_body_far_beyond_any_photo_gets_a_clear_page(district, citizen, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = PNG + b"\0" * (5 * settings.PORTAL_PHOTO_MB * 1024 * 1024)
    response = submit(citizen, district, photo=SimpleUploadedFile("huge.png", huge))
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_sending_the_same_form_twice_registers_once(district, citizen):
    token = one_time_token(citizen.get("/portal/submit/"))
    first = submitted_number(citizen, submit(citizen, district, submission=token))
    again = submitted_number(citizen, submit(citizen, district, submission=token))
    assert again == first
    assert WorkOrder.objects.count() == 1
    # A new form is a new request.
    submitted_number(citizen, submit(citizen, district))
    assert WorkOrder.objects.count() == 2


@pytest.mark.parametrize(
    ("number", "phone"),
    [
        ("{digits}", "+86 136 0123 4567"),
        (" {dashed} ", "136 0123 4567"),
        ("{digits}", "0086-13601234567"),
        ("{fullwidth}", "１３６０１２３４５６７"),
        # Another script's digits (Arabic-Indic), as a phone's keyboard may type them.
        ("{arabic}", "13601234567"),
    ],
)
def test_tracking_takes_the_number_without_its_dash_and_phones_as_people_write_them(
    district, citizen, number, phone
):
    dashed = submitted_number(citizen, submit(citizen, district))
    digits = dashed.replace("-", "")
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in digits)
    arabic = "".join(chr(ord(c) - ord("0") + 0x0660) for c in digits)
    typed = number.format(digits=digits, dashed=dashed, fullwidth=fullwidth, arabic=arabic)
    page = track(citizen, typed, phone).content.decode()
    assert f">{dashed}<" in page or dashed in page
    assert "No request matches" not in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "太短"), ("phone", "call me"), ("address", ""), ("category", "999999")],
)
def test_bad_input_is_shown_next_to_the_field(district, citizen, field, value):
    response = submit(citizen, district, **{field: value})
    assert response.status_code == 200
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_one_phone_number_may_submit_only_so_many_a_day(district, settings):
    for i in range(settings.PORTAL_SUBMITS_PER_PHONE_DAY):
        # Different addresses (as if from different networks): only the phone limit applies.
        client = Client(REMOTE_ADDR=f"203.0.113.{i + 1}")
        assert submit(client, district).status_code == 302
    refused = submit(Client(REMOTE_ADDR="198.51.100.7"), district)
    assert refused.status_code == 429
    assert WorkOrder.objects.count() == settings.PORTAL_SUBMITS_PER_PHONE_DAY
    # Another phone from the same address is still welcome.
    assert (
        submit(Client(REMOTE_ADDR="198.51.100.7"), district, phone="13912345678").status_code == 302
    )


def test_one_address_may_submit_only_so_many_an_hour(district, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(settings.PORTAL_SUBMITS_PER_IP_HOUR):
        assert submit(client, district, phone=f"1390000{i:04d}").status_code == 302
    assert submit(client, district, phone="13711112222").status_code == 429
    assert WorkOrder.objects.count() == settings.PORTAL_SUBMITS_PER_IP_HOUR


def test_the_limit_window_slides(district, settings):
    client = Client(REMOTE_ADDR="203.0.113.9")
    with time_machine.travel(at("2023-03-09 09:00"), tick=False):
        for i in range(settings.PORTAL_SUBMITS_PER_IP_HOUR):
            assert submit(client, district, phone=f"1390000{i:04d}").status_code == 302
        assert submit(client, district, phone="13711112222").status_code == 429
    with time_machine.travel(at("2023-03-09 10:01"), tick=False):
        assert submit(client, district, phone="13711112222").status_code == 302


def test_tracking_shows_the_state_but_nothing_personal(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    page = track(citizen, number).content.decode()
    assert 'data-state="received"' in page and number in page
    assert PHONE not in page and "江宁路昌平路口" not in page  # not even the citizen's own text


def test_a_wrong_phone_or_number_gets_the_same_answer(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    wrong_phone = track(citizen, number, "13900000000").content.decode()
    wrong_number = track(citizen, "20230309-999999").content.decode()
    for page in (wrong_phone, wrong_number):
        assert "No request matches this number and phone number." in page
        assert 'data-testid="status"' not in page


def test_tracking_is_limited_per_address(district, settings):
    client = Client(REMOTE_ADDR="203.0.113.50")
    for _ in range(settings.PORTAL_LOOKUPS_PER_IP_HOUR):
        assert track(client, "20230309-000001").status_code == 200
    assert track(client, "20230309-000001").status_code == 429


def test_the_reply_and_rating_link_appear_once_the_reply_is_approved(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    order = WorkOrder.objects.get(number=number)
    actions.dispatch(order, district.dan, lead_unit=district.street)
    actions.accept(order, district.una)
    actions.reply(order, district.una, result=ReplyResult.RESOLVED, text="已更换灯泡。")
    page = track(citizen, number).content.decode()
    assert 'data-state="in_progress"' in page and "已更换灯泡" not in page
    assert 'data-testid="rate-link"' not in page
    actions.approve_reply(order, district.dan)
    page = track(citizen, number).content.decode()
    assert 'data-state="answered"' in page and "已更换灯泡" in page
    assert "江宁路街道" in page
    assert 'data-testid="rate-link"' in page


def test_rating_is_a_callback_by_the_citizen_and_closes_the_order(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    order = WorkOrder.objects.get(number=number)
    replied_and_approved(order, district)
    page = track(citizen, number).content.decode()
    link = re.search(r'href="(/portal/rate/[^"]+)" data-testid="rate-link"', page).group(1)
    assert citizen.get(link).status_code == 200
    response = citizen.post(
        link, {"resolved": "yes", "satisfaction": "basically_satisfied", "comment": "谢谢"}
    )
    assert response.status_code == 200
    order.refresh_from_db()
    assert (order.state, order.callback_resolved, order.satisfaction) == (
        State.CLOSED,
        True,
        "basically_satisfied",
    )
    event = order.events.get(action=Action.CALLBACK)
    assert event.actor is None and "谢谢" in event.reason
    assert event.payload == {"resolved": True, "satisfaction": "basically_satisfied"}
    # The link worked once.
    again = citizen.post(link, {"resolved": "no", "satisfaction": "dissatisfied"})
    assert again.status_code == 410
    order.refresh_from_db()
    assert order.satisfaction == "basically_satisfied"


def test_a_dissatisfied_rating_leaves_the_order_for_the_centre(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    order = WorkOrder.objects.get(number=number)
    replied_and_approved(order, district)
    link = f"/portal/rate/{rating_token(order)}/"
    citizen.post(link, {"resolved": "no", "satisfaction": "dissatisfied"})
    order.refresh_from_db()
    assert (order.state, order.satisfaction) == (State.REVIEWED, "dissatisfied")
    assert citizen.get(link).status_code == 410


def test_a_forged_or_early_rating_link_is_refused(district, citizen):
    number = submitted_number(citizen, submit(citizen, district))
    order = WorkOrder.objects.get(number=number)
    early = rating_token(order)  # the order is not replied yet
    assert citizen.get(f"/portal/rate/{early}/").status_code == 410
    replied_and_approved(order, district)
    forged = rating_token(order)[:-3] + "abc"
    response = citizen.post(
        f"/portal/rate/{forged}/", {"resolved": "yes", "satisfaction": "satisfied"}
    )
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    order.refresh_from_db()
    assert order.state == State.REVIEWED


def test_statistics_count_months_resolution_and_satisfaction(district, citizen):
    with time_machine.travel(at("2023-02-10 10:00"), tick=False):
        for satisfaction in ("satisfied", "dissatisfied"):
            order = actions.register(
                district.olga, title="路灯", description="路灯不亮", category=district.category
            )
            replied_and_approved(order, district)
            actions.callback(
                order,
                district.cathy,
                resolved=satisfaction == "satisfied",
                satisfaction=satisfaction,
            )
    with time_machine.travel(at("2023-03-09 10:00"), tick=False):
        submit(citizen, district)
        page = citizen.get("/portal/statistics/").content.decode()
    february = re.search(r'<tr data-month="2023-02">(.*?)</tr>', page, re.S).group(1)
    march = re.search(r'<tr data-month="2023-03">(.*?)</tr>', page, re.S).group(1)
    assert '<span data-testid="received">2</span>' in february
    assert "50.0%" in february  # one of two resolved, one of two satisfied
    assert '<span data-testid="received">1</span>' in march
    totals = re.search(r'data-testid="totals">(.*?)</div>\s*<div class="table-scroll">', page, re.S)
    assert "<strong>3</strong>" in totals.group(1) and "<strong>50.0%</strong>" in totals.group(1)
    assert PHONE not in page


def test_error_pages_are_translated(district):
    client = Client(REMOTE_ADDR="203.0.113.77")
    page = client.get("/portal/rate/nonsense/").content.decode()
    assert "链接" in page  # zh-Hans by default
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/portal/rate/nonsense/").content.decode()
    assert "This link no longer works" in english
