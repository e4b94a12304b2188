"""Reads of the category list (SPEC §10) for the surfaces that offer it."""
from __future__ import annotations

from lapor.categories.models import Category
from lapor.core.kept import kept

KEPT_SECONDS = 60


def offered_categories() -> list[Category]:
    """The categories a citizen chooses from when filing, as the website's report form
    offers them (``lapor.portal.forms.category_choices``): each active topic followed by
    its active sub-topics, by position, then name. A sub-topic of a topic taken out of
    service is not offered (the form shows sub-topics only under their topic).

    Each sub-topic holds its topic (``parent``) without a query. Kept a minute per process
    (lapor/core/kept.py): the rows are shared, never change them."""

    def read():
        rows = list(Category.objects.filter(is_active=True).order_by("position", "name"))
        topics = [c for c in rows if c.parent_id is None]
        by_topic: dict[int, list[Category]] = {}
        for category in rows:
            if category.parent_id is not None:
                by_topic.setdefault(category.parent_id, []).append(category)
        parent = Category._meta.get_field("parent")
        offered = []
        for topic in topics:
            offered.append(topic)
            for child in by_topic.get(topic.pk, ()):
                parent.set_cached_value(child, topic)
                offered.append(child)
        return offered

    return kept("categories:offered", KEPT_SECONDS, read)
