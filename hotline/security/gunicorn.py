"""gunicorn's access log with phone numbers and secrets masked in the requested URL, and the real
client's address (behind a trusted proxy, :mod:`hotline.security.client`) instead of the proxy's.

Staff search by phone (``/orders/?phone=…``, ``/api/v1/orders?phone=…``) and intake looks up the
caller's history while the number is typed: without this, every such number would land in the
access log in clear. Private links carry their secret in the path (a pre-review's status page
with the citizen's ID scans, rating links, hall tickets) and some Open311 clients put their
``api_key`` in the query string: those are cut to a few characters
(:func:`hotline.security.masking.mask_secrets`).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from hotline.security.client import address_from
from hotline.security.masking import mask_secrets, mask_text


class MaskedAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ)
        for key in ("r", "U", "q", "f", "{raw_uri}e", "{query_string}e", "{http_referer}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_text(atoms[key])
        # Secrets in every atom a log format may name (the path is also {path_info}e, the
        # referrer {referer}i): the check is cheap where there is no address.
        for key, value in atoms.items():
            if key != "h" and isinstance(value, str):
                atoms[key] = mask_secrets(value)
        return atoms
