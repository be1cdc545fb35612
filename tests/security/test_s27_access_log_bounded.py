"""The access log's masking is bounded: a stranger's long URL or Referer costs the server no more
to log than an ordinary one (attack, session 27, h6 F1).

Every request's request line, path, query and Referer pass through ``mask_text`` before gunicorn
writes the line, a 404 too. Its cost grows with the text (digits between punctuation, thousands'
commas): a 4 KB query and an 8 KB Referer of ``1,000-1,000-…`` took about a second of CPU each,
against 4 ms for an ordinary request. Each distinct value is now masked once and only its first
512 characters are logged, with no half of a number left at the cut."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline.security import gunicorn as access_log

#: What the access log keeps of one value at most (gunicorn.LOGGED_AT_MOST).
AT_MOST = 512


def atoms(path: str, query: str = "", referer: str = "") -> dict:
    from gunicorn.config import Config

    class Response:
        status, sent, headers = "404 Not Found", 10, []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": referer,
    }
    return access_log.MaskedAccessLogger(Config()).atoms(Response(), {}, environ, dt.timedelta(0))


@pytest.fixture
def masked_lengths(monkeypatch):
    """How many characters the access log asked the masker to read, value by value."""
    lengths: list[int] = []
    real = access_log.mask_text

    def counting(text: str) -> str:
        lengths.append(len(text))
        return real(text)

    monkeypatch.setattr(access_log, "mask_text", counting)
    return lengths


def test_a_strangers_long_query_and_referer_are_masked_a_bounded_length(masked_lengths):
    # What Mallory sends to a page that does not exist: 4 KB of query, 8 KB of Referer.
    query = "a=" + ("1,000-" * 700)[:4000]
    referer = "http://example.com/?" + ("1,000-" * 1400)[:8000]

    logged = atoms("/nothing-here/", query, referer)

    # Before: the query four times (request line, q, RAW_URI, QUERY_STRING) and the Referer
    # twice, ~32,000 characters through the masker; now each distinct value once (the request
    # line, the path, the query, RAW_URI, the Referer), 512 characters at most.
    assert sum(masked_lengths) <= 5 * AT_MOST
    assert logged["q"].endswith(f"...[{len(query)} chars]")
    assert logged["f"].endswith(f"...[{len(referer)} chars]")
    assert len(logged["r"]) < 600


def test_a_number_cut_at_the_end_of_what_is_logged_is_not_half_shown():
    # The caller's number falls right where the query is cut: its first digits would be kept,
    # too few for the masker to know them for a phone number.
    filler = "x" * (AT_MOST - len("q=") - 5)
    query = f"q={filler}13812345678&more=" + "y" * 600

    logged = json.dumps(atoms("/orders/", query))

    assert "13812" not in logged and "1381" not in logged


def test_a_long_address_still_logs_its_beginning_masked():
    query = "phone=13812345678&q=" + "a" * 1000

    logged = atoms("/orders/", query)

    assert logged["q"].startswith("phone=*******5678&q=aaa")
    assert "13812345678" not in json.dumps(logged)


def test_an_ordinary_request_is_logged_whole_as_before():
    logged = atoms("/orders/", "phone=13812345678&state=dispatched", "https://x.example/orders/")

    assert logged["q"] == "phone=*******5678&state=dispatched"
    assert logged["r"] == "GET /orders/?phone=*******5678&state=dispatched HTTP/1.1"
    assert logged["f"] == "https://x.example/orders/"


def test_a_private_link_cut_in_its_key_is_still_cut_to_its_first_characters():
    token = "IZ-IabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
    path = "/" + "p" * (AT_MOST - 30) + f"/portal/prereview/s/{token}/"

    logged = json.dumps(atoms(path))

    assert token[:12] not in logged
