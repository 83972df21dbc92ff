"""A guide section rendered before it is saved, by the code that renders the public guide.

The section editor posts one section's fields; ``render_section_preview``
validates them with the editor's own form, builds an unsaved Section and
runs it through ``build_blocks`` and the section templates, so editors see
exactly what readers will (Markdown sanitized the same way).
"""

import re

from django.template.loader import render_to_string

from frameworks.models import Capability, Metric

from .blocks import build_blocks
from .forms import SectionPreviewForm
from .markdown import render_markdown
from .models import Article, Section

PREFIX = re.compile(r"^[a-z_]{1,30}-(?:\d{1,5}|__prefix__)$")
# An unsaved section is never saved; this stand-in primary key only lets its many-to-many managers answer
# from the values posted (see ``_unsaved_section``).
PREVIEW_PK = 0


class PreviewProblem(Exception):
    """What is wrong with the posted section, as sentences an editor can act on."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _unsaved_section(form: SectionPreviewForm, article: Article) -> Section:
    section = form.save(commit=False)
    section.article = article
    section.body_html = render_markdown(section.body) if section.kind == Section.Kind.PROSE else ""
    section.pk = PREVIEW_PK
    section._prefetched_objects_cache = {
        "metrics": form.cleaned_data.get("metrics") or Metric.objects.none(),
        "capabilities": form.cleaned_data.get("capabilities") or Capability.objects.none(),
    }
    return section


def render_section_preview(article: Article, data, prefix: str | None) -> str:
    """The public markup of the section posted in ``data`` (fields named ``<prefix>-<field>``).

    Raises PreviewProblem when the prefix or the fields are not a section the guide could save.
    """
    if prefix is not None and not PREFIX.match(prefix):
        raise PreviewProblem(["The section's form prefix is not valid."])
    form = SectionPreviewForm(data, prefix=prefix, instance=Section(article=article))
    if not form.is_valid():
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            problems += [f"{label}: {error}" if label else str(error) for error in errors]
        raise PreviewProblem(problems)
    section = _unsaved_section(form, article)
    frameworks = [af.framework for af in article.article_frameworks.select_related("framework")]
    blocks, _board = build_blocks([section], frameworks)
    return render_to_string("admin/articles/section_preview.html", {"block": blocks[0], "frameworks": frameworks, "article": article})


def render_problems(problems: list[str]) -> str:
    return render_to_string("admin/articles/section_preview_problems.html", {"problems": problems})
