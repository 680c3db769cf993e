from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..scoring import Tier

register = template.Library()


@register.simple_tag
def tier_badge(tier: str):
    if not tier:
        return format_html('<span class="text-muted">{}</span>', _("no scan"))
    return format_html('<span class="badge tier-{}">{}</span>', tier, Tier(tier).label)


@register.simple_tag
def score_change(delta):
    """A signed change with words, not only an arrow, for screen readers and print."""
    if delta is None:
        return format_html('<span class="text-muted">{}</span>', _("first scan"))
    if delta > 0:
        return format_html('<span class="text-danger">▲ +{} <span class="visually-hidden">{}</span></span>', delta, _("worse"))
    if delta < 0:
        return format_html('<span class="text-success">▼ {} <span class="visually-hidden">{}</span></span>', delta, _("better"))
    return format_html("<span>= {}</span>", _("unchanged"))
