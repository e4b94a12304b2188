"""Writing the audit log: ``audit_record`` is the one way in (see ``lapor.audit.models``).

Management services and views call it after (and in the same transaction as) the change
they make, so an action that fails or rolls back leaves no entry, and an entry never
describes a change that did not happen. ``snapshot`` and ``diff`` turn a model instance
before and after into ``{field: [old, new]}``; secrets and personal data are written as
``HIDDEN``, so the log says *that* a password or an e-mail changed, never to what.
"""
from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.db import models
from django.utils import timezone, translation

from lapor.agencies.models import Agency, Role
from lapor.audit.models import HIDDEN, AuditAction, AuditEntry
from lapor.core import security
from lapor.core.crypto import EncryptedTextField

# Most senior first: the role an entry names when the actor holds several over the data.
ROLE_RANK = (Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.SUPERVISOR, Role.IDENTITY_CUSTODIAN,
             Role.OFFICER)
SUPERUSER = "superuser"

SECRET_NAME = re.compile(r"(^|_)(password|secret|token|key|hash|otp)(_|$)")
# A person's private data (SPEC §5): never copied into the log in clear, whoever it belongs to.
PERSONAL_FIELDS = {"email", "phone", "nik", "birth_date", "address"}
# Names of accounts: kept for staff (the log is about their work), hidden for citizens.
NAME_FIELDS = {"full_name", "first_name", "last_name"}
MAX_VALUE = 300


# --- Describing objects ---------------------------------------------------------------------

def object_type(obj) -> str:
    return obj._meta.label_lower


def label(obj) -> str:
    """How the log names an object: an account by its username (its full name may be a
    citizen's), anything else by ``str``, in the site's language: the name is kept as it
    was, and must not be English because the person acting read the English pages (a
    role granted from them was logged as "… — Liaison Officer — …" for every reader)."""
    if obj is None:
        return ""
    if isinstance(obj, models.Model) and obj._meta.label == settings.AUTH_USER_MODEL:
        return obj.get_username()
    with translation.override(settings.LANGUAGE_CODE):
        return str(obj)[:200]


def _is_hidden(field, instance) -> bool:
    if isinstance(field, EncryptedTextField) or type(field).__name__.startswith("Encrypted"):
        return True
    if SECRET_NAME.search(field.name) or field.name in PERSONAL_FIELDS:
        return True
    if field.name in NAME_FIELDS and instance._meta.label == settings.AUTH_USER_MODEL:
        return not (instance.is_staff or instance.is_superuser)
    return False


def _fields(instance):
    for field in instance._meta.get_fields():
        if field.auto_created or not getattr(field, "editable", False) or getattr(field, "primary_key", False):
            continue
        if field.many_to_many or field.concrete:
            yield field


def _plain(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)[:MAX_VALUE]


def snapshot(instance) -> dict:
    """``{field: (compare, shown)}`` for the editable fields of ``instance`` as it is in
    memory. ``compare`` is only held in memory to tell whether a field changed; ``shown``
    is what the log may keep."""
    values = {}
    for field in _fields(instance):
        if field.many_to_many:
            related = list(getattr(instance, field.name).all()) if instance.pk is not None else []
            values[field.name] = (sorted(o.pk for o in related), sorted(label(o) for o in related))
            continue
        raw = field.value_from_object(instance)
        if _is_hidden(field, instance):
            shown = HIDDEN if raw not in (None, "") else None
        elif field.is_relation:
            shown = label(getattr(instance, field.name)) if raw is not None else None
        else:
            shown = _plain(raw)
        values[field.name] = (raw, shown)
    return values


def stored_snapshot(instance) -> dict | None:
    """The snapshot of ``instance`` as the database holds it now (before a save)."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return snapshot(stored) if stored is not None else None


def diff(before: dict | None, after: dict | None) -> dict:
    """``{field: [old, new]}`` of what differs; a creation lists the fields set, a
    deletion the fields the object had."""
    before, after = before or {}, after or {}
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old_raw, old = before.get(name, (None, None))
        new_raw, new = after.get(name, (None, None))
        if old_raw == new_raw or (old_raw in (None, "", []) and new_raw in (None, "", [])):
            continue
        changes[name] = [old, new]
    return changes


# --- Who, where from ------------------------------------------------------------------------

def client_ip(request) -> str | None:
    """The address the request came from, read as the lockouts and rate limits read it
    (``lapor.core.security.client_ip``: behind ``LAPOR_PROXY_COUNT`` proxies); None when
    there is no request or no valid address."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address((security.client_ip(request) or "").strip()))
    except ValueError:
        return None


def scope_agency(target) -> Agency | None:
    """The agency whose tree a change belongs to, for who may read its entry."""
    if target is None:
        return None
    if isinstance(target, Agency):
        return target
    for path in (("agency",), ("office", "agency"), ("assigned_agency",), ("addressed_agency",)):
        value = target
        for name in path:
            value = getattr(value, name, None)
        if isinstance(value, Agency):
            return value
    return None


def _standing(user, scope_path: str) -> tuple[str, str]:
    """(role, agency name) the actor acts with over data in ``scope_path``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "", ""
    memberships = list(user.memberships.select_related("agency"))

    def rank(m):
        return ROLE_RANK.index(m.role) if m.role in ROLE_RANK else len(ROLE_RANK)

    over = [m for m in memberships if scope_path and scope_path.startswith(m.agency.path)]
    national = [m for m in memberships if m.role == Role.NATIONAL_ADMIN]
    chosen = min(over or national or memberships, key=rank, default=None)
    if chosen is None:
        return (SUPERUSER if user.is_superuser else ""), ""
    return chosen.role, chosen.agency.name


# --- The one way in -------------------------------------------------------------------------

def audit_record(
    *, actor, action: str, target=None, changes: dict | None = None, agency: Agency | None = None,
    request=None, ip: str | None = None, note: str = "", via_admin: bool = False, role: str | None = None,
    object_type_name: str | None = None, object_id: str | None = None, object_label: str | None = None, now=None,
) -> AuditEntry:
    """Append one entry to the audit log and return it.

    ``target`` is the object acted on (pass it before deleting it: its id and name are read
    here); ``changes`` is ``diff(...)``'s ``{field: [old, new]}``; ``agency`` the tree the
    change belongs to (default: the target's own agency), which decides which agency admins
    and supervisors read the entry. ``request`` (or ``ip``) gives the address. Side effect:
    one ``AuditEntry`` row, in the caller's transaction.
    """
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    agency = agency if agency is not None else scope_agency(target)
    scope_path = agency.path if agency is not None else ""
    held_role, held_agency = _standing(actor, scope_path)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if target is not None:
        object_type_name = object_type(target) if object_type_name is None else object_type_name
        object_id = ("" if target.pk is None else target.pk) if object_id is None else object_id
    entry = AuditEntry(
        at=now or timezone.now(),
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        actor_role=role if role is not None else held_role,
        actor_agency=held_agency,
        action=action,
        object_type=object_type_name or "",
        object_id=str(object_id if object_id is not None else ""),
        object_label=(object_label if object_label is not None else label(target))[:200],
        agency_path=scope_path,
        agency_name=agency.name[:200] if agency is not None else "",
        changes=changes or {},
        note=note,
        ip=ip if ip is not None else client_ip(request),
        via_admin=via_admin,
    )
    entry.save()
    return entry
