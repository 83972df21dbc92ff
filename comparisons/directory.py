"""The framework directory: one page of published frameworks, filtered and sorted in SQL, with their figures.

It lives here, above both catalogue and guides, because "has a guide" reads
the guides. Its whole state is the query string (see ``editorial.listing``):

    ?language=&license=&capability=&level=&guide=&year_from=&year_to=&sort=&page=

in that order, defaults left out. ``DirectoryState.from_query`` validates it
(3 queries: metrics, capabilities, the languages and licenses in use);
``load_directory`` reads the page (3 queries: a COUNT, the page's
frameworks, their current figures), whatever the size of the catalogue.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Subquery
from django.urls import reverse

from articles.models import Article, ArticleFramework
from editorial.listing import PAGE, ListingError, Page, canonical_query, page_number, paginate
from frameworks.models import Capability, Framework, Measurement, Metric, Support
from frameworks.selectors import Figure, current_figures

from .forms import DirectoryForm

PER_PAGE = 50
COLUMNS = 4  # metric columns shown (the first by position), plus the sorted one
PARAMS = ("language", "license", "capability", "level", "guide", "year_from", "year_to", "sort")
DEFAULTS = {"sort": "name", "level": "any", PAGE: 1}


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


@dataclass
class DirectoryState:
    """A valid directory query: the filters, the sort, the page number, and the choices they came from."""

    form: DirectoryForm
    values: dict
    page: int
    metrics: list[Metric]
    capability: Capability | None = None
    sort_metric: Metric | None = None

    @classmethod
    def from_query(cls, query) -> "DirectoryState":
        """Validate a QueryDict; raises ListingError(400) with the reasons. Queries: 3."""
        metrics = list(Metric.objects.all())
        capabilities = list(Capability.objects.all())
        pairs = Framework.objects.published().order_by().values_list("language", "license").distinct()
        languages, licenses = set(), set()
        for language, licence in pairs:
            languages.add(language)
            licenses.add(licence)
        form = DirectoryForm(
            query,
            metrics=metrics,
            capabilities=capabilities,
            languages=sorted(v for v in languages if v),
            licenses=sorted(v for v in licenses if v),
        )
        list_url = reverse("frameworks:list")
        if not form.is_valid():
            raise ListingError(" ".join(form.problems()), fix_url=list_url, fix_label="See every framework")
        values = {name: form.cleaned_data.get(name) for name in PARAMS}
        state = cls(
            form=form,
            values=values,
            page=1,
            metrics=metrics,
            capability=next((c for c in capabilities if c.slug == values["capability"]), None),
            sort_metric=next((m for m in metrics if m.slug == values["sort"]), None),
        )
        state.page = page_number(query.get(PAGE), first_page_url=state.url())
        return state

    def url(self, page: int = 1, **changes) -> str:
        """The canonical URL of this state with ``changes`` (a value of None removes a filter) on ``page``."""
        values = self.values | changes
        if not values.get("capability"):
            values["level"] = None
        params = [(name, values.get(name)) for name in PARAMS] + [(PAGE, page)]
        return reverse("frameworks:list") + canonical_query(params, DEFAULTS)

    @property
    def canonical_url(self) -> str:
        return self.url(self.page)

    @property
    def columns(self) -> list[Metric]:
        """The metric columns shown: the first few by position, and the sorted one."""
        shown = self.metrics[:COLUMNS]
        if self.sort_metric and self.sort_metric not in shown:
            shown = [*shown, self.sort_metric]
        return shown

    @property
    def active_filters(self) -> list[ActiveFilter]:
        """The filters in force, each with the URL that drops it (back to page 1, same sort)."""
        v, active = self.values, []
        if v["language"]:
            active.append(ActiveFilter("Language", v["language"], self.url(language=None)))
        if v["license"]:
            active.append(ActiveFilter("License", v["license"], self.url(license=None)))
        if self.capability:
            level = dict(self.form.fields["level"].choices)[v["level"]].lower()
            active.append(ActiveFilter("Capability", f"{self.capability.name} ({level})", self.url(capability=None)))
        if v["guide"]:
            guides = dict(self.form.fields["guide"].choices)[v["guide"]]
            active.append(ActiveFilter("Guides", guides, self.url(guide=None)))
        if v["year_from"] is not None:
            active.append(ActiveFilter("Created from", str(v["year_from"]), self.url(year_from=None)))
        if v["year_to"] is not None:
            active.append(ActiveFilter("Created up to", str(v["year_to"]), self.url(year_to=None)))
        return active

    @property
    def sort_links(self) -> list[tuple[str, str, bool]]:
        """(label, URL, is current) for name and each metric: sorting keeps the filters and goes to page 1."""
        links = [("Name", self.url(sort="name"), self.sort_metric is None)]
        return links + [(m.label, self.url(sort=m.slug), m == self.sort_metric) for m in self.metrics]

    @property
    def column_links(self) -> list[tuple[Metric, str]]:
        """(metric, URL sorting by it) for each column shown."""
        return [(m, self.url(sort=m.slug)) for m in self.columns]

    def frameworks(self):
        """The published frameworks this state selects, not yet ordered (see ``ordered``); lazy."""
        v = self.values
        rows = Framework.objects.published()
        if v["language"]:
            rows = rows.filter(language=v["language"])
        if v["license"]:
            rows = rows.filter(license=v["license"])
        if self.capability:
            supports = Support.objects.filter(framework=OuterRef("pk"), capability=self.capability)
            if v["level"] == "any":
                supports = supports.exclude(level=Support.Level.NONE)
            else:
                supports = supports.filter(level=v["level"])
            rows = rows.filter(Exists(supports))
        if v["guide"]:
            # One uncorrelated set of the frameworks that published guides name, which the database builds
            # once: a correlated EXISTS through the guides and their links took 20 s at 10,000 frameworks
            # on SQLite (a scan of the links per framework). framework_id is never NULL, so NOT IN is safe.
            named = ArticleFramework.objects.filter(article__in=Article.objects.published()).values("framework_id")
            rows = rows.filter(pk__in=named) if v["guide"] == "yes" else rows.exclude(pk__in=named)
        if v["year_from"] is not None:
            rows = rows.filter(year_created__gte=v["year_from"])
        if v["year_to"] is not None:
            rows = rows.filter(year_created__lte=v["year_to"])
        return rows

    def ordered(self, rows):
        """``rows`` in the state's order: by name, or by the metric's current value, best first, unmeasured last.

        The current value is a correlated subquery, the latest as_of (one
        value per framework, metric and day, so no tie), which an index on
        (framework, metric, as_of) answers with one seek, so the database
        sorts and slices and only the page's rows come back.
        """
        metric = self.sort_metric
        if metric is None:
            return rows.order_by("name")
        latest = (
            Measurement.objects.filter(framework=OuterRef("pk"), metric=metric).order_by("-as_of").values("value")[:1]
        )
        value = F("sort_value")
        best_first = value.desc(nulls_last=True) if metric.higher_is_better else value.asc(nulls_last=True)
        return rows.annotate(sort_value=Subquery(latest)).order_by(best_first, "name")


@dataclass
class DirectoryRow:
    framework: Framework
    figures: list[Figure]


@dataclass
class Directory:
    state: DirectoryState
    page: Page
    rows: list[DirectoryRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.count


def load_directory(state: DirectoryState) -> Directory:
    """The state's page with its current figures; raises ListingError(404) past the last page. Queries: 3."""
    selected = state.frameworks()
    page = paginate(
        state.ordered(selected).only("name", "slug", "tagline"),
        number=state.page,
        per_page=PER_PAGE,
        url_for_page=state.url,
        count=selected.count(),
    )
    frameworks = list(page.rows)
    columns = state.columns
    current = current_figures(frameworks=[fw.pk for fw in frameworks], metrics=columns) if frameworks else {}
    rows = [DirectoryRow(fw, [Figure(m, current.get((fw.pk, m.pk))) for m in columns]) for fw in frameworks]
    return Directory(state=state, page=page, rows=rows)
