from django import forms

from lapor.notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["language", "by_email", "by_sms"]
