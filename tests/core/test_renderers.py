"""Select boxes rendered in Python must read exactly as Django's templates write them."""
from django import forms
from django.forms.renderers import DjangoTemplates

from lapor.core.renderers import Renderer


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("", "— Pilih —"), ("1", "Satu"), ("2", "Dua <b>&</b> \"tiga\"")])
    grouped = forms.ChoiceField(required=False, choices=[
        ("", "Semua"),
        ("Infrastruktur", [("10", "Infrastruktur (umum)"), ("11", "Jalan")]),
        ("Kesehatan", [("20", "Puskesmas")]),
    ])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    disabled = forms.ChoiceField(choices=[("x", "X")], disabled=True,
                                 widget=forms.Select(attrs={"aria-describedby": "help-x", "data-level": 2}))


def render_both(data=None):
    ours = Sample(data, renderer=Renderer())
    django = Sample(data, renderer=DjangoTemplates())
    return ({name: str(ours[name]) for name in ours.fields}, {name: str(django[name]) for name in django.fields})


def test_selects_read_exactly_as_djangos_templates_write_them():
    ours, django = render_both()
    assert ours == django


def test_a_chosen_option_an_invalid_field_and_a_multiple_choice_read_the_same():
    ours, django = render_both({"plain": "2", "grouped": "11", "many": ["a", "c"], "disabled": "x"})
    assert ours == django
    assert 'value="11" selected' in ours["grouped"]
    assert "Dua &lt;b&gt;&amp;&lt;/b&gt; &quot;tiga&quot;" in ours["plain"]
    invalid_ours, invalid_django = render_both({"plain": "nope"})
    assert invalid_ours == invalid_django
    assert 'aria-invalid="true"' in invalid_ours["plain"]
