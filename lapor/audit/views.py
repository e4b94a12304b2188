"""The audit log page of the back office (``/kantor/audit/``): read and filter, nothing else."""
from __future__ import annotations

import datetime

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.audit.models import AuditAction
from lapor.audit.labels import change_rows, model_of, note_shown, role_label, type_label
from lapor.audit.selectors import may_read_audit_log, visible_entries
from lapor.office.access import actor, staff_required

PAGE_SIZE = 50
# What the office and the admin record; the filter offers these (those installed).
OBJECT_TYPES = (
    "agencies.agency", "agencies.membership", "agencies.routingrule", "office.answertemplate",
    "workdays.workdayoverride", "accounts.user", "reports.report", "categories.category",
    "harmony.harmonythreshold", "harmony.harmonyoffice", "harmony.harmonyrole", "harmony.houseofworship",
    "harmony.religiousorganization", "harmony.population", "perwakilan RT/RW",
)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Cari data"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("nama atau ID data")}))
    actor = forms.CharField(label=gettext_lazy("Oleh (nama pengguna)"), required=False, max_length=150)
    action = forms.ChoiceField(label=gettext_lazy("Tindakan"), required=False,
                               choices=[("", gettext_lazy("Semua tindakan"))] + list(AuditAction.choices))
    object_type = forms.ChoiceField(label=gettext_lazy("Jenis data"), required=False)
    date_from = forms.DateField(label=gettext_lazy("Sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("Semua jenis"))] + [
            (t, type_label(t)) for t in OBJECT_TYPES if model_of(t) is not None]

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is None:
                continue
            try:
                for moment in (_day_start(day), _day_start(day + datetime.timedelta(days=1))):
                    moment.astimezone(datetime.timezone.utc)
            except OverflowError:
                # The calendar's first or last day: its start, or the next day's, is no
                # moment in UTC, where the database compares.
                self.add_error(name, self.fields[name].error_messages["invalid"])
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(qs, form: AuditFilterForm):
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["q"]:
        text = data["q"].strip()
        qs = qs.filter(Q(object_label__icontains=text) | Q(object_id=text))
    if data["actor"]:
        qs = qs.filter(actor_name__icontains=data["actor"].strip())
    if data["action"]:
        qs = qs.filter(action=data["action"])
    if data["object_type"]:
        qs = qs.filter(object_type=data["object_type"])
    if data["date_from"]:
        qs = qs.filter(at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        qs = qs.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    return qs


@staff_required
def audit_log(request):
    a = actor(request)
    if not may_read_audit_log(a):
        return render(request, "office/forbidden.html", status=403)
    form = AuditFilterForm(request.GET or None)
    qs = filtered(visible_entries(a), form).order_by("-at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [{"entry": e, "type": type_label(e.object_type) if e.object_type else "", "role": role_label(e.actor_role),
             "changes": change_rows(e), "note": note_shown(e.note)} for e in page.object_list]
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(request, "audit/log.html", {"form": form, "page": page, "rows": rows, "query": params.urlencode()},
                  status=400 if form.is_bound and not form.is_valid() else 200)
