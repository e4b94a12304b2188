"""GeoReport v2 answers in JSON and XML, errors in the spec's shape.

JSON is the plain list/object; XML wraps each list in the spec's element names
(``<services><service>…``, ``<service_requests><request>…``) in UTF-8, and datetimes are
W3C/ISO 8601 with their offset in both.
"""
from __future__ import annotations

import datetime
import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element name of one item in each list, by the list's element name.
ITEM_NAMES = {
    "services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
    "formats": "format", "attributes": "attribute", "values": "value", "service_request_updates": "request_update",
    "extensions": "extension", "resources": "resource", "parameters": "parameter",
}


def w3c(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _xml(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml(element, key, item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _xml(element, item_name, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(data, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        tree = ET.Element(root)
        items = data if isinstance(data, list) else None
        if items is not None:
            item_name = ITEM_NAMES.get(root, "item")
            for item in items:
                _xml(tree, item_name, item)
        else:
            for key, value in data.items():
                _xml(tree, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(tree, encoding="utf-8")
        return HttpResponse(body, status=status, content_type=CONTENT_TYPES["xml"])
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=CONTENT_TYPES["json"])


def error(status: int, description: str, *, fmt: str) -> HttpResponse:
    return render([{"code": status, "description": description}], fmt=fmt, root="errors", status=status)
