"""The as-you-type suggestions' field limits live in one place (assist.SUGGEST_FIELD_CHARS): the
intake and portal boxes carry them for their scripts, the server cuts to the same."""

from __future__ import annotations

import html
import json
from pathlib import Path

import hotline.kb
from hotline.kb.assist import SUGGEST_FIELD_CHARS

STATIC = Path(hotline.kb.__file__).parent / "static" / "kb"


def limits_on(page: str, box_id: str) -> dict:
    box = page.split(f'id="{box_id}"')[1].split(">")[0]
    return json.loads(html.unescape(box.split('data-kb-limits="')[1].split('"')[0]))


def test_the_intake_and_portal_boxes_carry_the_one_setting(client, district):
    portal = client.get("/portal/submit/").content.decode()
    assert limits_on(portal, "kb-maybe") == SUGGEST_FIELD_CHARS
    client.force_login(district.olga)
    intake = client.get("/intake/").content.decode()
    assert limits_on(intake, "kb-suggestions") == SUGGEST_FIELD_CHARS


def test_the_scripts_hold_no_copy_of_the_limits():
    for name in ("intake.js", "portal-suggest.js"):
        script = (STATIC / name).read_text()
        assert "kbLimits" in script
        for limit in SUGGEST_FIELD_CHARS.values():
            assert str(limit) not in script, name


def test_the_server_cuts_each_field_as_the_scripts_do(client, district, rita):
    from tests.kb.factory import published

    published(district.bureau, district.victor, rita)
    # The words past the description's limit are not searched.
    padding = "。" * SUGGEST_FIELD_CHARS["description"]
    box = client.get("/portal/kb/suggest", {"description": padding + "低保申请条件"})
    assert "kb-maybe-answered" not in box.content.decode()
