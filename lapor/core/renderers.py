"""The project's form renderer: Django's, with select boxes rendered in Python.

Django renders every ``<option>`` of a select through two template includes. The public
list's filter form alone has some 500 options (topics, regions, agencies): rendering them
through templates took most of that page's CPU time. The markup here is the same as
Django's ``select.html`` / ``select_option.html`` / ``attrs.html`` (attributes with True
are written bare, False ones left out, everything escaped), so nothing on the page
changes; any other widget, or an option with its own template, goes through the
templates as before.
"""
from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            # select_option.html ends with a newline, kept so the markup is byte for byte the same.
            # (Joined by hand: format_html per option was most of a 200-option form's time.)
            out.append(f'\n  <option value="{escape(str(option["value"]))}"{_attrs(option["attrs"]) if option["attrs"] else ""}>'
                       f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return mark_safe("".join(out))


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(
            option.get("template_name") == OPTION for _g, choices, _i in widget["optgroups"] for option in choices
        ):
            return render_select(widget)
        return super().render(template_name, context, request)
