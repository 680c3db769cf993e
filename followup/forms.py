from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hruf.forms import CountryChoiceField
from hruf.models import Country, Entity, Role, User
from hruf.translated import translations_form

from .models import Action, ActionStatus, ActionTemplate, Deployment, TemplateBenchmark
from .models.plans import CANCEL_REASON_MIN_CHARS, OUTCOME_MIN_CHARS, Helped
from .services import ActionDraft


def _filled(text, **params):
    """A lazy translation whose placeholders are filled when shown, so in the reader's language."""
    return lazy(lambda: str(text) % params, str)()

_DATE = forms.DateInput(attrs={"type": "date"})


def owners():
    return User.objects.filter(roles__role=Role.OWNER, is_active=True).distinct().order_by("last_name", "username")


class ActionForm(forms.Form):
    """One action of a plan; in the plan form, one row per template, used when ticked."""

    use = forms.BooleanField(label=_("Include"), required=False)
    template = forms.ModelChoiceField(queryset=ActionTemplate.objects.all(), required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(label=_("Tailored to the case"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    lead_entity = forms.ModelChoiceField(label=_("Lead entity"), queryset=Entity.objects.all(),
                                         empty_label=_("Choose the lead entity"))
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting entities"), queryset=Entity.objects.all(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), empty_label=_("Choose the owner"))
    deadline = forms.DateField(label=_("Deadline"), widget=_DATE)
    restricted = forms.BooleanField(label=_("Restricted"), required=False)

    def __init__(self, *args, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners()
        self.optional = optional
        if not optional:
            del self.fields["use"]

    def full_clean(self):
        # An unticked template row is not validated: nothing of it will be saved.
        if self.optional and self.is_bound and not self.data.get(self.add_prefix("use")):
            self.cleaned_data, self._errors = {"use": False}, forms.utils.ErrorDict()
            return
        super().full_clean()

    def draft(self) -> ActionDraft:
        d = self.cleaned_data
        return ActionDraft(
            title=d["title"], description=d["description"], lead_entity=d["lead_entity"], owner=d["owner"],
            deadline=d["deadline"], template=d.get("template"), restricted=d["restricted"],
            supporting=tuple(d["supporting"]),
        )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Plan title"), max_length=200)


class PlanCloseForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_filled(_("What the actions achieved, what changed in the country, what is left. At least %(n)s "
                            "characters."), n=OUTCOME_MIN_CHARS),
    )
    helped = forms.ChoiceField(label=_("Did the plan help?"), choices=Helped.choices, widget=forms.RadioSelect)


class ActionUpdateForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    text = forms.CharField(label=_("What happened"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    cancel_reason = forms.CharField(
        label=_("Reason, if cancelled"), required=False, max_length=5000,
        help_text=_filled(_("At least %(n)s characters; the plan's chair and EOSG are told."), n=CANCEL_REASON_MIN_CHARS),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=_DATE)
    reason = forms.CharField(label=_("Why extend it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), empty_label=_("Choose the owner"))
    deadline = forms.DateField(label=_("Deadline"), widget=_DATE)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners()


class BenchmarkForm(forms.Form):
    description = forms.CharField(label=_("Milestone"), max_length=300)
    due_date = forms.DateField(label=_("Due date"), widget=_DATE)
    evidence_required = forms.BooleanField(label=_("Evidence required to close the action"), required=False, initial=True)


class BenchmarkMetForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence that it was met"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 2}))


class _TemplateForm(forms.ModelForm):
    class Meta:
        model = ActionTemplate
        fields = ["title", "description", "default_lead", "default_duration_days", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"active": _("Untick to retire it: no longer offered for new plans, kept on those that used it.")}


class _TemplateBenchmarkForm(forms.ModelForm):
    FILLED_TOGETHER = ("description", "offset_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A blank "add one" row is optional as a whole; a filled one needs both (see clean).
            for name in self.FILLED_TOGETHER:
                self.fields[name].required = False
        else:
            self.use_required_attribute = True  # formsets turn it off for every row, kept ones included

    def clean(self):
        data = super().clean()
        for name in self.FILLED_TOGETHER:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, forms.Field.default_error_messages["required"])
        return data

    def has_changed(self) -> bool:
        # A blank new row stays blank (not saved, not validated) whatever its tick box says.
        if self.instance.pk is None and not any(
            (self.data.get(self.add_prefix(name)) or "").strip() for name in self.FILLED_TOGETHER
        ):
            return False
        return super().has_changed()


TemplateForm = translations_form(_TemplateForm)
TemplateBenchmarkForm = translations_form(_TemplateBenchmarkForm, TemplateBenchmark)
TemplateBenchmarkFormSet = forms.inlineformset_factory(
    ActionTemplate, TemplateBenchmark, form=TemplateBenchmarkForm, fields=["description", "offset_days", "evidence_required"],
    extra=2, can_delete=True, max_num=20, validate_max=True,
)


def benchmarks_within_duration(form: forms.ModelForm, benchmarks) -> bool:
    """A default benchmark falls due by the action's default deadline: mark those that would not."""
    duration = form.cleaned_data.get("default_duration_days")
    ok = True
    for row in benchmarks.forms:
        offset = row.cleaned_data.get("offset_days") if hasattr(row, "cleaned_data") else None
        if duration is not None and offset is not None and offset > duration and not row.cleaned_data.get("DELETE"):
            row.add_error("offset_days", _("A default benchmark falls due by the default duration (%(n)s days).")
                          % {"n": duration})
            ok = False
    return ok


class DeploymentForm(forms.ModelForm):
    """A deployment in the register (followup.capacity); what the service refuses comes back on its field."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    country = CountryChoiceField(label=_("Country"), queryset=Country.objects.order_by("name"),
                                     empty_label=_("Choose the country"))
    entity = forms.ModelChoiceField(label=_("Entity"), queryset=Entity.objects.all(), empty_label=_("Choose the entity"))
    requested_by = forms.ModelChoiceField(
        label=_("Requested by the action number"), queryset=Action.objects.all(), required=False,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("The number of the plan's action that asks for it (on the action's page), if one does."),
        error_messages={"invalid_choice": _("There is no action with that number.")},
    )

    class Meta:
        model = Deployment
        fields = ["country", "kind", "entity", "starts_on", "ends_on", "arrived_on", "requested_by", "notes"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE, "arrived_on": _DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the kind")), *Deployment.Kind.choices]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:  # on its field (the table's constraint would say it at the top)
            self.add_error("ends_on", _("The deployment ends before it starts."))
        return cleaned
