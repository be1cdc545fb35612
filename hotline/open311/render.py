"""GeoReport v2 documents in XML and JSON, as the specification shows them.

A document is written once as Python data — a list of ``(tag, {field: value})`` items under a
root — and rendered to either format: XML ``<root><tag><field>value</field>…</tag></root>`` with
the UTF-8 declaration, or JSON, a bare list of objects (the spec's JSON has no root wrapper).
Nested lists (attributes, values, endpoint formats) render as a wrapper element with one child
per item in XML and as arrays in JSON.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"


class Nested:
    """A list inside a record: ``Nested("value", items)`` is ``<values><value>…</value></values>``
    in XML and a plain array in JSON."""

    def __init__(self, child: str, items: list[Any]) -> None:
        self.child, self.items = child, items


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, Nested):
        for item in value.items:
            _fill(ET.SubElement(element, value.child), item)
    elif isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    else:
        element.text = _text(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Nested):
        return [_plain(item) for item in value.items]
    if isinstance(value, dict):
        return {name: _plain(child) for name, child in value.items()}
    return value


def document(fmt: str, root: str, tag: str, records: list[dict[str, Any]], status: int = 200):
    """A list of records: ``<root><tag>…</tag>…</root>`` or ``[{…}, …]``."""
    if fmt == "json":
        body = json.dumps([_plain(r) for r in records], ensure_ascii=False)
        return HttpResponse(body, content_type=JSON_TYPE, status=status)
    element = ET.Element(root)
    for record in records:
        _fill(ET.SubElement(element, tag), record)
    return _xml(element, status)


def single(fmt: str, root: str, record: dict[str, Any]) -> HttpResponse:
    """One object: ``<root>…</root>`` or ``{…}`` (discovery, a service definition)."""
    if fmt == "json":
        body = json.dumps(_plain(record), ensure_ascii=False)
        return HttpResponse(body, content_type=JSON_TYPE)
    element = ET.Element(root)
    _fill(element, record)
    return _xml(element, 200)


def _xml(element: ET.Element, status: int) -> HttpResponse:
    body = ET.tostring(element, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>\n' + body, content_type=XML_TYPE, status=status
    )


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The spec's error document: ``<errors><error><code>403</code><description>…`` or
    ``[{"code": 403, "description": "…"}]``, with the same HTTP status."""
    records = [{"code": status, "description": d} for d in descriptions]
    return document(fmt, "errors", "error", records, status=status)
