"""The guides index's filters, read from the query string."""

from django import forms
from django.core.exceptions import ValidationError

from frameworks.models import Framework


class GuideFilterForm(forms.Form):
    """A topic (chosen from the categories) and a framework (named by its slug in the URL: published only).

    Frameworks are too many for a select, so ``framework`` is a plain slug
    that framework pages link with; an unknown one is an error a reader can
    act on (the view answers 400).
    """

    topic = forms.ChoiceField(
        label="Topic",
        required=False,
        error_messages={"invalid_choice": "“%(value)s” is not a topic we publish guides in."},
    )
    framework = forms.CharField(label="Framework", required=False, max_length=50, widget=forms.HiddenInput)

    def __init__(self, data, *, categories):
        super().__init__(data, label_suffix="")
        self.fields["topic"].choices = [("", "Every topic")] + [(c.slug, c.name) for c in categories]

    def clean_framework(self) -> Framework | None:
        slug = self.cleaned_data["framework"]
        if not slug:
            return None
        framework = Framework.objects.published().filter(slug=slug).only("name", "slug").first()
        if framework is None:
            raise ValidationError(f"“{slug}” is not a framework we list.", code="unknown_framework")
        return framework

    def problems(self) -> list[str]:
        """Every error as a sentence, in field order."""
        return [str(e) for errors in self.errors.values() for e in errors]
