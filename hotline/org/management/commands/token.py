"""``hotline token create USERNAME [--scope api|api:read|api:write|open311] [--name NAME]
[--expires 90d]`` prints a new API token once; ``hotline token list [USERNAME]`` and ``hotline
token revoke PREFIX`` manage them.

A token works only where its scopes say: ``api`` (the default) is the JSON API, read and write;
``api:read`` only reads it; ``open311`` is a partner app's Open311 ``api_key`` and nothing else.
``--scope`` may be repeated or take a comma-separated list."""

from __future__ import annotations

import datetime as dt
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline import clock
from hotline.org.models import ApiToken, User

_SPAN = re.compile(r"^(\d{1,4})([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def expiry(text: str, now: dt.datetime) -> dt.datetime:
    """``90d``, ``12h`` or ``2w`` from now, or the end of a day ``YYYY-MM-DD`` (local time)."""
    span = _SPAN.match(text.strip())
    if span:
        moment = now + dt.timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(
                f"--expires: {text!r} is neither a span like 90d, 12h, 2w nor a date YYYY-MM-DD"
            ) from None
        moment = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    if moment <= now:
        raise CommandError(f"--expires: {text!r} is not in the future")
    return moment


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="")
        create.add_argument(
            "--scope",
            action="append",
            default=[],
            metavar="SCOPE",
            help="where the token works: api (the JSON API, read and write; the default), "
            "api:read, api:write, open311 (Open311's api_key); repeat it or separate by commas",
        )
        create.add_argument(
            "--expires",
            default="",
            help="stop working after a span (90d, 12h, 2w) or at the end of a day (YYYY-MM-DD); "
            "default: until revoked",
        )
        listing = sub.add_parser("list", help="list tokens (never the secret)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['username']!r}")
            now = clock.now()
            expires_at = expiry(options["expires"], now) if options["expires"] else None
            scopes = scopes_of(options["scope"])
            _, raw = ApiToken.issue(user, options["name"], expires_at=expires_at, scopes=scopes)
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("created_at")
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            for t in tokens:
                where = ",".join(t.scopes.split()) or "-"
                self.stdout.write(f"{t.prefix}…\t{t.user.username}\t{t.name}\t{where}\t{_state(t)}")
        else:
            matches = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if matches.count() != 1:
                raise CommandError(f"{matches.count()} active tokens match {options['prefix']!r}")
            token = matches.get()
            token.revoked_at = clock.now()
            # Saved, not bulk-updated: the save tells the API's token cache (hotline/api/auth.py).
            token.save(update_fields=["revoked_at"])
            self.stdout.write(f"revoked {options['prefix']}")


def scopes_of(given: list[str]) -> list[str]:
    """The scopes asked for (``--scope a,b --scope c``); ``api`` when none was."""
    scopes = [part for text in given for part in text.split(",") if part.strip()] or ["api"]
    try:
        ApiToken.scopes_text(scopes)
    except ValueError as exc:
        known = ", ".join(["api", *ApiToken.SCOPES])
        raise CommandError(f"--scope: unknown scope {exc.args[0]!r}; use {known}") from None
    return scopes


def _state(token: ApiToken) -> str:
    def day(moment: dt.datetime) -> str:
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"

    if token.state == "revoked":
        assert token.revoked_at is not None
        return f"revoked {day(token.revoked_at)}"
    if token.state == "expired":
        assert token.expires_at is not None
        return f"expired {day(token.expires_at)}"
    return f"active until {day(token.expires_at)}" if token.expires_at else "active"
