"""gunicorn's access log with phone numbers masked in the requested URL, and the real client's
address (behind a trusted proxy, :mod:`hotline.security.client`) instead of the proxy's.

Staff search by phone (``/orders/?phone=…``, ``/api/v1/orders?phone=…``) and intake looks up the
caller's history while the number is typed: without this, every such number would land in the
access log in clear.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from hotline.security.client import address_from
from hotline.security.masking import mask_text


class MaskedAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ)
        for key in ("r", "U", "q", "f", "{raw_uri}e", "{query_string}e", "{http_referer}e"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_text(atoms[key])
        return atoms
