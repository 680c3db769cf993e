"""Reference content in the reader's language: each translatable row keeps its English text in its own
columns (what queries, orderings and exports read) and its translations beside it in one JSON column,
{"fr": {"name": "..."}, "ar": {...}}. A text not yet translated reads in English, marked as such.

Shipped translations live in hruf/data/reference_translations/<locale>.json, one file per language mapping
each English reference text to its translation; `translations_apply` fills them into the rows that lack them
(the data migration, `load_reference`), never over a translation someone edited.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SOURCE_LANGUAGE = "en"
SHIPPED = Path(__file__).resolve().parent / "data" / "reference_translations"


def target_languages() -> list[tuple[str, Any]]:
    """The languages a reference text is translated into, with their (lazy) names: every offered one but English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def reader_language(language: str | None = None) -> str:
    return (language or translation.get_language() or settings.LANGUAGE_CODE).lower()


class LocalText(str):
    """A reference text in the reader's language, or its English where no translation exists (`fallback`)."""

    language: str
    fallback: bool

    def __new__(cls, text: str, language: str, fallback: bool = False) -> LocalText:
        made = super().__new__(cls, text)
        made.language = language
        made.fallback = fallback
        return made


def pick(english: str, translations: dict | None, field: str, language: str | None = None) -> LocalText:
    """`field`'s text in the reader's language from a row's English text and translations (a model's own,
    or read with `.values()`)."""
    language = reader_language(language)
    if language == SOURCE_LANGUAGE or not english:
        return LocalText(english or "", SOURCE_LANGUAGE)
    text = ((translations or {}).get(language) or {}).get(field)
    if text:
        return LocalText(text, language)
    return LocalText(english, SOURCE_LANGUAGE, fallback=True)


def collation_key(text: str) -> str:
    """Sorts names as readers expect in any script: accents and case aside (Égypte beside Equateur)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


class Translatable(models.Model):
    """A model whose `TRANSLATED` text fields have a translation per language."""

    TRANSLATED: ClassVar[tuple[str, ...]] = ()

    translations = models.JSONField(_("translations"), default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> LocalText:
        return pick(getattr(self, field), self.translations, field, language)

    def missing_translations(self) -> list[tuple[str, str]]:
        """(language, field) of each text that has no translation yet."""
        return [(code, field) for code, _name in target_languages() for field in self.TRANSLATED
                if getattr(self, field) and not (self.translations.get(code) or {}).get(field)]


def written_in() -> models.CharField:
    """What a person wrote stays as written; this records its language (a code of settings.LANGUAGES, or
    empty where nobody said), for readers, screen readers and any later translation."""
    return models.CharField(_("written in"), max_length=16, blank=True)


class WrittenInField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Written in"))
        kwargs.setdefault("help_text", _("The language you write these texts in, so that readers know it."))
        super().__init__(choices=[("", _("Not said"))] + list(settings.LANGUAGES), required=False, **kwargs)


# Shipped translations ------------------------------------------------------------------------------------


@cache
def shipped(language: str) -> dict[str, str]:
    """The shipped translations into `language`: English text -> translation ({} when none ship)."""
    path = SHIPPED / f"{translation.to_locale(language)}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def translations_apply(model, fields: tuple[str, ...]) -> int:
    """Fill each row's missing translations of `fields` from the shipped files; the number of rows changed.
    Works on historical models too (migrations), so it reads only the columns."""
    changed = 0
    for row in model.objects.all():
        stored = row.translations or {}
        touched = False
        for code, _name in target_languages():
            known = shipped(code)
            for field in fields:
                english = getattr(row, field)
                if english in known and not (stored.get(code) or {}).get(field):
                    stored.setdefault(code, {})[field] = known[english]
                    touched = True
        if touched:
            model.objects.filter(pk=row.pk).update(translations=stored)
            changed += 1
    return changed


# Editing -------------------------------------------------------------------------------------------------


def form_field_name(field: str, language: str) -> str:
    return f"{field}__{language.replace('-', '_')}"


class TranslationsFormMixin:
    """Edits a Translatable's translations, one optional box per field and language; an empty box means
    "not translated": the text reads in English, marked."""

    instance: Translatable
    fields: dict
    cleaned_data: dict

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.translations or {}
        for code, _name in target_languages():
            for field in self.instance.TRANSLATED:
                self.fields[form_field_name(field, code)].initial = (stored.get(code) or {}).get(field, "")

    def own_fields(self) -> list:
        return [self[name] for name in self.fields if "__" not in name]  # type: ignore[index]

    def translation_groups(self) -> list[tuple[Any, bool, list]]:
        """(language name, whether a box of it was refused, its boxes) for each language, to fold them apart."""
        groups = []
        for code, name in target_languages():
            boxes = [self[field] for field in translation_fieldnames(self.instance, code)]  # type: ignore[index]
            groups.append((name, any(box.errors for box in boxes), boxes))
        return groups

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        stored: dict[str, dict[str, str]] = {}
        for code, _name in target_languages():
            texts = {field: text.strip() for field in self.instance.TRANSLATED
                     if (text := data.get(form_field_name(field, code)) or "").strip()}
            if texts:
                stored[code] = texts
        self.instance.translations = stored
        return data


def translations_form(base: type[forms.ModelForm], model: type[Translatable] | None = None) -> type[forms.ModelForm]:
    """`base` (a form of `model`, by default its Meta's) with a box for each translated field in each
    language, labelled "Name (French)"."""
    model = model or base._meta.model
    declared: dict[str, forms.Field] = {}
    for code, name in target_languages():
        for field in model.TRANSLATED:
            source = cast(models.Field, model._meta.get_field(field))
            attrs = {"lang": code, "dir": "rtl" if translation.get_language_info(code)["bidi"] else "ltr"}
            widget = forms.Textarea(attrs={**attrs, "rows": 3}) if isinstance(source, models.TextField) else (
                forms.TextInput(attrs=attrs))
            declared[form_field_name(field, code)] = forms.CharField(
                label=_label(source.verbose_name, name), required=False,
                max_length=source.max_length, widget=widget)
    return type(f"{base.__name__}Translated", (TranslationsFormMixin, base), declared)


def translation_fieldnames(model, language: str) -> list[str]:
    return [form_field_name(field, language) for field in model.TRANSLATED]


def _translation_label(field, language_name) -> str:
    return gettext("%(field)s (%(language)s)") % {"field": capfirst(str(field)), "language": language_name}


# "Name (French)", worded in the language of whoever reads the form.
_label = lazy(_translation_label, str)


class TranslationsAdminMixin:
    """A ModelAdmin or inline for a Translatable: its own fields first, then one folded section per language."""

    model: type[Translatable]
    form: type[forms.ModelForm]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = type("Base", (forms.ModelForm,), {"Meta": type("Meta", (), {"model": self.model, "fields": "__all__"})})
        self.form = translations_form(base)

    def get_fieldsets(self, request, obj=None):
        own = [name for name in super().get_fieldsets(request, obj)[0][1]["fields"]  # type: ignore[misc]
               if "__" not in name]
        return [(None, {"fields": own})] + [
            (name, {"fields": translation_fieldnames(self.model, code), "classes": ["collapse"]})
            for code, name in target_languages()
        ]
