"""The interactive API docs load every script and style from this server (no CDN)."""

import re


def test_api_docs_page_uses_no_external_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
