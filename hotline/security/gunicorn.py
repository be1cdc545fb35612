"""gunicorn's access log with phone numbers and secrets masked in the requested URL, and the real
client's address (behind a trusted proxy, :mod:`hotline.security.client`) instead of the proxy's.

Staff search by phone (``/orders/?phone=…``, ``/api/v1/orders?phone=…``) and intake looks up the
caller's history while the number is typed: without this, every such number would land in the
access log in clear. Private links carry their secret in the path (a pre-review's status page
with the citizen's ID scans, rating links, hall tickets) and some Open311 clients put their
``api_key`` in the query string: those are cut to a few characters
(:func:`hotline.security.masking.mask_secrets`).

The masking is paid on every request, a stranger's 404 too, and costs with the value's length
(digits between punctuation: ~0.15 ms a character, more with thousands' commas): a 4 KB query and
an 8 KB Referer of ``1,000-1,000-…`` took ~1 s of CPU a request (attack, session 27, h6 F1). So
each distinct value is masked once, and only its first :data:`LOGGED_AT_MOST` characters are
logged (a log line needs no more); see :func:`_bounded`.
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


#: The most of a URL, query or Referer the access log keeps (masked); past it the value is cut.
LOGGED_AT_MOST = 512
#: Near the cut every digit is starred: a number cut in two there would not read as one to the
#: masker, and half of it would be logged. An 18-digit ID written with wide gaps spans ~220.
CUT_DIGITS_WITHIN = 256


def _bounded(value: str) -> str:
    """``value`` masked (:func:`mask_text`), at most :data:`LOGGED_AT_MOST` characters of it: a
    longer one is cut there (after its secrets are cut, :func:`mask_secrets`), the digits (any
    numerals) of its last :data:`CUT_DIGITS_WITHIN` characters starred, and says how long it
    was."""
    if len(value) <= LOGGED_AT_MOST:
        return mask_text(value)
    # The secrets first (cheap): a private link's key cut in two at the end would not be found.
    kept = mask_text(mask_secrets(value)[:LOGGED_AT_MOST])
    head, tail = kept[:-CUT_DIGITS_WITHIN], kept[-CUT_DIGITS_WITHIN:]
    tail = "".join("*" if ch.isnumeric() else ch for ch in tail)
    return f"{head}{tail}...[{len(value)} chars]"


class MaskedAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ)
        masked: dict[str, str] = {}  # the query and the Referer come twice, as q and {…}e
        for key in ("r", "U", "q", "f", "{raw_uri}e", "{query_string}e", "{http_referer}e"):
            value = atoms.get(key)
            if isinstance(value, str):
                if value not in masked:
                    masked[value] = _bounded(value)
                atoms[key] = masked[value]
        # Secrets in every atom a log format may name (the path is also {path_info}e, the
        # referrer {referer}i): the check is cheap where there is no address.
        for key, value in atoms.items():
            if key != "h" and isinstance(value, str):
                atoms[key] = mask_secrets(value)
        for key in _CREDENTIAL_HEADERS:
            if isinstance(atoms.get(key), str) and atoms[key]:
                atoms[key] = _cut_credential(key, atoms[key])
        return atoms
