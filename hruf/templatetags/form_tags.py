"""One form pattern for every page (issue 13, item 5): a refusal, whether a bound form's errors or an error
message after a redirect, makes the page title start with "Error:" and shows a summary linked to the field;
the field repeats its message inline. A message names its field by its `extra_tags` (the field's id)."""

from django import template
from django.contrib.messages import constants

register = template.Library()


def _errors(messages):
    return [m for m in messages or () if m.level >= constants.ERROR]


def _rows(item) -> list:
    """The forms of a form, a formset or a list of forms."""
    if isinstance(item, (list, tuple)):
        return list(item)
    return list(item.forms) if hasattr(item, "forms") else [item]


@register.simple_tag(takes_context=True)
def page_has_errors(context, *forms) -> bool:
    """`form` of the context, the forms given (forms, formsets or lists) or an error message refused something."""
    for item in filter(None, (context.get("form"), *forms)):
        if hasattr(item, "non_form_errors") and item.non_form_errors():
            return True
        if any(getattr(form, "errors", None) for form in _rows(item)):
            return True
    return bool(_errors(context.get("messages")))


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms):
    """One summary for a page's forms and formsets, at its top. Each form summarised here is marked so that
    crispy's per-form summary (templates/bootstrap5/errors.html) does not list it a second time."""
    general, fields = [], []
    for item in forms:
        if hasattr(item, "non_form_errors"):  # a formset: its own errors, then each row's
            general += item.non_form_errors()
        for form in _rows(item):
            if not getattr(form, "errors", None):
                continue
            form.summarised = True
            general += form.non_field_errors()
            for field in form:
                target = field.id_for_label or f"{field.auto_id}_0"
                fields += [(None if field.is_hidden else target, field.label, e) for e in field.errors]
    return {"general": general, "fields": fields}


@register.inclusion_tag("_field_error.html", takes_context=True)
def field_error(context, *id_parts):
    """The inline message of a hand-written form's field, from the error message that named it by its id
    (given whole or in parts joined by "-", as in `{% field_error "remove" item.pk %}`)."""
    field_id = "-".join(str(part) for part in id_parts)
    return {"field_id": field_id, "errors": [m for m in _errors(context.get("messages")) if m.extra_tags == field_id]}
