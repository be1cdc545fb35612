"""Back and submit again at intake registers the call once: the form's one-time token."""

from __future__ import annotations

from django.urls import reverse

from hotline.orders.models import WorkOrder
from tests.forms import sent_twice


def _call(district, **extra) -> dict[str, object]:
    return {
        "citizen_phone": "13900002222",
        "citizen_name": "王先生",
        "channel": "phone",
        "kind": "complaint",
        "urgency": "normal",
        "title": "小区门口夜间施工噪音",
        "description": "江宁路 500 号门口工地每晚十一点后仍在施工。",
        "address": "静安区江宁路 500 号",
        "category": district.category.pk,
        "answer_text": "",
        **extra,
    }


def test_olga_submitting_the_same_form_twice_gets_the_first_order(client, district):
    client.force_login(district.olga)
    first, again = sent_twice(client, reverse("intake"), _call(district))

    order = WorkOrder.objects.get()
    assert first["Location"] == reverse("order_detail", args=[order.number])
    assert again.redirect_chain[-1][0] == reverse("order_detail", args=[order.number])
    assert "此表单已提交过" in again.content.decode()


def test_a_form_with_errors_keeps_its_token_and_registers_when_corrected(client, district):
    client.force_login(district.olga)
    token = "t0k3n-for-one-call-0123456789"
    wrong = client.post(reverse("intake"), _call(district, submission=token, citizen_phone="x"))
    assert wrong.status_code == 200
    assert f'value="{token}"' in wrong.content.decode()
    assert not WorkOrder.objects.exists()

    client.post(reverse("intake"), _call(district, submission=token))
    client.post(reverse("intake"), _call(district, submission=token))
    assert WorkOrder.objects.count() == 1


def test_each_new_form_is_a_new_call(client, district):
    client.force_login(district.olga)
    client.post(reverse("intake"), _call(district, submission="first-form-token-0123456789"))
    client.post(reverse("intake"), _call(district, submission="second-form-token-012345678"))
    assert WorkOrder.objects.count() == 2


def test_an_overlong_direct_answer_is_refused_beside_its_box_with_the_text_kept(client, district):
    """Found in review: the answer's cap was the action's, so its error stood at the top of the
    form, not beside the answer box."""
    from hotline.orders.models import REPLY_MAX_LENGTH

    client.force_login(district.olga)
    answer = "已" * (REPLY_MAX_LENGTH + 1)
    page = client.post(reverse("intake"), _call(district, answer_text=answer))
    body = page.content.decode()
    assert not WorkOrder.objects.exists()
    assert page.context["form"].errors.get("answer_text")
    assert answer in body
