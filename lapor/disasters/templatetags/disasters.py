"""``{% load disasters %}{% disaster_banner %}``: the banner of live disasters (home page)."""
from django import template

from lapor.disasters.selectors import live_disasters

register = template.Library()


@register.inclusion_tag("disasters/_banner.html")
def disaster_banner():
    return {"disasters": live_disasters()}
