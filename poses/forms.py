from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .models import Pose, Status


class PoseAdminForm(forms.ModelForm):
    class Meta:
        model = Pose
        # The admin's fieldsets choose the fields; these are the ones given help or widgets here.
        fields = ["slug", "summary", "level", "equipment"]
        help_texts = {
            # The admin shows help texts as HTML, so the model's "/poses/<slug>/" would lose its <slug>.
            "slug": "The end of the pose's address, as in /poses/backbend/. "
            "Changing it breaks links to the old address.",
            "level": "Who can do it safely without a teacher's help.",
            "equipment": "Tick the props the pose needs; leave all empty if it needs none.",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "equipment": forms.CheckboxSelectMultiple,
        }


def kept_forms(formset) -> list:
    """The forms of a bound, cleaned formset that will be saved: filled in and not marked for deletion."""
    # An untouched extra form is skipped by validation and has no cleaned data.
    return [form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class PoseStepFormSet(BaseInlineFormSet):
    """A pose is only worth publishing once it says how to do it."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if self.instance.status == Status.PUBLISHED and not kept_forms(self):
            raise ValidationError(
                "A published pose needs at least one step. "
                "Add a step, or set the status to Draft to keep working on it.",
                code="no_steps",
            )
