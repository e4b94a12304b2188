"""Which agency usually handles a report of this category in this region (SPEC §10)."""
from __future__ import annotations

from lapor.agencies.models import Agency, RoutingRule


def suggest_agency(*, category, region) -> Agency | None:
    """The agency of the most specific routing rule, or None.

    Precedence: the region first (village, district, regency/city, province, then a rule
    with no region), and within a region the sub-topic's own rule before its topic's. One
    query, whatever the depth.
    """
    if category is None:
        return None
    categories = [category.pk] + ([category.parent_id] if category.parent_id else [])
    region_codes = region.ancestor_codes() if region is not None else []
    rules = RoutingRule.objects.filter(category_id__in=categories, agency__is_active=True).select_related("agency")
    candidates = [r for r in rules if r.region_id is None or r.region_id in region_codes]
    if not candidates:
        return None

    def rank(rule):
        specificity = region_codes.index(rule.region_id) if rule.region_id else len(region_codes)
        return (specificity, categories.index(rule.category_id))

    return min(candidates, key=rank).agency
