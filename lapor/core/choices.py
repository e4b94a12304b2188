"""Choices, cheaper: ``get_<field>_display`` without rebuilding the field's choices on
every call, and selects of model rows read with one ordinary query.

Django's ``Model._get_FIELD_display`` turns the field's whole list of choices into a dict
each time it is asked for one label; a list page asks twice per row (status, kind), and
that was a tenth of each row's rendering. The dict depends only on the field, so it is
built once; the labels in it stay lazy and are translated when shown, as before.
"""
from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels: dict = {}


class KeptChoiceLabels:
    """Mix into a model: its ``get_<field>_display`` methods answer as Django's do."""

    def _get_FIELD_display(self, field):
        labels = _labels.get(field)
        if labels is None:
            labels = _labels[field] = dict(make_hashable(field.flatchoices))
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class ListedChoices(ModelChoiceIterator):
    """A select's choices read with one ordinary query.

    Django streams a ``ModelChoiceField``'s choices through ``QuerySet.iterator()``, which
    on PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips
    for the few dozen agencies or topics of a filter (a tenth of the inbox's time), and a
    cursor that PgBouncer in transaction mode would not keep between statements."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices
