"""``hotline kpi``: the same numbers as :func:`hotline.assessment.kpis.compute`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from hotline.assessment import kpis
from tests.assessment.conftest import MARCH


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("kpi", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_functions_numbers_as_json(district, march):
    printed = json.loads(run("--from", "2023-03-01", "--to", "2023-03-31", "--json"))
    assert printed == json.loads(json.dumps(kpis.compute(*MARCH).as_dict()))
    assert printed["period"] == {
        "from": "2023-03-01T00:00:00+08:00",
        "to": "2023-04-01T00:00:00+08:00",
    }


def test_it_prints_one_unit_and_the_units_below_it(district, march):
    printed = json.loads(
        run("--from", "2023-03-01", "--to", "2023-03-31", "--unit", "jnl", "--json")
    )
    assert [u["unit"] for u in printed["units"]] == ["jnl", "jnl-01"]
    assert printed["units"][0]["on_time_reply"] == {
        "numerator": 4,
        "denominator": 7,
        "value": 57.14,
    }


def test_it_prints_a_table(district, march):
    table = run("--from", "2023-03-01", "--to", "2023-03-31")
    assert "2023-03-01 – 2023-03-31" in table
    assert "80.00 (4/5)" in table
    assert "江宁路街道" in table


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "2023-03-xx", "--to", "2023-03-31"),
        ("--from", "2023-03-31", "--to", "2023-03-01"),
        ("--from", "2023-03-01", "--to", "2023-03-31", "--unit", "nowhere"),
        ("--month", "2023-13"),
        ("--week", "yesterday"),
        ("--from", "2023-03-01"),
    ],
)
def test_it_refuses_bad_dates_and_unknown_units(district, args):
    with pytest.raises(CommandError):
        run(*args)


def test_a_month_or_a_week_is_the_same_as_its_dates(district, march):
    assert run("--month", "2023-03", "--json") == run(
        "--from", "2023-03-01", "--to", "2023-03-31", "--json"
    )
    week = json.loads(run("--week", "2023-03-08", "--json"))  # a Wednesday
    assert week["period"] == {
        "from": "2023-03-06T00:00:00+08:00",
        "to": "2023-03-13T00:00:00+08:00",
    }
