"""The shapes the API answers with. The OpenAPI schema is generated from these.

Every figure carries its value, unit, date and source, and says whether a
collector fetched it or an editor entered it: the same promise as the pages.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import ConfigDict


class Strict(Schema):
    """Extra keys are a bug here, not something for clients to guess at."""

    model_config = ConfigDict(extra="forbid")


class Error(Strict):
    status: int = Field(description="The HTTP status, repeated for clients that only see the body.")
    message: str = Field(description="What went wrong, in a sentence a person can act on.")
    errors: list[str] = Field(
        default_factory=list, description="Each problem with the request, when there are several."
    )


class FigureOut(Strict):
    """A framework's figure on one metric: the current one, or one point of its history."""

    framework: str = Field(description="The framework's slug.")
    metric: str = Field(description="The metric's slug.")
    value: int | float = Field(
        description="The figure as a JSON number: an integer when whole. Stored with at most 4 decimal places; "
        "the CSV download carries the stored decimal text."
    )
    unit: str = Field(description="Empty for counts; e.g. ms.")
    display: str = Field(description="The value as the site shows it, with separators and unit.")
    as_of: date = Field(description="The day the figure was true.")
    source_name: str
    source_url: str
    origin: Literal["collected", "entered"] = Field(
        description="collected: fetched from a public API by a collector; entered: typed in by an editor."
    )
    collected_from: str | None = Field(description="The collector's source (GitHub, PyPI, …) when collected.")
    collected_at: datetime | None
    recorded_at: datetime
    note: str


class MetricOut(Strict):
    slug: str
    name: str
    short_name: str
    description: str
    unit: str
    decimal_places: int
    higher_is_better: bool
    usual_source_name: str
    usual_source_url: str


class FrameworkLink(Strict):
    slug: str
    name: str
    url: str = Field(description="The framework's page on the site.")
    api_url: str


class FrameworkSummary(Strict):
    slug: str
    name: str
    tagline: str
    language: str
    license: str
    year_created: int | None
    url: str = Field(description="The framework's page on the site.")
    api_url: str
    figures: list[FigureOut] = Field(description="Its current figure on each metric it has been measured on.")


class Identifiers(Strict):
    github_repo: str = Field(description="owner/name on GitHub, or empty.")
    pypi_package: str
    stackoverflow_tag: str


class CapabilityOut(Strict):
    capability: str = Field(description="The capability's slug.")
    name: str
    level: Literal["built_in", "official", "third_party", "none"]
    level_label: str
    package: str
    package_url: str
    note: str


class AdoptionOut(Strict):
    organization: str
    organization_url: str
    relation: Literal["uses", "also_uses", "migrated_from", "migrating_away"]
    summary: str = Field(description="How the organisation relates to the framework, as the site words it.")
    other_framework: str | None = Field(description="The slug of the framework also used or migrated from.")
    source_name: str
    source_url: str
    as_of: date | None


class AdopterGroupOut(Strict):
    relation: Literal["uses", "also_uses", "migrated_from", "migrating_away"]
    label: str
    total: int = Field(description="How many organisations in all; `adoptions` holds the most recently recorded.")
    adoptions: list[AdoptionOut]


class Downloads(Strict):
    csv_url: str = Field(description="Every figure ever recorded, with sources, as CSV.")
    json_url: str = Field(description="The same as JSON.")


class FrameworkDetail(FrameworkSummary):
    description: str
    home_url: str
    repository_url: str
    documentation_url: str
    latest_version: str
    latest_release_on: date | None
    identifiers: Identifiers
    capabilities: list[CapabilityOut]
    adopters: list[AdopterGroupOut]
    adopters_url: str = Field(description="The page listing every adopter.")
    downloads: Downloads = Field(description="Every figure ever recorded, with sources.")


class FrameworkPage(Strict):
    count: int = Field(description="Frameworks matching the filters, on every page.")
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[FrameworkSummary]


class MeasurementPage(Strict):
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")
    next: str | None = Field(description="The next page's full address; null on the last.")
    results: list[FigureOut]


class CategoryOut(Strict):
    slug: str
    name: str


class GuideSummary(Strict):
    slug: str
    title: str
    standfirst: str
    summary: str
    byline: str
    published_at: datetime
    updated_at: datetime = Field(description="The last change readers saw: an edit, or publication if later.")
    url: str
    api_url: str
    frameworks: list[str] = Field(description="Slugs of the frameworks the guide compares, in its order.")
    categories: list[CategoryOut]


class GuidePage(Strict):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[GuideSummary]


class Cell(Strict):
    framework: str
    figure: FigureOut | None = Field(description="null when the framework has no figure on this metric.")
    is_best: bool


class MetricRowOut(Strict):
    metric: str
    cells: list[Cell]


class SupportCell(Strict):
    framework: str
    support: CapabilityOut | None = Field(description="null when nothing is recorded.")


class CapabilityRowOut(Strict):
    capability: str
    name: str
    cells: list[SupportCell]


class Point(Strict):
    as_of: date
    value: int | float


class Series(Strict):
    framework: str
    points: list[Point]


class ChartOut(Strict):
    metric: str
    series: list[Series]


class SectionBase(Strict):
    id: int
    position: int
    heading: str
    anchor: str = Field(description="The section's fragment on the guide page.")
    caption: str


class ProseSection(SectionBase):
    kind: Literal["prose"]
    html: str = Field(description="The text as sanitised HTML.")


class QuoteSection(SectionBase):
    kind: Literal["quote"]
    text: str
    attribution: str


class ProfileSection(SectionBase):
    kind: Literal["profile"]
    framework: FrameworkLink | None = Field(description="null when the framework is not published.")
    figures: list[FigureOut]
    adopters: list[AdoptionOut]


class TableSection(SectionBase):
    kind: Literal["table"]
    frameworks: list[str]
    rows: list[MetricRowOut]


class MatrixSection(SectionBase):
    kind: Literal["matrix"]
    frameworks: list[str]
    rows: list[CapabilityRowOut]


class ChartSection(SectionBase):
    kind: Literal["chart"]
    metric: str
    series: list[Series]


SectionOut = Annotated[
    ProseSection | QuoteSection | ProfileSection | TableSection | MatrixSection | ChartSection,
    Field(discriminator="kind"),
]


class GuideDetail(GuideSummary):
    frameworks_detail: list[FrameworkLink] = Field(description="The compared frameworks, in the guide's order.")
    sections: list[SectionOut]
    changes_feed: str = Field(description="An Atom feed of changes to the guide and the figures it shows.")


class MovementOut(Strict):
    organization: str
    from_framework: str
    to_framework: str
    note: str


class SharedAdopterOut(Strict):
    organization: str
    frameworks: list[str]


class FrameworkAdopters(Strict):
    framework: str
    total: int
    groups: list[AdopterGroupOut]


class ComparisonOut(Strict):
    title: str
    url: str
    frameworks: list[FrameworkSummary]
    metrics: list[MetricRowOut] = Field(description="Each metric any of them is measured on, with the best marked.")
    history: list[ChartOut]
    capabilities: list[CapabilityRowOut]
    adopters: list[FrameworkAdopters]
    migrations: list[MovementOut]
    migrations_total: int
    shared_adopters: list[SharedAdopterOut]
    shared_adopters_total: int
    guides: list[GuideSummary]
    guides_total: int
    downloads: Downloads
