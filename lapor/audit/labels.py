"""How the audit log's entries read, in the back office's page and in the Django admin alike:
the type of what was acted on, the role, each change's field and values, the note, all in
the reader's language; values as the pages write them."""
from __future__ import annotations

import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.agencies.models import Role
from lapor.audit.models import WORDED_NOTES
from lapor.audit.services import SUPERUSER

# Entries written under a name of their own rather than a model's label (the RT/RW
# appointments of lapor/accounts/proxies.py): the model whose fields their changes name,
# and the words for the reader. Without it the log showed "is_proxy", "proxy_region" and,
# to English readers, the Indonesian "perwakilan RT/RW".
NAMED_TYPES = {"perwakilan RT/RW": ("accounts.reporterprofile", gettext_lazy("perwakilan RT/RW"))}


def model_of(object_type: str):
    object_type = NAMED_TYPES.get(object_type, (object_type,))[0]
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    if object_type in NAMED_TYPES:
        return str(NAMED_TYPES[object_type][1])
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type



def _shown(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, (models.DateTimeField, models.DateField)) and isinstance(value, str):
        return _moment(field, value)
    return str(value)


def _moment(field, value: str) -> str:
    """A date or time the log kept as text ("2026-12-06 03:15:00+00:00"), as the reader's
    pages write one: in the site's zone, in their language's format."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if isinstance(field, models.DateTimeField):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "DATETIME_FORMAT")
    return formats.date_format(moment.date(), "DATE_FORMAT")


# Fields their models leave unnamed (Django would say "created by", "user" in Indonesian
# pages too) and the poll's options (a relation, no field): the words the log uses.
FIELD_WORDS = {"created_by": gettext_lazy("dibuat oleh"), "created_at": gettext_lazy("dibuat"),
               "user": gettext_lazy("pengguna"), "options": gettext_lazy("Pilihan jawaban")}


def field_label(field, name: str) -> str:
    words = getattr(field, "verbose_name", None)
    if not isinstance(words, Promise) and name in FIELD_WORDS:  # not named by the model itself
        words = str(FIELD_WORDS[name])
        return words[:1].lower() + words[1:]
    return str(words if words is not None else name)


def change_rows(entry) -> list[dict]:
    """The entry's changes as (field label, old, new), in the reader's language."""
    model = model_of(entry.object_type)
    rows = []
    for name, pair in (entry.changes or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        rows.append({"field": field_label(field, name), "old": _shown(field, old), "new": _shown(field, new)})
    return rows


def note_shown(note: str) -> str:
    """A note as the reader reads it: the system's own in their language, a person's as typed."""
    return _(note) if note in WORDED_NOTES else note


# Roles a report's history records besides the staff roles (lapor/reports/services/).
EVENT_ROLES = {"reporter": gettext_lazy("Pelapor"), "proxy": gettext_lazy("Perwakilan RT/RW"),
               "system": gettext_lazy("Sistem")}


def role_label(value: str) -> str:
    """A role as recorded (the audit log's or a report event's), in the reader's words."""
    if value == SUPERUSER:
        return _("Superuser")
    if value in EVENT_ROLES:
        return str(EVENT_ROLES[value])
    return str(Role(value).label) if value in Role.values else value
