from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .locales import is_time_zone
from .models import User
from .translated import collation_key


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.CharField(
        label=_("Time zone"), required=False, max_length=64,
        help_text=_("A place's zone, such as Africa/Niamey or America/New_York. Empty: UTC."),
    )

    class Meta:
        model = User
        fields = ["email_mode", "language", "time_zone"]
        widgets = {"email_mode": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("As my browser asks"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]
        # Typed with the zones offered as suggestions (a list of some 400 would be a long select on a phone).
        self.fields["time_zone"].widget.attrs.update({"list": "time-zones", "autocomplete": "off"})

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        if name and not is_time_zone(name):
            raise forms.ValidationError(
                _("“%(name)s” is not a time zone. Type a zone such as Africa/Niamey, or leave it empty for UTC."),
                params={"name": name},
            )
        return name


class _ByLocalName(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for country in sorted(self.queryset, key=lambda c: collation_key(c.local_name)):
            yield self.choice(country)


class CountryChoiceField(forms.ModelChoiceField):
    """A choice of countries named and ordered in the reader's language (Allemagne with the A's in French)."""

    iterator = _ByLocalName

    def label_from_instance(self, obj) -> str:
        return obj.local_name
