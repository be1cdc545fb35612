"""The leader dashboard on a copy of the demo database, as one JSON line.

    python bench/dashboard.py [--data-dir DIR] [--runs 5] [--at "2026-12-07 09:40"] [--url URL]

``--data-dir`` holds a copy of the demo database and its secret key (``hotline.sqlite3`` and
``secret_key``, as ``HOTLINE_DATA_DIR`` expects; default ``/tmp/bench-dashboard``, copied from
``var/`` when missing). The clock is held at ``--at`` (Shanghai time; a weekday morning, so the
page opens on the last complete month) and the leader ``leader`` opens ``--url`` (default
``/dashboard/``) through the Django test client ``--runs`` times *cold* (the cache emptied first:
the morning's first visit, all six trend months computed) and ``--runs`` times *warm* (the
finished months' trend points cached, as for the next visits within the hour).

Printed: median and each run's wall and CPU seconds of both, the queries of the last run of each,
the page's size in bytes, its links and its drill-down links. Nothing is written to the database
but the leader's session.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", default="/tmp/bench-dashboard")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--at", default="2026-12-07 09:40")
    parser.add_argument("--url", default="/dashboard/")
    args = parser.parse_args()
    data = Path(args.data_dir)
    if not (data / "hotline.sqlite3").exists():
        data.mkdir(parents=True, exist_ok=True)
        for name in ("hotline.sqlite3", "secret_key"):
            shutil.copy2(REPO / "var" / name, data / name)
    os.environ["HOTLINE_DATA_DIR"] = str(data)
    os.environ.setdefault("DEBUG", "true")  # the demo's development settings (its secret key file)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

    import django
    import time_machine

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hotline.org.models import User

    shanghai = dt.timezone(dt.timedelta(hours=8))
    instant = dt.datetime.fromisoformat(args.at).replace(tzinfo=shanghai)
    result: dict[str, object] = {"url": args.url, "at": instant.isoformat(), "runs": args.runs}
    with time_machine.travel(instant, tick=True):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username="leader"))
        client.get(args.url)  # untimed: imports, templates, the first request's reads
        for kind in ("cold", "warm"):
            walls, cpus = [], []
            for _ in range(args.runs):
                if kind == "cold":
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    wall, cpu = time.perf_counter(), time.process_time()
                    response = client.get(args.url)
                    walls.append(time.perf_counter() - wall)
                    cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, response.status_code
            result[kind] = {
                "median_s": round(statistics.median(walls), 3),
                "median_cpu_s": round(statistics.median(cpus), 3),
                "wall_s": [round(t, 3) for t in walls],
                "cpu_s": [round(t, 3) for t in cpus],
                "queries": len(queries),
            }
        body = response.content.decode()
    result.update(
        bytes=len(body), links=body.count("<a "), drill_links=body.count("/dashboard/orders?")
    )
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
