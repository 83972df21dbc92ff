"""The guides index's filters, read from the query string."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join

from frameworks.models import Framework

from .models import Section


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


# The fields each section kind uses, besides its position and kind. Everything else is ignored and cleared.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Section.Kind.PROSE: ("heading", "body"),
    Section.Kind.PROFILE: ("heading", "framework", "caption"),
    Section.Kind.TABLE: ("heading", "metrics", "caption"),
    Section.Kind.MATRIX: ("heading", "capabilities", "caption"),
    Section.Kind.CHART: ("heading", "metric", "caption"),
    Section.Kind.QUOTE: ("heading", "body", "attribution"),
}

KIND_DESCRIPTIONS: dict[str, str] = {
    Section.Kind.PROSE: "Text in Markdown: paragraphs, lists, links and emphasis. Raw HTML is removed.",
    Section.Kind.PROFILE: "A card with one framework's facts, current figures and notable users.",
    Section.Kind.TABLE: "The guide's frameworks side by side on the metrics you choose (none chosen: every metric).",
    Section.Kind.MATRIX: "Which of the guide's frameworks offer each capability, and how (none chosen: all).",
    Section.Kind.CHART: "The history of one metric for each of the guide's frameworks.",
    Section.Kind.QUOTE: "A pull quote: the quoted words and who said them.",
}

KIND_SHORT_NAMES: dict[str, str] = {
    Section.Kind.PROSE: "Prose",
    Section.Kind.PROFILE: "Profile",
    Section.Kind.TABLE: "Table",
    Section.Kind.MATRIX: "Matrix",
    Section.Kind.CHART: "Chart",
    Section.Kind.QUOTE: "Quote",
}

SECTION_FIELDS = ("position", "kind", "heading", "body", "attribution", "framework", "metric", "metrics",
                  "capabilities", "caption")


def kind_help_html() -> str:
    """The kind field's help: one sentence per kind, each marked with its kind for the stylesheet and script."""
    return format_html_join(
        "", '<span class="kind-description" data-kind="{}">{}</span>', KIND_DESCRIPTIONS.items()
    )


def _truncate(text: str, length: int = 60) -> str:
    text = " ".join(text.replace("#", " ").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def section_summary(section: Section, framework_names: list[str] | None = None) -> str:
    """A section in one line: "Table: Stars, Forks — Flask, Django", "Prose: Big framework or small one?".

    ``framework_names`` are the guide's frameworks, named by tables and matrices.
    """
    kind = KIND_SHORT_NAMES.get(section.kind, "Section")
    shown = ", ".join(framework_names or []) or "the guide's frameworks"
    if section.kind in (Section.Kind.TABLE, Section.Kind.MATRIX):
        chosen = section.metrics if section.kind == Section.Kind.TABLE else section.capabilities
        names = [str(obj) for obj in chosen.all()] if section.pk else []
        what = ", ".join(names) or ("Every metric" if section.kind == Section.Kind.TABLE else "Every capability")
        detail = f"{_truncate(what)} — {shown}"
    elif section.kind == Section.Kind.CHART:
        detail = str(section.metric) if section.metric_id else "no metric yet"
    elif section.kind == Section.Kind.PROFILE:
        detail = str(section.framework) if section.framework_id else "no framework yet"
    elif section.kind == Section.Kind.QUOTE:
        detail = _truncate(section.body) or "no words yet"
        if section.attribution:
            detail += f" — {section.attribution}"
    else:
        detail = section.heading or _truncate(section.body) or "empty"
    if section.heading and section.kind != Section.Kind.PROSE:
        detail = f"{section.heading} ({detail})"
    return f"{kind}: {detail}"


class SectionForm(forms.ModelForm):
    """A guide section that validates by kind: the fields its kind uses are checked, the others are cleared.

    Without JavaScript an editor sees every field; whatever they left in a
    field the chosen kind does not use is dropped rather than rejected, so a
    section turned from a table into prose keeps no stale metrics.
    """

    class Meta:
        model = Section
        fields = SECTION_FIELDS
        widgets = {"kind": forms.Select(attrs={"class": "section-kind"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].help_text = kind_help_html()

    def chosen_kind(self) -> str | None:
        kind = self.cleaned_data.get("kind") if hasattr(self, "cleaned_data") else None
        return kind if kind in KIND_FIELDS else None

    def clean(self):
        cleaned = super().clean()
        kind = self.chosen_kind()
        if kind is None:
            return cleaned
        for name in SECTION_FIELDS:
            if name in ("position", "kind") or name in KIND_FIELDS[kind] or name not in self.fields:
                continue
            # Ignored, not rejected: a bad value in a field this kind does not use is no error.
            self._errors.pop(name, None)
            field = self.fields[name]
            cleaned[name] = field.queryset.none() if isinstance(field, forms.ModelMultipleChoiceField) else (
                None if isinstance(field, forms.ModelChoiceField) else ""
            )
        return cleaned

    @property
    def summary(self) -> str:
        article = getattr(self.instance, "article", None) if self.instance.article_id else None
        if not self.instance.pk:
            return "New section: open it to choose its kind and fill it in"
        names = None
        if article is not None:
            names = getattr(article, "_framework_names", None)
            if names is None:
                names = article._framework_names = [af.framework.name for af in
                                                    article.article_frameworks.select_related("framework")]
        return section_summary(self.instance, names)

    def has_changed(self) -> bool:
        """A new section's position alone (filled in by the editor's script) does not make it a section.

        Text typed into it does, even text that cleans to nothing (invisible or control characters):
        the editor is told the field is required instead of the section vanishing without a word.
        """
        if self.instance.pk:
            return super().has_changed()
        typed = any(str(self.data.get(self.add_prefix(name), "")).strip() for name in TEXT_FIELDS)
        return typed or any(name != "position" for name in self.changed_data)

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors)


TEXT_FIELDS = ("heading", "body", "attribution", "caption")


class SectionPreviewForm(SectionForm):
    """One section's fields, as the preview endpoint reads them: no position."""

    class Meta(SectionForm.Meta):
        fields = tuple(name for name in SECTION_FIELDS if name != "position")


class SectionFormSet(BaseInlineFormSet):
    """Sections of a guide; a new section starts after the last one."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is None or index >= self.initial_form_count():
            kwargs["initial"] = {"position": self.next_position()}
        return kwargs

    def next_position(self) -> int:
        if not hasattr(self, "_next_position"):
            last = 0
            if self.instance.pk:
                last = max((s.position for s in self.get_queryset()), default=0)
            self._next_position = last + 10
        return self._next_position
