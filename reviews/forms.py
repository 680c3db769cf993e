from django import forms
from django.utils.translation import gettext_lazy as _

from hruf.models import Entity, Region, User
from scans.periods import Period
from scans.scoring import Tier

from .models import DECLINE_REASON_MAX, AgendaItem, Decision


class RqrCreateForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), empty_label=_("Choose the region"))
    quarter = forms.CharField(label=_("Quarter"), max_length=7, help_text=_("For example 2026-Q4."))
    date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    entities = forms.ModelMultipleChoiceField(
        label=_("Participating entities"), queryset=Entity.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_quarter(self) -> Period:
        try:
            period = Period.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if period.kind != "quarterly":
            raise forms.ValidationError(_("Give a quarter, such as 2026-Q4."))
        return period


class SagCreateForm(forms.Form):
    date = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.filter(roles__role="sag").distinct(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class LockForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class AgendaAddForm(LockForm):
    country = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why discuss it"), max_length=2000, required=False)


class AgendaRemoveForm(LockForm):
    reason = forms.CharField(label=_("Why take it off"), max_length=2000, required=False)


class RecordForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "—"), *Decision.choices], required=False)
    agreed_tier = forms.ChoiceField(label=_("Agreed risk level"), choices=[("", "—"), *Tier.choices], required=False)

    class Meta:
        model = AgendaItem
        fields = ["summary", "agreed_tier", "agreed_tier_reason", "decision", "decision_reason", "dissent"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "agreed_tier_reason": forms.Textarea(attrs={"rows": 2}),
            "decision_reason": forms.Textarea(attrs={"rows": 2}),
            "dissent": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if not meeting.is_rqr:  # the SAG is the last step: escalating from it is not offered
            self.fields["decision"].choices = [c for c in self.fields["decision"].choices if c[0] != Decision.ESCALATE]


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Why the SAG should take it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class EnhancedDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why EOSG declines enhanced reporting"), max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        error_messages={"required": _("Say why enhanced reporting is declined.")},
    )
