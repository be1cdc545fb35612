"""bench/kpi.py's cross-check on a small log: DuckDB, given the same events and hand-written SQL
for the definitions in docs/kpis.md, finds the same per-unit figures as kpis.compute."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "kpi.py"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the benchmark builds its own databases; once per suite run is enough",
)
def test_an_independent_engine_finds_the_same_kpis():
    pytest.importorskip("duckdb")
    done = subprocess.run(
        [sys.executable, str(BENCH), "--orders", "2000", "--backends", "sqlite", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])["sqlite"]
    assert result["orders"] == 2000 and result["events"] > 10000
    assert result["events_in_month"] > 0
    assert result["duckdb_matches"] is True, result.get("duckdb_differences")
