"""Masking reads numbers in either width and identity-card numbers written in parts (security
review, session 18: Open311's public feed published them whole)."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal, mask_text


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("１３９１２３４５６７８", "*******５６７８"),
        ("＋８６ １３９１２３４５６７８", "＋８６ *******５６７８"),
        ("０２１－６２３４５６７８", "***－****５６７８"),
        ("１３９ １２３４ ５６７８", "*** **** ５６７８"),
    ],
)
def test_full_width_phone_numbers_are_masked(typed, masked):
    assert mask_text(typed) == masked


@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("310101 19900101 1234", "310101 ******** 1234"),
        ("310101-19900101-123X", "310101-********-123X"),
        ("３１０１０１１９９００１０１１２３Ｘ", "３１０１０１********１２３Ｘ"),
        ("310101199001011234", "310101********1234"),
    ],
)
def test_identity_card_numbers_in_parts_or_full_width_are_masked(typed, masked):
    assert mask_personal(typed) == masked


@pytest.mark.parametrize(
    "text",
    [
        "３号楼２０１室",
        "订单20230309-000123",
        "２０２３年３月９日",
        "工单号 ２０２３０３０９－０００１２３",
    ],
)
def test_full_width_text_that_is_no_number_is_left_alone(text):
    assert mask_personal(text) == text
