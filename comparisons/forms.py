"""The directory's forms: its filters and sort, and "compare these"."""

from django import forms
from django.core.exceptions import ValidationError

from frameworks.compare_paths import MAX_FRAMEWORKS, MIN_FRAMEWORKS
from frameworks.models import Framework, Support


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


LEVELS = [
    ("any", "Any level"),
    (Support.Level.BUILT_IN.value, "Built in"),
    (Support.Level.OFFICIAL.value, "Official extension"),
    (Support.Level.THIRD_PARTY.value, "Third-party package"),
]
GUIDE_CHOICES = [("", "Any"), ("yes", "With a guide"), ("no", "Without a guide")]
FIRST_YEAR, LAST_YEAR = 1950, 2100


def _year_field(label: str) -> forms.IntegerField:
    message = f"“{label}” takes a year from {FIRST_YEAR} to {LAST_YEAR}, such as 2010."
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 2010"}),
    )


def _choice_field(label: str, invalid: str, choices=()) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=choices, error_messages={"invalid_choice": invalid})


class DirectoryForm(forms.Form):
    """The directory's filters and sort, read from the query string.

    Choices come from the catalogue: the languages and licenses of published
    frameworks, the capabilities, the metrics. Every value outside them is an
    error with a sentence a reader can act on (the view answers 400).
    """

    language = _choice_field("Language", "No framework we list is written in “%(value)s”.")
    license = _choice_field("License", "No framework we list has the license “%(value)s”.")
    capability = _choice_field("Capability", "“%(value)s” is not a capability we track.")
    level = _choice_field(
        "Offered", "“%(value)s” is not a level: choose built in, official, third-party or any.", choices=LEVELS
    )
    guide = _choice_field("Guides", "“%(value)s” is not a guide filter: use yes or no.", choices=GUIDE_CHOICES)
    year_from = _year_field("Created from")
    year_to = _year_field("Created up to")
    sort = _choice_field("Sort by", "“%(value)s” is not something we sort by.")

    def __init__(self, data, *, metrics, capabilities, languages, licenses):
        super().__init__(data, label_suffix="")
        self.fields["language"].choices = [("", "Any")] + [(v, v) for v in languages]
        self.fields["license"].choices = [("", "Any")] + [(v, v) for v in licenses]
        self.fields["capability"].choices = [("", "Any")] + [(c.slug, c.name) for c in capabilities]
        self.fields["sort"].choices = [("name", "Name")] + [(m.slug, m.name) for m in metrics]

    def clean(self):
        data = super().clean()
        first, last = data.get("year_from"), data.get("year_to")
        if first is not None and last is not None and first > last:
            message = f"“Created from” ({first}) is after “Created up to” ({last})."
            raise ValidationError(message, code="years")
        if not data.get("capability"):
            data["level"] = ""  # a level means nothing without its capability
        elif not data.get("level"):
            data["level"] = "any"
        if not data.get("sort"):
            data["sort"] = "name"
        return data

    def problems(self) -> list[str]:
        """Every error as a sentence, in field order."""
        return [str(e) for errors in self.errors.values() for e in errors]
