"""The pre-review pages as Chen Li and the clerks use them: the portal's upload form and her
status page by her link; the hall's queue and review page. Bad input comes back on the page with
what was typed; files are served only to the hall's staff and to her link; another hall's clerk
finds nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from hotline.hall import actions as hall
from hotline.hall.identity import holder_key
from hotline.hall.models import Source
from hotline.prereview.models import PreReview, PreReviewState
from tests.cases.conftest import serve
from tests.conftest import at
from tests.forms import logged_in
from tests.prereview.conftest import CHEN_PHONE, pdf, png

pytestmark = pytest.mark.django_db


def _form_url(pt) -> str:
    return f"/portal/prereview/new/{pt.hall.code}/{pt.residence.code}/"


def test_chen_finds_the_matter_uploads_two_materials_and_follows_it(pt):
    chen = Client()
    start = chen.get("/portal/prereview/").content.decode()
    assert "居住证办理" in start and _form_url(pt) in start
    form = chen.get(_form_url(pt)).content.decode()
    for name in ("居民身份证", "居住登记表", "房屋租赁合同", "近期照片"):
        assert name in form
    sent = chen.post(
        _form_url(pt),
        {
            "name": "陈丽",
            "phone": CHEN_PHONE,
            f"material_{pt.id_card.pk}": pdf("身份证.pdf"),
            f"material_{pt.form.pk}": png("登记表.png"),
        },
    )
    review = PreReview.objects.get()
    assert sent.status_code == 302 and sent["Location"].endswith(f"/s/{review.token}/")
    page = chen.get(sent["Location"]).content.decode()
    assert review.number in page and "身份证.pdf" in page
    own = review.files.order_by("pk").first()
    got = chen.get(f"/portal/prereview/s/{review.token}/files/{own.pk}")
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")


def test_a_wrong_file_comes_back_on_the_form_with_what_she_typed(pt):
    page = Client().post(
        _form_url(pt),
        {
            "name": "陈丽",
            "phone": CHEN_PHONE,
            f"material_{pt.id_card.pk}": pdf("身份证.pdf"),
            f"material_{pt.form.pk}": png("登记表.exe"),
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert f'data-testid="error-material_{pt.form.pk}"' in text
    assert 'value="陈丽"' in text and CHEN_PHONE in text
    assert not PreReview.objects.exists()


def test_a_body_beyond_every_file_limit_comes_back_on_the_form(pt, settings):
    settings.MAX_ATTACHMENT_MB = 1
    huge = pdf("身份证.pdf", size=5 * 1024 * 1024)
    got = Client().post(
        _form_url(pt),
        {"name": "陈丽", "phone": CHEN_PHONE, f"material_{pt.id_card.pk}": huge},
    )
    assert got.status_code == 413 and not PreReview.objects.exists()
    text = got.content.decode()
    assert 'data-testid="form-errors"' in text and 'value="陈丽"' in text


def test_a_link_that_is_not_hers_finds_nothing(pt):
    review = pt.chen_files()
    own = review.files.first()
    other = pt.chen_files()
    assert Client().get("/portal/prereview/s/not-a-token/").status_code == 404
    assert Client().get(f"/portal/prereview/s/{other.token}/files/{own.pk}").status_code == 404


def test_wendy_asks_for_the_lease_and_chen_resends_it_on_her_page(pt):
    review = pt.chen_files()
    wendy = logged_in(pt.wendy)
    queue = wendy.get("/prereview/").content.decode()
    assert review.number in queue
    page = wendy.get(f"/prereview/{review.number}/").content.decode()
    assert "身份证.pdf" in page and 'data-testid="ask-more-form"' in page
    # No note: refused, and the ticks come back as they were.
    refused = wendy.post(
        f"/prereview/{review.number}/decide/ask_more", {"missing": [str(pt.lease.pk)]}
    )
    assert refused.status_code == 400
    assert f'value="{pt.lease.pk}" checked' in refused.content.decode()
    done = wendy.post(
        f"/prereview/{review.number}/decide/ask_more",
        {"missing": [str(pt.lease.pk)], "note": "请上传租赁合同"},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.state == PreReviewState.MORE_NEEDED

    chen = Client()
    status = chen.get(f"/portal/prereview/s/{review.token}/").content.decode()
    assert "房屋租赁合同" in status and "请上传租赁合同" in status
    nothing = chen.post(f"/portal/prereview/s/{review.token}/resubmit", {})
    assert nothing.status_code == 400
    sent = chen.post(
        f"/portal/prereview/s/{review.token}/resubmit",
        {f"material_{pt.lease.pk}": pdf("合同.pdf")},
    )
    assert sent.status_code == 302
    review.refresh_from_db()
    assert review.state == PreReviewState.RESUBMITTED
    wendy.post(f"/prereview/{review.number}/decide/pass", {"note": "请带原件"})
    review.refresh_from_db()
    assert review.state == PreReviewState.PASSED


def test_another_halls_clerk_and_a_street_handler_cannot_see_it(pt):
    review = pt.chen_files()
    own = review.files.first()
    xavier = logged_in(pt.xavier)
    assert review.number not in xavier.get("/prereview/").content.decode()
    assert xavier.get(f"/prereview/{review.number}/").status_code == 404
    assert xavier.get(f"/prereview/{review.number}/files/{own.pk}").status_code == 404
    assert xavier.post(f"/prereview/{review.number}/decide/pass").status_code == 404
    una = logged_in(pt.una)
    assert una.get("/prereview/").status_code == 403
    assert una.get(f"/prereview/{review.number}/files/{own.pk}").status_code == 404
    anonymous = Client().get(f"/prereview/{review.number}/files/{own.pk}")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    review.refresh_from_db()
    assert review.state == PreReviewState.SUBMITTED


def test_hugo_the_manager_sees_and_opens_the_file(pt):
    review = pt.chen_files()
    own = review.files.order_by("pk").first()
    got = logged_in(pt.hugo).get(f"/prereview/{review.number}/files/{own.pk}")
    assert got.status_code == 200


def test_the_desk_and_the_case_page_say_she_was_pre_reviewed(pt):
    review = pt.chen_files()
    wendy = logged_in(pt.wendy)
    wendy.post(f"/prereview/{review.number}/decide/pass", {"note": ""})
    key = holder_key(phone=CHEN_PHONE)
    with time_machine.travel(at("2026-03-10 09:00"), tick=False):
        # Given at the reception desk (staff saw her): a number typed at the kiosk shows no
        # one's pre-review at the desk (tests/cases/test_unproved_ticket_case.py).
        ticket = hall.issue(
            pt.hall,
            pt.residence,
            holder_key=key,
            holder_name="陈丽",
            source=Source.RECEPTION,
            actor=pt.ct.town.hugo,
        )
        hall.sign_in(pt.ct.town.w1, pt.wendy)
        hall.call_ticket(pt.ct.town.w1, pt.wendy, ticket, reason="测试")
        desk = wendy.get(f"/hall/{pt.hall.code}/desk/").content.decode()
        # Called, not yet served: found by her real name before any case exists.
        assert 'data-testid="prereview-summary" data-state="passed" data-materials="2"' in desk
        hall.start(ticket, pt.wendy)
    review.refresh_from_db()
    page = wendy.get(f"/cases/{review.case.number}/").content.decode()
    assert 'data-testid="prereview-summary" data-state="passed" data-materials="2"' in page
    assert f"/prereview/{review.number}/" in page
    # Someone without a pre-review gets no such line.
    _t, other = serve(pt.ct, pt.residence, at("2026-03-10 10:00"), holder_key="k-other")
    assert "prereview-summary" not in wendy.get(f"/cases/{other.number}/").content.decode()


def test_too_many_filings_from_one_phone_are_refused(pt, settings):
    settings.PORTAL_SUBMITS_PER_PHONE_DAY = 1
    chen = Client()

    def send(name: str):
        return chen.post(
            _form_url(pt),
            {"name": "陈丽", "phone": CHEN_PHONE, f"material_{pt.id_card.pk}": pdf(name)},
        )

    assert send("a.pdf").status_code == 302
    assert send("b.pdf").status_code == 429
    assert PreReview.objects.count() == 1


def test_the_admin_reads_a_pre_review_without_her_keys_or_link(pt, admin_client):
    review = pt.chen_files()
    listing = admin_client.get("/admin/prereview/prereview/")
    assert listing.status_code == 200 and review.number in listing.content.decode()
    page = admin_client.get(f"/admin/prereview/prereview/{review.pk}/change/").content.decode()
    assert review.number in page and "身份证.pdf" in page
    assert review.token not in page and review.phone_key not in page and CHEN_PHONE not in page


def test_a_missing_material_ticked_as_a_superscript_digit_is_ignored_not_a_server_error(pt):
    """A tampered form's "missing" box of "²" (str.isdigit() says yes, int() says no) was a 500
    (attack, session 30); it is dropped, and the real ticks are asked for."""
    review = pt.chen_files()
    wendy = logged_in(pt.wendy)
    done = wendy.post(
        f"/prereview/{review.number}/decide/ask_more",
        {"missing": ["²", str(pt.lease.pk)], "note": "请上传租赁合同"},
    )
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.state == PreReviewState.MORE_NEEDED
