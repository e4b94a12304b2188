from django import template

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.8333 → "83,3%"; None → "—" (nothing to divide by)."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%".replace(".", ",")


@register.filter
def days(value):
    """A median in working days: "2", "2,5", or "—"."""
    if value is None:
        return "—"
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")
