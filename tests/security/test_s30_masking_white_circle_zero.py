"""A zero typed as ○ (U+25CB, a white circle) is a zero (brief h7, session 30).

Many type 〇 (the numeral zero) as ○, which an input method offers beside it and which looks the
same: "电话幺三九○○○○一二三四" is 13900001234 read out, yet public text and the logs published
it whole, as ○ was no numeral to them. ○ now reads as 0 wherever the numerals are read; standing
for a withheld name (○○小区) it joins no number and stays.
"""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_flat, mask_personal, mask_text


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("电话幺三九○○○○一二三四", "电话*******一二三四"),
        ("联系一三九○一二三四五六七", "联系*******四五六七"),
        ("座机六二三四○○○○", "座机****○○○○"),
    ],
)
def test_a_number_with_white_circle_zeros_is_masked(typed, published):
    assert mask_personal(typed) == published
    assert mask_text(typed) == published


@pytest.mark.parametrize("text", ["○○小区门口积水", "○○路○○号", "我家二○一九年装修过"])
def test_circles_that_are_no_number_stay(text):
    assert mask_personal(text) == text
    assert mask_flat(text) == text
