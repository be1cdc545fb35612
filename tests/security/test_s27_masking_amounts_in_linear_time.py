"""Masking a text of many numbers asks "is this stretch inside an amount in thousands?" once per
pair of parts; it asked every amount in turn, so 4,000 characters of ``1,000-1,000-…`` (an
order's description, shown on every Open311 list) took 0.2-0.7 s (attack, session 27). The
answer now comes from a running count (``masking._covered``): these tests hold it to the plain
question it replaced, and the masking of such a text to what it was."""

from __future__ import annotations

import random

from hotline.security import masking


def _asked_in_turn(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < stop and at < end for at, stop in spans)


def test_the_running_count_answers_as_asking_every_amount_did() -> None:
    rng = random.Random(27)
    for _ in range(300):
        length = rng.randint(1, 60)
        spans = []
        for _ in range(rng.randint(0, 6)):
            at = rng.randrange(length)
            spans.append((at, rng.randint(at + 1, length)))
        covered = masking._covered("x" * length, spans)
        for start in range(length):
            for end in range(start + 1, length + 1):
                assert covered(start, end) == _asked_in_turn(spans, start, end), (spans, start, end)


def test_a_long_run_of_amounts_is_masked_as_before() -> None:
    amounts = "预算" + "1,000-" * 700 + "，联系13912345678"
    masked = masking.mask_personal(amounts)
    assert masked.startswith("预算1,000-1,000-")
    assert masked.endswith("，联系*******5678")
    assert masking.mask_text(amounts).endswith("，联系*******5678")
