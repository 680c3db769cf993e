from django import forms

from .models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
