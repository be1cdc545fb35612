"""The caller's name is masked, the road that shares its characters is not (review, session 24:
a caller named 江宁 published '家住江*路', a caller named 和平 '和*路')."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_name, mask_personal


@pytest.mark.parametrize(
    ("text", "name", "published"),
    [
        ("家住江宁路100号，我叫江宁。", "江宁", "家住江宁路100号，我叫江*。"),
        ("和平街道的和平说", "和平", "和平街道的和*说"),
        ("我叫王小明，住共和新路。", "王小明", "我叫王**，住共和新路。"),
        ("张三来电", "张三", "张*来电"),
        ("Li Si lives on Li Si Road", "Li Si", "L* ** lives on L* ** Road"),
    ],
)
def test_a_name_before_a_place_word_is_the_place(text, name, published):
    assert mask_name(text, name) == published


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("139·1234·5678", "***·****·5678"),
        ("139•1234•5678", "***•****•5678"),
        ("139=1234=5678", "***=****=5678"),
        ("139#1234#5678", "***#****#5678"),
        ("【139】12345678", "【***】****5678"),
        ("[139]1234-5678", "[***]****-5678"),
        ("2026·12·01", "2026·12·01"),
        ("[1][2][3]", "[1][2][3]"),
    ],
)
def test_a_mobile_split_by_a_dot_mark_an_equals_a_hash_or_square_brackets_is_masked(
    typed, published
):
    # Review, session 24 (M6): these separators were published whole after 3c44120.
    assert mask_personal(typed) == published
