"""Nina's 居委会 attaches a photo of the site to an order her street assigned it (二级派单): the
street's timeline showed an empty 备注 line — who and when, but not that a file came, nor which.
The line names the file, in the reader's language."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hotline.orders import actions
from hotline.orders.models import State
from tests.orders.factory import order_in
from tests.web.test_order_pages import page


def _comment_lines(html: str) -> list[str]:
    return re.findall(r'<li data-action="comment">.*?</li>', html, re.S)


def test_the_street_s_timeline_names_the_file_its_neighbourhood_attached(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.attach(order, d.una_nb, upload=SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n"))
    url = reverse("order_detail", args=[order.number])

    (line,) = _comment_lines(page(client, d.una, url).content.decode())
    assert '<span class="fact" data-testid="fact">已上传 现场照片.png。</span>' in line
    (line,) = _comment_lines(page(client, d.una, url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert '<span class="fact" data-testid="fact">Attached 现场照片.png.</span>' in line


def test_a_plain_comment_has_no_file_fact(client, district):
    d = district
    order = order_in(State.ACCEPTED, d, inside=d.neighbourhood)
    actions.comment(order, d.una_nb, text="已约市民明天上门")
    (line,) = _comment_lines(
        page(client, d.una, reverse("order_detail", args=[order.number])).content.decode()
    )
    assert 'data-testid="fact"' not in line and "已约市民明天上门" in line
