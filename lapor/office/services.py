"""Writes of the back office's own data: answer templates (SPEC §8). Each one appends an
entry to the audit log in the same transaction. Callers have checked that ``by`` administers
the template's agency."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record, diff, snapshot, stored_snapshot
from lapor.core.text import same_words
from lapor.office.models import AnswerTemplate


@transaction.atomic
def answer_template_save(*, by, template: AnswerTemplate, ip: str | None = None) -> AnswerTemplate:
    """Save a new or edited template (its fields already set, e.g. by a ModelForm with
    ``commit=False``). Side effects: the row; an audit entry (created, or changed with the
    fields that differ; an edit that changes nothing records nothing). Raises
    ValidationError (``title``) when the agency has another template of that title: the
    officer's picker would offer two entries alike. The agency's row is locked while it
    is checked, so two saves at the same instant are checked one after the other."""
    from lapor.agencies.models import Agency

    Agency.objects.select_for_update().filter(pk=template.agency_id).first()
    wanted = same_words(template.title)
    alike = AnswerTemplate.objects.filter(agency_id=template.agency_id).exclude(pk=template.pk)
    if any(same_words(t) == wanted for t in alike.values_list("title", flat=True)):
        raise ValidationError({"title": _("%(agency)s sudah punya templat berjudul “%(title)s”; ubah templat itu "
                                          "atau pilih judul lain.") % {"agency": template.agency.name,
                                                                      "title": template.title.strip()}})
    before = stored_snapshot(template)
    template.save()
    changes = diff(before, snapshot(template))
    if before is None or changes:
        audit_record(actor=by, action=AuditAction.CREATED if before is None else AuditAction.CHANGED,
                     target=template, changes=changes, ip=ip)
    return template


@transaction.atomic
def answer_template_delete(*, by, template: AnswerTemplate, ip: str | None = None) -> None:
    """Side effects: the row is deleted; an audit entry (deleted) keeps its title and text."""
    audit_record(actor=by, action=AuditAction.DELETED, target=template, changes=diff(snapshot(template), None), ip=ip)
    template.delete()
