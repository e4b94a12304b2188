"""Back-office forms for opinion polls and IKM surveys. They parse what staff typed; the
rules (at least two options, a closing time in the future, who may publish) live in
lapor.transparency.services, whose errors the views put back on these fields."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency
from lapor.office.forms import AgencyChoiceField

MAX_OPTIONS = 20
OPTION_LENGTH = 200  # PollOption.text


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def end_of_day(day: datetime.date, agency: Agency) -> datetime.datetime:
    """A poll closing "on" a date stays open to the end of that day where the agency is."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(agency.time_zone))


def local_day(moment: datetime.datetime, agency: Agency) -> datetime.date:
    return moment.astimezone(ZoneInfo(agency.time_zone)).date()


class PollForm(forms.Form):
    agency = AgencyChoiceField(label=_("Instansi"), queryset=Agency.objects.none())
    question = forms.CharField(label=_("Pertanyaan"), max_length=300)
    description = forms.CharField(label=_("Penjelasan (tidak wajib)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    options = forms.CharField(label=_("Pilihan jawaban"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Satu pilihan per baris; paling sedikit dua."))
    closes_at = forms.DateField(label=_("Ditutup pada tanggal"), widget=DateInput(),
                                help_text=_("Jajak pendapat dibuka sampai akhir hari itu (waktu setempat instansi)."))

    def __init__(self, *args, agencies=None, poll=None, answered=False, **kwargs):
        self.poll = poll
        if poll is not None:
            kwargs.setdefault("initial", {
                "question": poll.question, "description": poll.description,
                "options": "\n".join(o.text for o in poll.options.all()),
                "closes_at": local_day(poll.closes_at, poll.agency),
            })
        super().__init__(*args, **kwargs)
        if poll is not None:
            del self.fields["agency"]  # a poll stays with the agency that asked
        else:
            self.fields["agency"].queryset = agencies
        if answered:
            # What people answered cannot change; disabled fields keep their first value.
            for name in ("question", "options"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Tidak dapat diubah: sudah ada jawaban.")

    def clean_options(self):
        options = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        if len(options) > MAX_OPTIONS:
            raise forms.ValidationError(_("Paling banyak %(n)d pilihan jawaban.") % {"n": MAX_OPTIONS})
        too_long = [o for o in options if len(o) > OPTION_LENGTH]
        if too_long:
            raise forms.ValidationError(_("Setiap pilihan paling panjang %(n)d karakter.") % {"n": OPTION_LENGTH})
        return options

    def closing_moment(self, agency: Agency) -> datetime.datetime | None:
        """The closing time to store: unchanged when the date was left as it was (polls
        made in the Django admin may close at any hour), else the end of the new day."""
        day = self.cleaned_data.get("closes_at")
        if day is None:
            return None
        if self.poll is not None and day == local_day(self.poll.closes_at, agency):
            return self.poll.closes_at
        return end_of_day(day, agency)


class SurveyForm(forms.Form):
    agency = AgencyChoiceField(label=_("Instansi"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Judul survei"), max_length=200,
                            help_text=_("Misalnya: Survei Kepuasan Masyarakat Semester I 2026."))
    opens_on = forms.DateField(label=_("Dibuka pada tanggal"), widget=DateInput())
    closes_on = forms.DateField(label=_("Ditutup pada tanggal"), widget=DateInput())

    def __init__(self, *args, agencies, **kwargs):
        kwargs.setdefault("initial", {"opens_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        # A period that has already ended could never receive an answer.
        if day < timezone.localdate():
            raise forms.ValidationError(_("Tanggal tutup sudah lewat."))
        return day
