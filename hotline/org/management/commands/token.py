"""``hotline token create USERNAME [--name NAME]`` prints a new API token once;
``hotline token list [USERNAME]`` and ``hotline token revoke PREFIX`` manage them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hotline import clock
from hotline.org.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list and revoke API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="")
        listing = sub.add_parser("list", help="list tokens (never the secret)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {options['username']!r}")
            _, raw = ApiToken.issue(user, options["name"])
            self.stdout.write(raw)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("created_at")
            if options["username"]:
                tokens = tokens.filter(user__username=options["username"])
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.prefix}…\t{t.user.username}\t{t.name}\t{state}")
        else:
            matches = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True)
            if matches.count() != 1:
                raise CommandError(f"{matches.count()} active tokens match {options['prefix']!r}")
            token = matches.get()
            token.revoked_at = clock.now()
            # Saved, not bulk-updated: the save tells the API's token cache (hotline/api/auth.py).
            token.save(update_fields=["revoked_at"])
            self.stdout.write(f"revoked {options['prefix']}")
