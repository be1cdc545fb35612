"""The ``hotline`` console script: a thin wrapper over Django's management commands.

``hotline serve``, ``hotline worker``, ``hotline demo``, ``hotline createuser``, ``hotline token``
and every other command are ordinary management commands; this only sets the settings module.
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
    execute_from_command_line(["hotline", *args])


if __name__ == "__main__":
    main()
