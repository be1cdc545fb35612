"""A production deployment on PostgreSQL is fast and bounded without a tuning step: persistent,
health-checked connections, a connect timeout and a statement timeout by default.

The outside review measured 82 orders/s without ``DB_CONN_MAX_AGE`` and 180 with the value the
docs recommended; and a frozen database hung requests that then committed after the client gave
up."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from hotline.env import env_postgres_connection


def test_postgresql_keeps_health_checked_connections_with_timeouts_by_default():
    assert env_postgres_connection({}, environ={}) == {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    }


def test_the_timeouts_are_configurable_and_the_urls_options_are_kept():
    db = env_postgres_connection(
        {"sslmode": "require", "options": "-c search_path=hotline"},
        environ={"DB_CONN_MAX_AGE": "0", "DB_CONNECT_TIMEOUT": "2", "DB_STATEMENT_TIMEOUT": "5"},
    )
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"] == {
        "sslmode": "require",
        "connect_timeout": 2,
        "options": "-c search_path=hotline -c statement_timeout=5000",
    }
    assert "options" not in env_postgres_connection({}, {"DB_STATEMENT_TIMEOUT": "0"})["OPTIONS"]


@pytest.mark.parametrize("name", ["DB_CONNECT_TIMEOUT", "DB_STATEMENT_TIMEOUT", "DB_CONN_MAX_AGE"])
def test_a_malformed_value_stops_start_up_naming_it(name):
    with pytest.raises(ImproperlyConfigured, match=name):
        env_postgres_connection({}, environ={name: "5s"})


def test_the_running_suite_has_the_defaults_of_its_engine(settings):
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
        assert "statement_timeout=30000" in db["OPTIONS"]["options"]
    else:  # SQLite is unchanged: one file, no server to keep a connection to
        assert db["CONN_MAX_AGE"] == 0
        assert "connect_timeout" not in db["OPTIONS"]
