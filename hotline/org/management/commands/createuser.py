"""``hotline createuser USERNAME --role dispatcher [--role leader] [--unit CODE] [--password P]``"""

from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from hotline.org.models import Role, Unit, User, UserRole


class Command(BaseCommand):
    help = "Create a staff user with one or more roles and an optional unit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role", action="append", required=True, choices=Role.values, dest="roles"
        )
        parser.add_argument("--unit", help="unit code the user acts for")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--password", help="password (asked for when omitted)")

    def handle(
        self,
        *args,
        username: str,
        roles: list[str],
        unit: str | None,
        name: str,
        password: str | None,
        **options,
    ) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        unit_obj = None
        if unit:
            unit_obj = Unit.objects.filter(code=unit).first()
            if unit_obj is None:
                raise CommandError(f"no unit with code {unit!r}")
        if Role.UNIT_HANDLER in roles and unit_obj is None:
            raise CommandError("a unit_handler needs --unit")
        if password is None:
            try:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
            except EOFError:
                # No terminal to ask on (a script, CI): "hotline: EOFError" said nothing
                # (walk-through, session 25, A-L3).
                raise CommandError(
                    "no terminal to ask the password on: give it with --password"
                ) from None
            if password != again:
                raise CommandError("passwords differ")
        if not password:
            raise CommandError("the password must not be empty")
        with transaction.atomic():
            user = User.objects.create_user(
                username=username,
                password=password,
                first_name=name,
                unit=unit_obj,
                is_staff=Role.ADMIN in roles,
                is_superuser=Role.ADMIN in roles,
            )
            # create_user granted a superuser the admin role already (org.models.UserManager).
            UserRole.objects.bulk_create(
                (UserRole(user=user, role=r) for r in sorted(set(roles))), ignore_conflicts=True
            )
        self.stdout.write(f"created {username} ({', '.join(sorted(set(roles)))})")
