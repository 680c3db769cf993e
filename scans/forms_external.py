"""Forms for importing an external risk assessment: the upload, then the confirmation of a preview."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .external import MAX_UPLOAD_BYTES
from .models import ExternalRiskSnapshot

# The preview travels back to the server signed, so what is confirmed is exactly what was previewed
# (no file kept on the server between the two steps, and two tabs never mix their previews).
PREVIEW_SALT = "scans.external-risk-preview"
PREVIEW_MAX_AGE = 60 * 60


class ExternalRiskUploadForm(forms.ModelForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 CSV with a header line: country (or country name), risk (or probability, score), "
                    "optionally rank and iso3. At most 1 MB."),
    )

    source_url = forms.URLField(label=_("source address"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = ExternalRiskSnapshot
        fields = ["source", "source_url", "as_of_date", "notes"]
        widgets = {
            "as_of_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = ["file", "source", "source_url", "as_of_date", "notes"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(n)s KB."), params={"n": MAX_UPLOAD_BYTES // 1000})
        return upload

    def clean_as_of_date(self):
        day = self.cleaned_data["as_of_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future; give the date the assessment describes."))
        return day

    def preview_token(self, text: str) -> str:
        d = self.cleaned_data
        payload = {
            "text": text, "filename": d["file"].name, "source": d["source"], "source_url": d["source_url"],
            "as_of_date": d["as_of_date"].isoformat(), "notes": d["notes"],
        }
        return signing.dumps(payload, salt=PREVIEW_SALT, compress=True)


class ExternalRiskConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> dict:
        try:
            return signing.loads(self.cleaned_data["token"], salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(_("The preview is more than an hour old; upload the file again.")) from None
        except signing.BadSignature:
            raise forms.ValidationError(_("The preview could not be read; upload the file again.")) from None
