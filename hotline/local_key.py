"""A checkout's own signing key, kept in its data directory.

``make run`` and every ``hotline`` command typed in another terminal of the same checkout must
sign sessions, tokens' hashes and phone keys with the same key, without anyone exporting one.
So when no ``SECRET_KEY`` is set and the process runs in development (DEBUG, or the default
``./var`` data directory), the first process writes a random key to ``$HOTLINE_DATA_DIR/secret_key``
(owner-only) and every later one reads it. A deployment names its data directory and sets the key
in the environment, so it never reaches this module (see hotline/settings.py).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_NAME = "secret_key"
DEFAULT_DATA_DIR = "var"


def is_default_data_dir(data_dir: Path) -> bool:
    return data_dir == Path(DEFAULT_DATA_DIR).resolve()


def local_secret_key(data_dir: Path) -> str:
    """The key in ``data_dir/secret_key``, written first if there is none.

    Creating with O_EXCL means two processes starting at once agree: the loser reads the winner's.
    """
    path = data_dir / FILE_NAME
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        # An empty file is a writer that died between open and write (or is writing right now).
        key = secrets.token_urlsafe(50)
        path.write_text(key + "\n", encoding="ascii")
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key
