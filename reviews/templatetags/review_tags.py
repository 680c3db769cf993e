from django import template

from reviews.reasons import render_reasons

register = template.Library()


@register.filter
def reasons(stored) -> list[str]:
    """Stored proposal reasons (codes) as sentences in the reader's language."""
    return render_reasons(stored)
