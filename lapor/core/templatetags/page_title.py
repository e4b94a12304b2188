"""``{% filter page_title %}…{% endfilter %}``: a page's own title, then the site's name.

A block cannot be asked whether a child filled it (``self.title`` is Jinja's, not
Django's), so base.html renders the block inside this filter, which adds " · Lapor" only
after a title that is there.
"""
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True)
def page_title(rendered: str) -> str:
    title = " ".join(str(rendered).split())
    return mark_safe(f"{title} · Lapor" if title else "Lapor")  # the block's output is escaped already
