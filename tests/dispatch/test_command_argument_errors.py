"""An administrator mistypes a number on ``hotline dispatch``: the error said ``invalid _positive
value: '0'`` (the name of a Python function) and ``invalid _precision value: '2'``, never what the
value must be. It says the rule now."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("train", "--folds", "0"), "argument --folds: must be a whole number of at least 1"),
        (("changes", "--limit", "x"), "argument --limit: must be a whole number of at least 1"),
        (
            ("evaluate", "--train", "a.csv", "--test", "b.csv", "--target-precision", "2"),
            "argument --target-precision: must be a number above 0 and at most 1",
        ),
        (
            ("retrain", "--target-precision", "high"),
            "argument --target-precision: must be a number above 0 and at most 1",
        ),
    ],
)
def test_a_bad_number_says_what_it_must_be(args, said):
    with pytest.raises(CommandError) as refused:
        call_command("dispatch", *args)
    assert said in str(refused.value)
    assert "_positive" not in str(refused.value) and "_precision" not in str(refused.value)
