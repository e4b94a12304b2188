"""Domain errors as HTTP answers: the API's edge (SPEC §7, STYLE "thin edges").

- ``ValidationError`` from a service → 400 ``{"field": ["message"]}``;
- ``TransitionNotAllowed`` → 400 ``{"detail": …, "code": "illegal_transition"}``;
- ``ActionForbidden`` → 403; ``ReportNotFound`` → 404;
- a body that is not JSON → 400 ``{"detail": …, "code": "parse_error"}`` naming where it broke.
Messages are the services' own, in the request's language.
"""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from django.http import Http404
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lapor.reports.errors import ActionForbidden, ReportNotFound, TransitionNotAllowed


def validation_payload(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        return Response(validation_payload(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ActionForbidden):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ReportNotFound):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, TransitionNotAllowed):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError) and str(exc.detail).startswith("JSON parse error"):
        # DRF writes this one in English whatever the language (with Python's own words
        # for where it broke): said again in the caller's language, keeping the place.
        return Response({"detail": _json_error(str(exc.detail)), "code": "parse_error"},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError) and str(exc.detail).startswith("Multipart form parse error"):
        # DRF's words and Django's ("Invalid boundary in multipart: None"), in English.
        return Response({"detail": _("Isi permintaan multipart/form-data tidak dapat dibaca; periksa bentuknya, "
                                     "misalnya batasnya (boundary) pada Content-Type."), "code": "parse_error"},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        # Django's get_object_or_404 says "No Report matches the given query." in English,
        # whatever the language, and names the model: DRF's own "Not found.", translated.
        exc = NotFound()
    return drf_exception_handler(exc, context)


def _json_error(detail: str) -> str:
    where = re.search(r"line (\d+) column (\d+)", detail)
    if where:
        return _("Isi permintaan bukan JSON yang sah (baris %(line)s, kolom %(column)s).") % {
            "line": where.group(1), "column": where.group(2)}
    return _("Isi permintaan bukan JSON yang sah.")
