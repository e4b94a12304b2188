"""Seeding the LAPOR! topics (``data.CATEGORIES``) into the database."""
from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from lapor.categories.data import CATEGORIES
from lapor.categories.models import Category

SLUG_MAX_LENGTH = Category._meta.get_field("slug").max_length


def category_slug(name: str, *, parent_slug: str | None = None) -> str:
    """The stable slug of a seeded topic, or of a sub-topic (prefixed by its topic's slug)."""
    # slugify drops "/" silently ("Air Bersih/PDAM" → "air-bersihpdam"); make it a word break.
    slug = slugify(name.replace("/", " "))
    if parent_slug:
        slug = f"{parent_slug}-{slug}"
    if len(slug) > SLUG_MAX_LENGTH:
        raise ValueError(f"category slug longer than {SLUG_MAX_LENGTH} characters: {slug}")
    return slug


@transaction.atomic
def load_categories() -> int:
    """Create every seeded topic and sub-topic that is missing; return how many were created.

    Side effects: inserts categories only. A category that already exists (found by slug)
    is left exactly as it is, so names, order and the active flag that an administrator
    changed survive a re-run; nothing is deleted.
    """
    created = 0
    for topic_position, (topic_name, subtopics) in enumerate(CATEGORIES, start=1):
        topic_slug = category_slug(topic_name)
        topic, was_created = Category.objects.get_or_create(
            slug=topic_slug, defaults={"name": topic_name, "position": topic_position}
        )
        created += was_created
        for position, name in enumerate(subtopics, start=1):
            _, was_created = Category.objects.get_or_create(
                slug=category_slug(name, parent_slug=topic_slug),
                defaults={"name": name, "parent": topic, "position": position},
            )
            created += was_created
    return created
