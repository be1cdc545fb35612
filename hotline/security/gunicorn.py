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

#: Request headers that carry a credential: a custom ``access_log_format`` naming one
#: (``%({authorization}i)s``) would log an API token or a session in clear (review, session 20).
#: The same in the WSGI environment's atoms, and a session set in the response.
_CREDENTIAL_HEADERS = (
    "{authorization}i",
    "{proxy-authorization}i",
    "{http_authorization}e",
    "{http_proxy_authorization}e",
    "{cookie}i",
    "{http_cookie}e",
    "{set-cookie}o",
)


def _cut_credential(key: str, value: str) -> str:
    if "cookie" in key:
        # The cookies' names tell requests apart; their values are sessions.
        return "; ".join(part.split("=", 1)[0].strip() + "=..." for part in value.split(";"))
    scheme, _, secret = value.partition(" ")
    return f"{scheme} {secret[:4]}..." if secret else "..."


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
        for key in _CREDENTIAL_HEADERS:
            if isinstance(atoms.get(key), str) and atoms[key]:
                atoms[key] = _cut_credential(key, atoms[key])
        return atoms
