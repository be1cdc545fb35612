"""``hotline dispatch evaluate --units``: the first-level block, progress on stderr."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from tests.dispatch import synthetic
from tests.dispatch.test_two_levels import FIRST_LEVEL_KEYS, TREE


def test_the_command_takes_units(tmp_path, complaints, new_complaints):
    units_csv = tmp_path / "units.csv"
    units_csv.write_text(
        "unit,first_level_unit\n" + "".join(f"{u},{p}\n" for u, p in TREE.items()),
        encoding="utf-8",
    )
    train = synthetic.write_csv(tmp_path / "train.csv", *complaints)
    test = synthetic.write_csv(tmp_path / "test.csv", *new_complaints)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "dispatch", "evaluate", "--train", str(train), "--test", str(test),
        "--units", str(units_csv), stdout=out, stderr=err,
    )  # fmt: skip
    result = json.loads(out.getvalue())
    assert set(result["first_level"]) >= FIRST_LEVEL_KEYS
    assert "fold 1/" in err.getvalue()  # training progress on stderr
