"""Typed readers for settings that come from environment variables.

Every reader refuses a malformed value with a message that names the variable, what it expected
and what it got, so a typo in a deployment fails at start-up instead of silently running with a
default. The full list of variables lives in ``README.md`` (Configuration).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

IPNetwork = IPv4Network | IPv6Network

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    """Accept only an explicit true/false spelling; anything else is a configuration error."""
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {value!r}")


def env_int(
    name: str,
    default: int,
    environ: Mapping[str, str] | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be <= {maximum}, got {number}")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: list[str], environ: Mapping[str, str] | None = None
) -> str:
    value = env_str(name, default, environ)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_timezone(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = env_str(name, default, environ)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be an IANA time zone such as Asia/Shanghai, got {value!r}"
        ) from None
    return value


def env_time_intervals(
    name: str, default: str, environ: Mapping[str, str] | None = None
) -> tuple[tuple[dt.time, dt.time], ...]:
    """Ordered, disjoint daily intervals such as ``09:00-12:00,13:00-17:30``."""
    text = env_str(name, default, environ)
    intervals: list[tuple[dt.time, dt.time]] = []
    for part in text.split(","):
        try:
            a, b = part.strip().split("-")
            start, end = dt.time.fromisoformat(a.strip()), dt.time.fromisoformat(b.strip())
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: bad interval {part.strip()!r}, expected HH:MM-HH:MM"
            ) from None
        if start >= end or (intervals and start < intervals[-1][1]):
            raise ImproperlyConfigured(f"{name}: intervals must be ordered and disjoint: {text!r}")
        intervals.append((start, end))
    return tuple(intervals)


def env_networks(
    name: str, default: str = "", environ: Mapping[str, str] | None = None
) -> tuple[IPNetwork, ...]:
    """Comma-separated addresses or CIDR blocks (``10.0.0.0/8,127.0.0.1``); a typo is an error,
    as is a block with host bits set (``10.0.0.1/8`` is ambiguous: a host or its network?)."""
    text = env_str(name, default, environ)
    networks: list[IPNetwork] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            networks.append(ip_network(part.strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}: {part.strip()!r} is not an IP address or CIDR block ({exc})"
            ) from None
    return tuple(networks)


#: The shortest signing key accepted with DEBUG off (Django's own check wants 50).
MIN_SECRET_KEY_LENGTH = 32
#: Keys anyone can read: in this repository, its docs, or Django's project template.
_PUBLISHED_KEY_MARKS = ("change-me", "django-insecure-", "development-only")


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign anything in production, or ``None``.

    Whoever knows the key forges what it signs (a citizen's rating link for another's order,
    sessions): a short, repetitive or published key is refused at start-up.
    """
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"is too short ({len(key)} characters; at least {MIN_SECRET_KEY_LENGTH})"
    if len(set(key)) < 5:
        return "repeats too few characters to be random"
    if any(mark in key.lower() for mark in _PUBLISHED_KEY_MARKS):
        return "is a published example, not a secret"
    return None


def require_strong_secret_key(key: str, name: str = "SECRET_KEY") -> str:
    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(
            f"{name} {problem} when DEBUG is off; generate one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


def env_sms_gateway_url(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The SMS gateway's address: HTTPS, or plain HTTP only to this host (a relay beside the
    app). The texts carry one-time codes: they must not cross a network in clear."""
    from urllib.parse import urlsplit

    url = env_str(name, "", environ)
    if not url:
        return ""
    parts = urlsplit(url)
    local = parts.hostname in {"127.0.0.1", "::1", "localhost"}
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and local:
        return url
    raise ImproperlyConfigured(
        f"{name} must be an https:// address (or http:// to 127.0.0.1 or localhost); got {url!r}"
    )


def env_public_url(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The site's public address (``https://12345.example.gov.cn``, a port allowed): a scheme,
    a host and nothing after them, returned without a trailing slash so that a path from
    ``reverse`` follows it. Empty when unset."""
    from urllib.parse import urlsplit

    url = env_str(name, "", environ).strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ImproperlyConfigured(
            f"{name} must be the site's address, a scheme and a host only "
            f"(e.g. https://12345.example.gov.cn); got {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def env_postgres_connection(
    options: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """How Django holds its PostgreSQL connections (``CONN_MAX_AGE``, ``CONN_HEALTH_CHECKS`` and
    ``OPTIONS``, merged into ``options`` from the URL).

    A new connection per request halves intake on PostgreSQL (docs/benchmarks.md), so connections
    are kept (``DB_CONN_MAX_AGE``, 60 s) and checked before a request reuses one: a database
    restart fails no request. A new connection waits at most ``DB_CONNECT_TIMEOUT`` (5 s), so a
    frozen or unreachable server answers 503 instead of hanging the request, and a statement
    running past ``DB_STATEMENT_TIMEOUT`` (30 s; 0: no limit) is cancelled rather than committing
    after its client gave up.
    """
    merged = dict(options)
    merged.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5, environ, minimum=1))
    statement_ms = env_int("DB_STATEMENT_TIMEOUT", 30, environ, minimum=0) * 1000
    if statement_ms:
        merged["options"] = f"{merged.get('options', '')} -c statement_timeout={statement_ms}"
        merged["options"] = merged["options"].strip()
    return {
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60, environ, minimum=0),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": merged,
    }
