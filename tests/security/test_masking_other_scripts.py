"""Phone numbers written in other scripts' digits are masked too (review, session 19).

Since session 19 a number typed in Arabic-Indic or Devanagari digits is the same caller as in
ASCII (phone_numbers.ascii_digits); the masking patterns start with ``[1１]`` / ``[0０]`` and let
``电话١٣٩١٢٣٤٥٦٧٨`` through whole: into Open311's public description and into the access log."""

from __future__ import annotations

import pytest

from hotline.security.masking import mask_personal, mask_text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话١٣٩١٢٣٤٥٦٧٨", "电话*******٥٦٧٨"),  # Arabic-Indic
        ("电话१३९१२३४५६७८", "电话*******५६७८"),  # Devanagari
        ("电话١٣٩-١٢٣٤-٥٦٧٨ 与 13812345678", "电话***-****-٥٦٧٨ 与 *******5678"),
        ("座机 ٠٢١-٦٢٣٤٥٦٧٨", "座机 ***-****٥٦٧٨"),
        # Unchanged: ASCII and full-width as before, an order number, a masked number.
        ("电话13912345678", "电话*******5678"),
        ("电话１３９１２３４５６７８", "电话*******５６７８"),
        ("工单 20230309-000123", "工单 20230309-000123"),
        ("*******5678", "*******5678"),
    ],
)
def test_numbers_in_any_scripts_digits_are_masked(text, masked):
    assert mask_text(text) == masked
    assert mask_personal(text) == masked
