"""The audit log in the Django admin: readable, never writable, not even by a superuser;
and ``AuditedAdmin``, the mixin that records what the admin changes in it.

Django's own ``LogEntry`` says *that* an object changed; ``AuditedAdmin`` adds what changed
(old → new, secrets and personal data hidden) to the same append-only log the back office
writes, through the ``log_addition``/``log_change``/``log_deletions`` hooks every admin
page and the "delete selected" action call, and through ``save_formset`` for inlines.
"""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Membership
from lapor.audit.labels import change_rows, note_shown, role_label, type_label
from lapor.audit.models import HIDDEN, AuditAction, AuditEntry
from lapor.audit.services import audit_record, diff, snapshot, stored_snapshot

_BEFORE = "_audit_before"


def _message_fields(message) -> list[str]:
    """Field names a LogEntry change message (a list of dicts) mentions."""
    names = []
    for item in message if isinstance(message, list) else []:
        for details in item.values():
            if isinstance(details, dict):
                names += [str(name) for name in details.get("fields", [])]
    return names


class AuditedAdmin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``) to audit its changes."""

    def _audit(self, request, *, action, target, changes=None, note=""):
        grants = {AuditAction.CREATED: AuditAction.ROLE_GRANTED, AuditAction.DELETED: AuditAction.ROLE_REVOKED}
        if isinstance(target, Membership):
            action = grants.get(action, action)
        audit_record(actor=request.user, action=action, target=target, changes=changes, request=request,
                     via_admin=True, note=note)

    def save_model(self, request, obj, form, change):
        if change:
            # The form has already written its values into ``obj``: read the stored row.
            setattr(obj, _BEFORE, stored_snapshot(obj))
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        result = super().log_addition(request, obj, message)
        self._audit(request, action=AuditAction.CREATED, target=obj, changes=diff(None, snapshot(obj)))
        return result

    def log_change(self, request, obj, message):
        result = super().log_change(request, obj, message)
        before = obj.__dict__.pop(_BEFORE, None)
        if before is not None:
            changes = diff(before, snapshot(obj))
        else:
            # A change made outside save_model, e.g. the admin's password form.
            changes = {name: [HIDDEN, HIDDEN] for name in _message_fields(message)}
        if changes:
            self._audit(request, action=AuditAction.CHANGED, target=obj, changes=changes)
        return result

    def log_deletions(self, request, queryset):
        # Called before the deletion, so each object still has its id and values.
        for obj in queryset:
            self._audit(request, action=AuditAction.DELETED, target=obj, changes=diff(snapshot(obj), None))
        return super().log_deletions(request, queryset)

    def save_formset(self, request, form, formset, change):
        deleted = {f.instance.pk: (f.instance, snapshot(f.instance))
                   for f in formset.deleted_forms if f.instance.pk is not None}
        before = {f.instance.pk: stored_snapshot(f.instance)
                  for f in formset.initial_forms if f.instance.pk is not None and f.instance.pk not in deleted
                  and f.has_changed()}
        for obj, values in deleted.values():
            self._audit(request, action=AuditAction.DELETED, target=obj, changes=diff(values, None))
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self._audit(request, action=AuditAction.CREATED, target=obj, changes=diff(None, snapshot(obj)))
        for obj, _fields in formset.changed_objects:
            changes = diff(before.get(obj.pk), snapshot(obj))
            if changes:
                self._audit(request, action=AuditAction.CHANGED, target=obj, changes=changes)


class _WordedFilter(admin.SimpleListFilter):
    """A filter on a column of codes, offering each code recorded, in words."""

    words = staticmethod(str)

    def lookups(self, request, model_admin):
        values = AuditEntry.objects.exclude(**{self.parameter_name: ""}).order_by().values_list(
            self.parameter_name, flat=True).distinct()
        return sorted(((value, self.words(value)) for value in values), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


class TypeFilter(_WordedFilter):
    title = _("jenis data")
    parameter_name = "object_type"
    words = staticmethod(type_label)


class RoleFilter(_WordedFilter):
    title = _("sebagai")
    parameter_name = "actor_role"
    words = staticmethod(role_label)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for everyone: the model has no add/change/delete permission at all."""

    list_display = ["at", "actor_name", "role", "action", "data_type", "object_label", "agency_name", "ip", "via_admin"]
    list_filter = ["action", TypeFilter, "via_admin", RoleFilter]
    # The detail page: what the back office's log shows (lapor/audit/labels.py), not the
    # stored codes and JSON ("agency_admin", "accounts.user", {"is_proxy": [false, true]}).
    fields = ["at", "actor_name", "role", "action", "data_type", "object_id", "object_label", "agency_name",
              "changes_read", "note_read", "ip", "via_admin"]
    search_fields = ["actor_name", "object_label", "object_id", "agency_name", "note"]
    date_hierarchy = "at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("sebagai"), ordering="actor_role")
    def role(self, entry):
        return role_label(entry.actor_role) if entry.actor_role else "—"

    @admin.display(description=_("jenis data"), ordering="object_type")
    def data_type(self, entry):
        return type_label(entry.object_type) if entry.object_type else "—"

    @admin.display(description=_("perubahan"))
    def changes_read(self, entry):
        rows = change_rows(entry)
        if not rows:
            return "—"
        return format_html_join(mark_safe("<br>"), "{}: {} → {}", ((r["field"], r["old"], r["new"]) for r in rows))

    @admin.display(description=_("catatan"))
    def note_read(self, entry):
        return note_shown(entry.note) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
