"""Production refuses a signing key anyone could know, and rating links cannot be probed for free.

The outside review ran with ``SECRET_KEY=x`` and DEBUG off, forged a citizen's rating link for
another citizen's order by trying its versions through ``GET /portal/rate/<token>/`` (not
rate-limited), and rated it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hotline.env import require_strong_secret_key, secret_key_problem
from hotline.orders import actions
from hotline.orders.models import ReplyResult
from hotline.portal.tokens import SALT, rating_token

ROOT = Path(__file__).resolve().parents[2]


def start_with_key(key: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(SECRET_KEY=key, DEBUG="false", DJANGO_SETTINGS_MODULE="hotline.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("x", "too short"),
        ("x" * 60, "too few characters"),
        ("CHANGE-ME-50-random-characters-from-docs-deploy-md", "published example"),
        ("hotline-development-only-secret-key-do-not-use-in-production", "published example"),
        ("django-insecure-" + "a1b2c3d4e5" * 4, "published example"),
    ],
)
def test_a_weak_or_published_key_is_refused_naming_why(key, why):
    with pytest.raises(ImproperlyConfigured, match=why) as refused:
        require_strong_secret_key(key)
    assert len(key) == 1 or key not in str(refused.value)  # the refused key is not echoed
    assert secret_key_problem(secrets.token_urlsafe(50)) is None


def test_production_does_not_start_with_a_weak_key_and_says_so_in_one_line():
    result = start_with_key("x")
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr.strip().splitlines()[-1]


@pytest.fixture
def alices_answered_order(district):
    d = district
    order = actions.register(
        d.olga, title="路灯不亮", description="夜里很黑", citizen_phone="13601234567"
    )
    actions.dispatch(order, d.dan, lead_unit=d.street)
    actions.accept(order, d.una)
    actions.first_contact(order, d.una, way="phone")
    actions.reply(order, d.una, result=ReplyResult.RESOLVED, text="已修复。")
    actions.approve_reply(order, d.dan)
    order.refresh_from_db()
    return order


def test_rating_links_cannot_be_probed_for_the_orders_version(alices_answered_order, settings):
    order = alices_answered_order
    settings.PORTAL_LOOKUPS_PER_IP_HOUR = 3
    mallory = Client(REMOTE_ADDR="198.51.100.66")
    answers = []
    for version in range(1, order.version + 1):  # a key known, every version tried
        forged = signing.dumps({"n": order.number, "v": version}, salt=SALT, compress=True)
        answers.append(mallory.get(f"/portal/rate/{forged}/").status_code)
    assert answers[:3] == [410, 410, 410]  # a wrong version looks like any dead link
    assert set(answers[3:]) == {429}  # then the address is refused, right version or not
    # Alice, from her own address, still opens her genuine link.
    alice = Client(REMOTE_ADDR="203.0.113.5")
    assert alice.get(f"/portal/rate/{rating_token(order)}/").status_code == 200
