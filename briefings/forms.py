from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from scans.periods import Period

from .selectors import recent_months


class MonthlyRequestForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            (m.code, formats.date_format(m.start, "YEAR_MONTH_FORMAT")) for m in recent_months(today)
        ]

    def clean_month(self) -> Period:
        return Period.parse(self.cleaned_data["month"])
