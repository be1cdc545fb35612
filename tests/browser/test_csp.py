"""The Content-Security-Policy in the browser: pages and the API docs work under it, and it
refuses nothing (every browser test fails on a CSP refusal in the console, see conftest)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_under_the_policy(town, open_as):
    page = open_as(None)
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hotline 12345 API")
    expect(page.locator(".opblock").first).to_be_visible()


def test_an_inline_script_would_be_refused(town, browser, live_server):
    """The policy is really enforced: a script injected into the page does not run. (Its own
    browser context: open_as would count the refusal as an error.)"""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto("/")
        ran = page.evaluate(
            """() => { window.injected = false;
                       const s = document.createElement('script');
                       s.textContent = 'window.injected = true';
                       document.body.appendChild(s);
                       return window.injected; }"""
        )
    finally:
        context.close()
    assert ran is False
    assert any("Content Security Policy" in m for m in messages)


def test_staff_pages_work_under_the_policy(town, open_as):
    page = open_as(town.d.dan)
    for path in ("/", "/desk/dispatch/", "/orders/", "/intake/"):
        response = page.goto(path)
        assert response.status == 200
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
