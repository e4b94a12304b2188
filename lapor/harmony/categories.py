"""The SILAPAT category family in the ordinary two-level taxonomy, and its routing rules.

Incidents are reports: they travel the same lifecycle, so all SILAPAT needs is a topic
with sub-topics (one per kind of tension, plus the usual subjects of dispute) and
routing rules that send them, in each office's area, to its Kesbangpol unit.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from lapor.agencies.models import RoutingRule
from lapor.categories.loading import category_slug
from lapor.categories.models import Category
from lapor.harmony.enums import TensionKind

TOPIC = "Kerukunan Umat Beragama (SILAPAT)"
# (sub-topic, the tension kind it suggests)
SUBTOPICS = [
    ("Ketegangan Antarumat Beragama", TensionKind.BETWEEN),
    ("Ketegangan Intern Umat Beragama", TensionKind.WITHIN),
    ("Ketegangan Umat Beragama dengan Pemerintah", TensionKind.WITH_GOVERNMENT),
    ("Pendirian dan Penggunaan Rumah Ibadah", TensionKind.BETWEEN),
    ("Penyiaran Agama dan Aliran Keagamaan", TensionKind.WITHIN),
]
# LAPOR!'s own "Agama › Kerukunan Umat Beragama" is a harmony report too.
GENERAL_TOPIC, GENERAL_SUBTOPIC = "Agama", "Kerukunan Umat Beragama"


def topic_slug() -> str:
    return category_slug(TOPIC)


def subtopic_slug(name: str) -> str:
    return category_slug(name, parent_slug=topic_slug())


def harmony_categories():
    """The sub-topics a harmony incident may be filed under (active or not)."""
    general = category_slug(GENERAL_SUBTOPIC, parent_slug=category_slug(GENERAL_TOPIC))
    return Category.objects.filter(Q(parent__slug=topic_slug()) | Q(slug=general)).order_by("position", "name")


def tension_for(category) -> str:
    by_slug = {subtopic_slug(name): kind for name, kind in SUBTOPICS}
    return by_slug.get(getattr(category, "slug", ""), TensionKind.BETWEEN)


def is_harmony_category(category) -> bool:
    return category is not None and harmony_categories().filter(pk=category.pk).exists()


@transaction.atomic
def ensure_harmony_categories(*, offices=None) -> int:
    """Create the SILAPAT topic and sub-topics when missing, and a routing rule to each
    office's Kesbangpol unit for each of them in the office's area; returns how many rows
    were created.

    Side effects: inserts categories and routing rules only; an existing category or a
    rule an administrator pointed elsewhere is left as it is."""
    from lapor.harmony.models import HarmonyOffice

    created = 0
    topic, was_created = Category.objects.get_or_create(
        slug=topic_slug(), defaults={"name": TOPIC, "position": Category.objects.filter(parent=None).count() + 1}
    )
    created += was_created
    for position, (name, _kind) in enumerate(SUBTOPICS, start=1):
        _cat, was_created = Category.objects.get_or_create(
            slug=subtopic_slug(name), defaults={"name": name, "parent": topic, "position": position}
        )
        created += was_created
    offices = HarmonyOffice.objects.select_related("agency") if offices is None else offices
    for office in offices:
        for category in harmony_categories():
            _rule, was_created = RoutingRule.objects.get_or_create(
                category=category, region_id=office.region_id, defaults={"agency": office.agency}
            )
            created += was_created
    return created
