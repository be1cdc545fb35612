"""The ``hotline`` console script: a thin wrapper over Django's management commands.

``hotline serve``, ``hotline worker``, ``hotline demo``, ``hotline createuser``, ``hotline token``
and every other command are ordinary management commands; this only sets the settings module and
turns a failure into one line on stderr (``--traceback`` shows the whole story).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    # Commands are named in kebab-case on the command line (``hotline import-history``); Django's
    # management commands are modules, so their names use underscores.
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    try:
        execute_from_command_line(["hotline", *args])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if "--traceback" in args:
            raise
        sys.stderr.write(f"hotline: {one_line(exc)}\n")
        sys.exit(1)


def one_line(exc: BaseException) -> str:
    """What went wrong, with a hint where the cause is a usual one (no database yet)."""
    from django.db import DatabaseError

    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, DatabaseError) and "no such table" in message:
        return f"{message}: the database is not set up yet; run 'hotline migrate' first"
    if isinstance(exc, DatabaseError):
        return f"database error: {message}"
    return message


if __name__ == "__main__":
    main()
