"""Domain errors as HTTP answers: the API's edge (SPEC §7, STYLE "thin edges").

- ``ValidationError`` from a service → 400 ``{"field": ["message"]}``;
- ``TransitionNotAllowed`` → 400 ``{"detail": …, "code": "illegal_transition"}``;
- ``ActionForbidden`` → 403; ``ReportNotFound`` → 404.
Messages are the services' own, in the request's language.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
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
    return drf_exception_handler(exc, context)
