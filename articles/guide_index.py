"""The guides index (``/guides/``): every published guide, newest first, a page at a time.

Its state is the query string ``?topic=<category slug>&framework=<slug>&page=<n>``
in that order, defaults left out (see ``editorial.listing``). Queries: 1
(topics), plus 1 when a framework is named, to validate; then 3 for a page
(a COUNT, the guides, their topics), whatever the number of guides.
"""

from dataclasses import dataclass

from django.urls import reverse

from editorial.listing import PAGE, ListingError, Page, canonical_query, page_number, paginate
from frameworks.models import Framework

from .forms import GuideFilterForm
from .models import Article, Category

PER_PAGE = 20


@dataclass
class GuideIndexState:
    """A valid guides-index query: topic, framework, page number."""

    form: GuideFilterForm
    topic: Category | None
    framework: Framework | None
    page: int = 1

    @classmethod
    def from_query(cls, query) -> "GuideIndexState":
        """Validate a QueryDict; raises ListingError(400) with the reasons."""
        categories = list(Category.objects.all())
        form = GuideFilterForm(query, categories=categories)
        if not form.is_valid():
            raise ListingError(" ".join(form.problems()), fix_url=reverse("articles:list"), fix_label="See every guide")
        topic = next((c for c in categories if c.slug == form.cleaned_data["topic"]), None)
        state = cls(form=form, topic=topic, framework=form.cleaned_data["framework"])
        state.page = page_number(query.get(PAGE), first_page_url=state.url())
        return state

    def url(self, page: int = 1, *, topic: Category | None | bool = True, framework: Framework | None | bool = True):
        """The canonical URL of this state on ``page``; ``topic=None`` or ``framework=None`` drops that filter."""
        topic = self.topic if topic is True else topic
        framework = self.framework if framework is True else framework
        params = [
            ("topic", topic.slug if topic else None),
            ("framework", framework.slug if framework else None),
            (PAGE, page),
        ]
        return reverse("articles:list") + canonical_query(params, {PAGE: 1})

    @property
    def canonical_url(self) -> str:
        return self.url(self.page)

    @property
    def without_topic_url(self) -> str:
        return self.url(topic=None)

    @property
    def without_framework_url(self) -> str:
        return self.url(framework=None)

    def guides(self):
        """The published guides this state selects, newest first (no query until evaluated)."""
        guides = Article.objects.published()
        if self.topic:
            guides = guides.filter(categories=self.topic)
        if self.framework:
            guides = guides.filter(article_frameworks__framework=self.framework)
        return guides


def load_guide_page(state: GuideIndexState) -> Page:
    """The state's page of guides with their topics; raises ListingError(404) past the last page. Queries: 3."""
    guides = state.guides()
    page = paginate(
        guides.prefetch_related("categories"),
        number=state.page,
        per_page=PER_PAGE,
        url_for_page=state.url,
        count=guides.count(),
    )
    page.rows = list(page.rows)
    return page
