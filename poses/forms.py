from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet

from workflow.uploads import KeptUploadsForm

from . import images
from .models import Pose, Status


class PoseAdminForm(forms.ModelForm):
    class Meta:
        model = Pose
        # The admin's fieldsets choose the fields; these are the ones given widgets here.
        fields = ["summary", "equipment"]
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


class ImageForm(forms.ModelForm):
    """A picture row: a new upload is checked, processed and stored while the form is
    validated, before the save's transaction, so that a full or unwritable media storage is
    an error next to the field (the rest of the form kept) instead of a failed save."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):
            return file
        images.check_size(file.size)
        file.seek(0)
        processed = images.process(file.read())
        try:
            self.instance.attach(processed)
        except images.StorageFailed as error:
            raise ValidationError(
                f"{error} Nothing was saved. Try again later, or tell whoever runs the site.", code="storage"
            ) from None
        return self.instance.file.name


class KeptImageForm(KeptUploadsForm, ImageForm):
    """A picture row of the admin: checked and stored while the form is validated (ImageForm), and kept
    for the next save when the form is refused for another reason (KeptUploadsForm)."""
