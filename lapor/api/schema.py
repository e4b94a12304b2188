"""What the OpenAPI schema says of every operation, said once here (drf-spectacular's
``POSTPROCESSING_HOOKS``, lapor/settings.py) rather than on each view, so that a new
view cannot leave it out:

- **401** wherever the view reads a token. A token is optional on the public lists and
  reads, but one that is wrong, expired or revoked is refused there too (an app holding
  a stale token must hear it, not read the public's view as if signed in);
- the bounds of ``page`` and ``page_size`` as the view's paginator enforces them
  (lapor/api/pagination.py): a 400 outside them;
- a nullable reference to another component (a report's ``category``, its agencies)
  written out as a nullable object. drf-spectacular writes ``allOf: [$ref]`` beside
  ``nullable: true``, which OpenAPI 3.0 validators read as "must be the object": a
  report not yet dispatched (``assigned_agency: null``) failed a strict client's
  validation. The schema stays OpenAPI 3.0.3, which the bundled Swagger UI and Redoc
  and clients' code generators read best;
- the webhooks a connected system receives: the event vocabulary and the payload
  (``WebhookEvent``, ``WebhookPayload``) and the POST under ``x-webhooks``
  (lapor/webhooks/schema.py).
"""
from __future__ import annotations

import copy

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
BAD_TOKEN = ("Token salah, kedaluwarsa atau dicabut. Di sini token boleh tidak dikirim, tetapi yang dikirim "
             "harus berlaku: masuk lagi, atau kirim tanpa header Authorization.")


def document_every_operation(result, generator, request, public):
    """The POSTPROCESSING_HOOK: the four points above, on the generated schema."""
    paths = result.get("paths", {})
    for path, _regex, method, callback in generator.endpoints:
        view = generator.create_view(callback, method)
        operation = paths.get(generator.coerce_path(path, method, view), {}).get(method.lower())
        if operation is None:
            continue
        if view.authentication_classes:
            operation["responses"].setdefault("401", {
                "description": BAD_TOKEN, "content": {"application/json": {"schema": ERROR}}})
        paginator = getattr(view, "pagination_class", None)
        for parameter in operation.get("parameters", []):
            if parameter.get("in") != "query" or paginator is None:
                continue
            if parameter["name"] == getattr(paginator, "page_query_param", None):
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == getattr(paginator, "page_size_query_param", None):
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": paginator.max_page_size}
    _nullable_references_inline(result.get("components", {}).get("schemas", {}))
    from lapor.webhooks.schema import add_to

    return add_to(result)


def _nullable_references_inline(schemas: dict) -> None:
    for component in schemas.values():
        properties = component.get("properties", {})
        for name, field in properties.items():
            refs = field.get("allOf", [])
            if field.get("nullable") and len(refs) == 1 and "$ref" in refs[0]:
                target = schemas[refs[0]["$ref"].rsplit("/", 1)[-1]]
                properties[name] = {**copy.deepcopy(target), **{k: v for k, v in field.items() if k != "allOf"}}
