"""Every field of the desk has a label (h5, L4).

The pause reason, the transfer reason and the reason to call out of order were placeholder-only
boxes (not the app's input either: no type, so app.css left them the browser's small box); the
transfer's selects ("原事项", "任意窗口") had no visible label and listed bare window numbers. Each
field now sits in its <label>, and the reason boxes are text inputs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from hotline.hall import actions

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Fields(HTMLParser):
    """The visible form fields of a page, each with the text of the <label> around it."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[list[str]] = []  # the open labels' texts
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self.pending: list[tuple[str, dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self.labels.append([])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "checkbox",
            "radio",
        ):
            self.pending.append((tag, attrs, self.labels[-1] if self.labels else []))

    def handle_endtag(self, tag):
        if tag == "label" and self.labels:
            self.labels.pop()

    def handle_data(self, data):
        for texts in self.labels:
            texts.append(data)

    def close(self):
        super().close()
        for tag, attrs, texts in self.pending:
            self.found.append((tag, attrs, " ".join("".join(texts).split())))


def fields(page: str) -> list[tuple[str, dict[str, str | None], str]]:
    parser = Fields()
    parser.feed(page.split("<main", 1)[-1])
    parser.close()
    return parser.found


def assert_labelled(page: str) -> dict[str, str]:
    found = fields(page)
    assert found
    for tag, attrs, label in found:
        assert label, f"{tag} {attrs} has no label"
        assert "placeholder" not in attrs, f"{tag} {attrs} relies on a placeholder"
        if tag == "input":
            assert attrs.get("type") == "text", f"{attrs}: not the app's text input"
    return {f"{tag}:{attrs.get('name')}": label for tag, attrs, label in found}


def test_serving_a_ticket_every_field_is_labelled(client, town):
    actions.sign_in(town.w2, town.walt)
    ticket = actions.issue(town.hall, town.residence)
    actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    client.force_login(town.walt)
    labels = assert_labelled(client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode())
    assert labels["input:reason"]  # the pause's and the transfer's (one key: both checked above)
    assert labels["select:matter"].startswith("Transfer to matter")
    assert labels["select:window"].startswith("Transfer to window")
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert ">Reason for the pause <input" in page and ">Reason for the transfer <input" in page


def test_with_nobody_called_the_out_of_order_reason_is_labelled(client, town):
    actions.sign_in(town.w2, town.walt)
    actions.issue(town.hall, town.residence)
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/", **EN).content.decode()
    assert_labelled(page)
    assert ">Reason to call out of order <input" in page


def test_in_chinese(client, town):
    actions.sign_in(town.w2, town.walt)
    ticket = actions.issue(town.hall, town.residence)
    actions.call_next(town.w2, town.walt)
    actions.start(ticket, town.walt)
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    labels = assert_labelled(page)
    assert labels["select:matter"].startswith("转至事项")
    assert labels["select:window"].startswith("转至窗口")
    assert ">暂停理由 <input" in page and ">转移理由 <input" in page


def test_the_sign_in_lists_windows_by_name(client, town):
    client.force_login(town.walt)
    page = client.get(f"/hall/{town.hall.code}/desk/").content.decode()
    labels = assert_labelled(page)
    assert labels["select:window"].startswith("窗口")
    assert ">2号窗口 · " in page
