from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hruf.translated import WrittenInField

from .models import Alert, Confidence, Rating, Trend
from .models.scans import NARRATIVE_LIMIT, TEXT_LIMIT
from .models.warnings import NOTE_LIMIT
from .services import RatingData

_SMALL_SELECT = forms.Select(attrs={"class": "form-select form-select-sm"})


def _blank(choices) -> list:
    return [("", "—")] + list(choices)


class RatingForm(forms.Form):
    """One row of the matrix table. Nothing is required here: drafts may be partial."""

    rating_id = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Rating"), choices=_blank(Rating.Level.choices), coerce=int, empty_value=None, required=False
    )
    trend = forms.ChoiceField(label=_("Trend"), choices=_blank(Trend.choices), required=False, widget=_SMALL_SELECT)
    evidence = forms.CharField(
        label=_("Evidence"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"), choices=_blank(Confidence.choices), required=False, widget=_SMALL_SELECT
    )
    restricted = forms.BooleanField(label=_("Restricted"), required=False)
    evidence_confirmed = forms.BooleanField(label=_("This evidence still holds"), required=False)

    def data_for_service(self) -> RatingData:
        d = self.cleaned_data
        return RatingData(
            rating=d["rating"], trend=d["trend"], evidence=d["evidence"], confidence=d["confidence"],
            restricted=d["restricted"], evidence_confirmed=d["evidence_confirmed"],
        )


RatingFormSet = forms.formset_factory(RatingForm, extra=0, max_num=200, validate_max=True)


class ScanForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    narrative = forms.CharField(
        label=_("Overall narrative"),
        max_length=NARRATIVE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is happening, what changed since the last scan, and what you expect next."),
    )
    amendment_reason = forms.CharField(
        label=_("Reason for the amendment"), max_length=TEXT_LIMIT, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    language = WrittenInField()


class StartScanForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("A quarter such as 2026-Q3, or a month such as 2026-07.")
    )


class AlertForm(forms.ModelForm):
    # Set when the form is shown and sent back with it: the same sending, repeated, raises one alert.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # Four choices, all visible and touch-sized: no blank "---------" to start from.
    severity = forms.ChoiceField(label=capfirst(Alert._meta.get_field("severity").verbose_name), choices=Alert.Severity.choices,
                                 widget=forms.RadioSelect)
    language = WrittenInField()

    class Meta:
        model = Alert
        fields = ["title", "location", "severity", "description", "evidence", "evidence_restricted", "language"]
        # What the officer types keeps its own direction (an English account in an Arabic form, or the reverse).
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto"}),
            "location": forms.TextInput(attrs={"dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
            "evidence": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }


class CaseIndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    guidance = forms.CharField(label=_("Guidance"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    language = WrittenInField()


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("What will be done"), max_length=NOTE_LIMIT, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A few words: who looks into it, and when it comes before the review."),
    )


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("File"))
