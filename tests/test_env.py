"""Settings readers refuse bad values with a message naming the variable."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline.env import env_bool, env_int, env_list, env_time_intervals, env_timezone


def test_bool_accepts_only_explicit_spellings():
    assert env_bool("DEBUG", False, {"DEBUG": "yes"}) is True
    assert env_bool("DEBUG", True, {"DEBUG": "0"}) is False
    assert env_bool("DEBUG", True, {}) is True
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False, {"DEBUG": "maybe"})


def test_int_checks_type_and_range():
    assert env_int("PORT", 8000, {"PORT": "9000"}) == 9000
    with pytest.raises(ImproperlyConfigured, match="PORT must be an integer"):
        env_int("PORT", 8000, {"PORT": "80a"})
    with pytest.raises(ImproperlyConfigured, match=">= 1"):
        env_int("PORT", 8000, {"PORT": "0"}, minimum=1)


def test_list_splits_on_commas():
    assert env_list("ALLOWED_HOSTS", ["x"], {"ALLOWED_HOSTS": "a.gov.cn, b ,"}) == ["a.gov.cn", "b"]
    assert env_list("ALLOWED_HOSTS", ["x"], {}) == ["x"]


def test_timezone_must_exist():
    assert env_timezone("TIME_ZONE", "Asia/Shanghai", {}) == "Asia/Shanghai"
    with pytest.raises(ImproperlyConfigured, match="IANA"):
        env_timezone("TIME_ZONE", "Asia/Shanghai", {"TIME_ZONE": "Mars/Olympus"})


def test_working_hours_must_be_ordered_and_disjoint():
    hours = env_time_intervals("WORKING_HOURS", "09:00-12:00,13:00-17:30", {})
    assert hours == ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17, 30)))
    with pytest.raises(ImproperlyConfigured, match="ordered and disjoint"):
        env_time_intervals("WORKING_HOURS", "", {"WORKING_HOURS": "13:00-17:00,09:00-12:00"})
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        env_time_intervals("WORKING_HOURS", "", {"WORKING_HOURS": "nine-five"})


def test_production_settings_refuse_a_missing_secret_key(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import hotline.settings"],
        env={"DEBUG": "false", "PATH": "", "HOTLINE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
