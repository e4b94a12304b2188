"""Follow buttons for the public pages: ``{% load following %}`` then
``{% follow_report report %}``, ``{% follow_area region=… category=… %}`` or
``{% follow_circle category=… %}`` (the map fills in the circle)."""
from django import template
from django.utils.translation import gettext as _

from lapor.categories.models import Category
from lapor.core.kept import kept
from lapor.following.selectors import existing
from lapor.following.services import MAX_RADIUS_KM, follow_key
from lapor.reports import policy

register = template.Library()


def _base(context, *, fields: dict, label: str, key: str | None) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request is not None else "/",
        "fields": {k: v for k, v in fields.items() if v not in (None, "")},
        "label": label,
        "signed_in": bool(user and user.is_authenticated),
        "existing": existing(user, key) if key else None,
    }


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_report(context, report):
    """Follow one published report's answers (nothing for a report the public cannot see)."""
    if not report.is_published:
        return {"hidden": True}
    request = context.get("request")
    if report.is_anonymous and request is not None and policy.is_reporter(policy.actor_for(request.user), report):
        return {"hidden": True}  # their own anonymous report tells them already (follow_create)
    return _base(context, fields={"laporan": report.tracking_id}, label=_("Ikuti laporan ini"),
                 key=follow_key(report=report))


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_area(context, region=None, category=None):
    """Follow new public reports of a region and/or category (a list's current filter)."""
    if region is None and category is None:
        return {"hidden": True, "hint": True}
    names = " · ".join(n for n in (region.name if region else "", category.name if category else "") if n)
    fields = {"wilayah": region.code if region else "", "kategori": category.pk if category else ""}
    return _base(context, fields=fields,
                 label=_("Ikuti laporan baru: %(what)s") % {"what": names},
                 key=follow_key(region=region, category=category))


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_search(context, form):
    """``follow_area`` for the public list's search form: its region and category, as the
    list applies them (an invalid form filters nothing, so offers nothing to follow)."""
    if not form.is_bound or not form.is_valid():
        return follow_area(context)
    pk = form.cleaned_data.get("category")
    # Kept a minute, as the filter's own choices are (lapor/portal/forms.py): a renamed topic
    # reads the same in both.
    category = kept(f"following:category:{pk}", 60, lambda: Category.objects.filter(pk=pk).first(),
                    keep_none=False) if pk else None
    return follow_area(context, region=form.chosen_region(), category=category)


@register.inclusion_tag("following/_follow_circle.html", takes_context=True)
def follow_circle(context, category=None):
    """Follow the map's current view as a circle; hidden until the map's script fills the
    centre and radius in (without JavaScript there is no view to follow)."""
    data = _base(context, fields={"kategori": category.pk if category else ""}, label="", key=None)
    data["max_radius"] = f"{MAX_RADIUS_KM:g}"
    return data
