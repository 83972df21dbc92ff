"""The directory's "compare these" form."""

from django import forms
from django.core.exceptions import ValidationError

from frameworks.compare_paths import MAX_FRAMEWORKS, MIN_FRAMEWORKS
from frameworks.models import Framework


def _too_many(count: int) -> ValidationError:
    return ValidationError(
        f"Choose {MIN_FRAMEWORKS} to {MAX_FRAMEWORKS} frameworks to compare; you chose {count}.", code="count"
    )


class FrameworkChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if value and len(value) > MAX_FRAMEWORKS:
            raise _too_many(len(value))  # before looking any of them up
        return super().clean(value)


class CompareForm(forms.Form):
    """Pick 2 to 4 published frameworks; the view redirects to their compare page."""

    fw = FrameworkChoiceField(
        queryset=Framework.objects.published(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label="Frameworks to compare",
        error_messages={
            "required": f"Choose {MIN_FRAMEWORKS} to {MAX_FRAMEWORKS} frameworks to compare.",
            "invalid_choice": "%(value)s is not a framework we list. Choose from the table.",
        },
    )

    def clean_fw(self):
        chosen = self.cleaned_data["fw"]
        if not MIN_FRAMEWORKS <= len(chosen) <= MAX_FRAMEWORKS:
            raise _too_many(len(chosen))
        return chosen
