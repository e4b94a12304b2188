"""What every form view does with a service's ValidationError."""
from __future__ import annotations

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, *, renamed: dict | None = None) -> None:
    """Put a lifecycle or domain service's messages on the form: each on its field when the
    form has one (``renamed`` maps a service's field name to the form's), the rest above the
    form. The services name fields by their model names, so a form and the API share them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        target = (renamed or {}).get(field, field)
        form.add_error(target if target in form.fields else None, messages)
