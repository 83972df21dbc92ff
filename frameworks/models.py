"""The catalogue: frameworks, what is measured about them, who uses them and
what they can do.

A Measurement is one dated, sourced value. New figures are new rows; the
current value of a metric is simply its latest row, so history is never
overwritten.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from editorial.images import GeneratedName, SafeImageField
from editorial.names import DistinctNames, unique_ignoring_case
from editorial.text import LineField, ProseField, SlugField

from . import palette
from .collectors import identifiers
from .freshness import is_stale, stale_cutoff


def validate_not_future(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(
            "The as-of date %(value)s is in the future. Record a figure on or after the day it was measured.",
            code="future_date",
            params={"value": value.isoformat()},
        )


class FrameworkQuerySet(models.QuerySet):
    def published(self):
        """The frameworks readers can see."""
        return self.filter(is_published=True)


class Framework(DistinctNames, models.Model):
    name = LineField(max_length=100, unique=True)
    slug = SlugField(
        max_length=50,
        unique=True,
        help_text="Used in URLs such as /frameworks/flask/ and /compare/django-vs-flask/. Letters, digits and hyphens; no “-vs-”.",
    )
    tagline = LineField(max_length=200, blank=True, help_text="One line, shown under the name.")
    description = ProseField(blank=True, help_text="Plain text; a paragraph or two.")
    language = LineField(max_length=50, default="Python")
    year_created = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    license = LineField(max_length=100, blank=True, help_text="SPDX-style name, e.g. BSD-3-Clause.")
    home_url = models.URLField("home site", blank=True)
    repository_url = models.URLField("repository", blank=True)
    documentation_url = models.URLField("documentation", blank=True)
    latest_version = LineField(max_length=50, blank=True, help_text="Collected from the package index.")
    latest_release_on = models.DateField("latest release date", null=True, blank=True)
    github_repo = models.CharField(
        "GitHub repository",
        max_length=140,
        blank=True,
        validators=[identifiers.validate_github_repo],
        help_text="owner/name, e.g. pallets/flask. Filled from a github.com repository URL when left blank.",
    )
    pypi_package = models.CharField(
        "package on PyPI",
        max_length=100,
        blank=True,
        validators=[identifiers.validate_pypi_package],
        help_text="The name on pypi.org, e.g. Flask.",
    )
    stackoverflow_tag = models.CharField(
        "Stack Overflow tag",
        max_length=35,
        blank=True,
        validators=[identifiers.validate_stackoverflow_tag],
        help_text="e.g. flask, as in stackoverflow.com/questions/tagged/flask.",
    )
    logo = SafeImageField(upload_to=GeneratedName("logos"), blank=True, help_text="PNG, JPEG or WebP.")
    logo_alt = LineField(max_length=200, blank=True, help_text="Describes the logo for screen readers.")
    chart_colour = models.PositiveSmallIntegerField(
        "chart colour",
        null=True,
        blank=True,
        choices=palette.CHOICES,
        help_text="Its colour and marker in every chart. Leave blank for one picked from the slug, which never changes. "
        "Pick one when two frameworks often compared share a colour.",
    )
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Tick when it is ready for readers. Until then it is hidden from the directory, "
        "the home page, search and compare pages. New frameworks start unpublished.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # The directory's order and its equality filters (comparisons.directory). Not year_created: SQLite
        # then walks frameworks in year order, and each EXISTS filter seeks at random (4x slower at 10,000).
        indexes = [
            models.Index(fields=["is_published", "name"], name="framework_listing"),
            models.Index(fields=["language"], name="framework_language"),
            models.Index(fields=["license"], name="framework_license"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(slug__contains="-vs-"),
                name="framework_slug_without_vs",
                violation_error_message="A slug cannot contain “-vs-”: it would break compare URLs.",
            ),
            unique_ignoring_case("framework"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if not self.github_repo and self.repository_url:
            self.github_repo = identifiers.github_repo_from_url(self.repository_url) or ""


class Metric(DistinctNames, models.Model):
    name = LineField(max_length=100, unique=True, help_text="e.g. GitHub stars")
    slug = SlugField(max_length=50, unique=True)
    short_name = LineField(max_length=40, blank=True, help_text="A column heading, e.g. Stars.")
    description = ProseField(blank=True, help_text="What is counted and how, for readers.")
    unit = LineField(max_length=30, blank=True, help_text="Shown after values, e.g. ms. Leave blank for counts.")
    decimal_places = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(4)], help_text="0 for counts, 2 for milliseconds."
    )
    higher_is_better = models.BooleanField(
        default=True, help_text="Untick for metrics such as latency, where a smaller value wins."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in tables; smaller first.")
    usual_source_name = LineField(
        "usual source", max_length=200, blank=True, help_text="Pre-fills the source of this metric in a round, e.g. GitHub."
    )
    usual_source_url = models.URLField("usual source URL", max_length=500, blank=True)
    max_fall_percent = models.PositiveSmallIntegerField(
        "collected falls allowed (%)",
        default=10,
        validators=[MaxValueValidator(100)],
        help_text="A collected figure that falls further than this below the last one waits for review. "
        "Raise it for figures that go up and down, such as open issues or monthly downloads.",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [unique_ignoring_case("metric")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:list") + f"?sort={self.slug}"

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def format(self, value: Decimal | None) -> str:
        """The value exactly, with thousands separators and the unit."""
        if value is None:
            return "—"
        text = f"{value:,.{self.decimal_places}f}"
        return f"{text} {self.unit}" if self.unit else text

    def better(self, a: Decimal, b: Decimal) -> bool:
        """Whether value ``a`` beats ``b`` on this metric."""
        return a > b if self.higher_is_better else a < b


class Collector(models.TextChoices):
    """Where an automatically collected figure or fact came from (see ``collectors``)."""

    GITHUB = "github", "GitHub"
    PYPI = "pypi", "PyPI"
    PYPISTATS = "pypistats", "pypistats.org"
    STACKEXCHANGE = "stackexchange", "Stack Overflow"


class MeasurementQuerySet(models.QuerySet):
    def current(self):
        """The latest measurement of each (framework, metric) pair, in one query.

        Other conditions on the result are applied before the ranking, as SQL
        does with window functions: narrow by framework or metric only (whole
        pairs); to filter current figures on anything else, select them by
        ``pk__in=Measurement.objects.current().values("pk")``.
        """
        return self.alias(
            recency=Window(
                RowNumber(),
                partition_by=[F("framework_id"), F("metric_id")],
                order_by=[F("as_of").desc(), F("id").desc()],
            )
        ).filter(recency=1)

    def stale(self):
        """Figures older than the staleness age (see ``freshness``)."""
        return self.filter(as_of__lt=stale_cutoff())

    def fresh(self):
        return self.filter(as_of__gte=stale_cutoff())


class Measurement(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="measurements")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="measurements")
    value = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        validators=[MinValueValidator(0, message="A figure cannot be negative.")],
    )
    as_of = models.DateField(
        "as of", validators=[validate_not_future], help_text="The day the figure was true. Not in the future."
    )
    source_name = LineField("source", max_length=200, help_text="Who or what reported it, e.g. GitHub.")
    source_url = models.URLField("source URL", max_length=500)
    note = LineField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    collector = models.CharField(
        "collected from",
        max_length=20,
        blank=True,
        choices=Collector,
        editable=False,
        help_text="Blank when an editor entered the figure.",
    )
    collected_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "metric", "-as_of"]
        get_latest_by = "as_of"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "metric", "as_of"],
                name="one_value_per_framework_metric_day",
                violation_error_message="This framework already has a value for this metric on this date.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="measurement_value_not_negative",
                violation_error_message="A figure cannot be negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "framework", "-as_of"], name="measurement_latest"),
            # The figures feeds and the sitemap's lastmod: the newest recorded figures first.
            models.Index(fields=["-recorded_at", "-id"], name="measurement_recorded"),
            # The sitemap's lastmod per framework: its newest recorded figure, one seek each.
            models.Index(fields=["framework", "-recorded_at"], name="measurement_framework_recorded"),
            # The home page's leaders: a metric's figures best first, read from either end.
            models.Index(fields=["metric", "value", "id"], name="measurement_value"),
            # The API's history (api.endpoints.measurements): every figure in (as_of, id) order, a page at a
            # time from a cursor, read off this index without sorting the whole history.
            models.Index(fields=["as_of", "id"], name="measurement_as_of"),
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.metric} {self.display_value} (as of {self.as_of:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return self.framework.get_absolute_url() + f"#metric-{self.metric.slug}"

    @property
    def display_value(self) -> str:
        return self.metric.format(self.value)

    @property
    def is_stale(self) -> bool:
        return is_stale(self.as_of)

    @property
    def provenance(self) -> str:
        """How the figure got here, for readers: "collected from GitHub on 2 Dec 2026" or "entered by an editor"."""
        if self.collector and self.collected_at:
            collected = timezone.localtime(self.collected_at)
            return f"collected from {self.get_collector_display()} on {collected:%-d %b %Y}"
        return "entered by an editor"


class Organization(DistinctNames, models.Model):
    name = LineField(max_length=150, unique=True)
    slug = SlugField(max_length=60, unique=True)
    url = models.URLField("web site", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [unique_ignoring_case("organization")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:list") + f"#org-{self.slug}"


class Adoption(models.Model):
    class Relation(models.TextChoices):
        USES = "uses", "Uses"
        ALSO_USES = "also_uses", "Also uses"
        MIGRATED_FROM = "migrated_from", "Migrated from"
        MIGRATING_AWAY = "migrating_away", "Migrating away"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="adoptions")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="adoptions")
    relation = models.CharField(
        max_length=20,
        choices=Relation,
        default=Relation.USES,
        help_text="“Also uses” and “migrated from” name the other framework; "
        "“migrating away” says where to in the note.",
    )
    other_framework = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The framework also used, or migrated from.",
    )
    note = LineField(max_length=300, blank=True, help_text="e.g. “moving services to Go”.")
    source_name = LineField("source", max_length=200, blank=True)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    as_of = models.DateField("as of", null=True, blank=True, validators=[validate_not_future])

    class Meta:
        ordering = ["framework", "organization__name"]
        indexes = [
            # Framework and compare pages: the adopters per (framework, relation), counted from the index alone,
            # and the newest dozen of each group read from its end (frameworks.selectors.newest_adoptions).
            models.Index(fields=["framework", "relation", "id"], name="adoption_framework_relation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "framework"],
                name="one_adoption_per_organization_framework",
                violation_error_message="This organization is already listed for this framework.",
            ),
            models.CheckConstraint(
                condition=~Q(other_framework=F("framework")),
                name="adoption_other_framework_differs",
                violation_error_message="The other framework must differ from the framework itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_relation_display().lower()} {self.framework}"

    def get_absolute_url(self) -> str:
        return self.framework.get_absolute_url() + "#adopters"

    def clean(self) -> None:
        needs_other = {self.Relation.ALSO_USES, self.Relation.MIGRATED_FROM}
        if self.relation in needs_other and not self.other_framework_id:
            raise ValidationError({"other_framework": "Name the other framework for this relation."})

    @property
    def summary(self) -> str:
        """How the organization relates to the framework, for readers: an unpublished other framework is not named."""
        other = ""
        if self.other_framework_id:
            other = self.other_framework.name if self.other_framework.is_published else "a framework not listed here"
        parts = {
            self.Relation.USES: "",
            self.Relation.ALSO_USES: f"also uses {other}",
            self.Relation.MIGRATED_FROM: f"migrated from {other}",
            self.Relation.MIGRATING_AWAY: "migrating away",
        }
        text = parts[self.relation]
        if self.note:
            text = f"{text}: {self.note}" if text else self.note
        return text


class Capability(DistinctNames, models.Model):
    name = LineField(max_length=100, unique=True, help_text="e.g. Admin interface")
    slug = SlugField(max_length=60, unique=True)
    description = ProseField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in matrices; smaller first.")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "capabilities"
        constraints = [unique_ignoring_case("capability")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The directory filtered to the frameworks that offer it."""
        return reverse("frameworks:list") + f"?capability={self.slug}"


class Support(models.Model):
    class Level(models.TextChoices):
        BUILT_IN = "built_in", "Built in"
        OFFICIAL = "official", "Official extension"
        THIRD_PARTY = "third_party", "Third-party package"
        NONE = "none", "Not available"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="supports")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="supports")
    level = models.CharField(max_length=20, choices=Level)
    package = LineField(
        max_length=100, blank=True, help_text="The extension or package that provides it. Required for extensions."
    )
    package_url = models.URLField("package URL", blank=True)
    note = LineField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "capability"]
        verbose_name_plural = "support"
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "capability"],
                name="one_support_per_framework_capability",
                violation_error_message="This capability is already recorded for this framework.",
            ),
            models.CheckConstraint(
                condition=~Q(level__in=["official", "third_party"], package=""),
                name="extension_names_its_package",
                violation_error_message="Name the package that provides an extension.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.capability} ({self.get_level_display().lower()})"

    def get_absolute_url(self) -> str:
        return self.framework.get_absolute_url() + "#capabilities"


# --- Collection: runs, per-source state, and the review queue ------------------------------------


class CollectionRun(models.Model):
    """One pass of the collectors over some frameworks and sources, with its counts."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=20, default="command", help_text="command, admin or schedule")
    sources = models.JSONField(default=list, blank=True, help_text="Empty: every source.")
    frameworks = models.ManyToManyField(Framework, blank=True, related_name="+", help_text="Empty: every one.")
    dry_run = models.BooleanField(default=False)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    checked = models.PositiveIntegerField(default=0)
    recorded = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    queued_for_review = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the run failed as a whole.")

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"Collection run {self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("admin:frameworks_collectionrun_change", args=[self.pk])


class CollectionResult(models.Model):
    """What one source said about one framework during a run."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", "Recorded"
        UNCHANGED = "unchanged", "Checked, unchanged"
        QUEUED = "queued", "Waiting for review"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    run = models.ForeignKey(CollectionRun, on_delete=models.CASCADE, related_name="results")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="collection_results")
    source = models.CharField(max_length=20, choices=Collector)
    outcome = models.CharField(max_length=10, choices=Outcome)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["run", "framework", "source"]

    def __str__(self) -> str:
        return f"{self.framework} · {self.get_source_display()}: {self.get_outcome_display().lower()}"

    def get_absolute_url(self) -> str:
        return self.run.get_absolute_url()


class SourceState(models.Model):
    """Where collection of one source for one framework stands: its ETag, and since when it fails."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="source_states")
    source = models.CharField(max_length=20, choices=Collector)
    identifier = models.CharField(max_length=140, help_text="The identifier the ETag belongs to.")
    etag = models.CharField(max_length=200, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    gone = models.BooleanField(
        default=False, help_text="Not found or archived: not asked again until the identifier changes."
    )

    class Meta:
        ordering = ["framework", "source"]
        constraints = [models.UniqueConstraint(fields=["framework", "source"], name="one_state_per_framework_source")]

    def __str__(self) -> str:
        return f"{self.framework} · {self.get_source_display()}"

    def get_absolute_url(self) -> str:
        return reverse("admin:frameworks_framework_change", args=[self.framework_id])


class SourceLimit(models.Model):
    """A source whose rate limit or quota is spent: nothing is asked of it before ``until``."""

    source = models.CharField(max_length=20, choices=Collector, unique=True)
    until = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["source"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} until {self.until:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("admin:frameworks_collectionrun_changelist")


class ReviewItemQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ReviewItem.Status.WAITING)


class ReviewItem(models.Model):
    """A collected figure, fact or identifier that does not fit the pattern and waits for an editor.

    Nothing here is shown to readers. Approving a figure records it with its
    original collection date; approving a fact or an identifier changes the
    framework (see ``collectors.review``).
    """

    class Kind(models.TextChoices):
        FIGURE = "figure", "Figure"
        FACT = "fact", "Fact"
        IDENTIFIER = "identifier", "Identifier"

    class Reason(models.TextChoices):
        FALL = "fall", "Fell further than the metric allows"
        JUMP = "jump", "Jumped far beyond its recent growth"
        MOVED = "moved", "The identifier changed (moved or renamed)"
        CHANGED = "changed", "A fact changed"

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="review_items")
    kind = models.CharField(max_length=10, choices=Kind)
    metric = models.ForeignKey(Metric, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(
        max_length=50, help_text="The framework field a fact or identifier sets; a figure's metric slug."
    )
    current = models.CharField("current value", max_length=500, blank=True)
    proposed = models.CharField("collected value", max_length=500)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Collector)
    source_name = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500)
    collected_at = models.DateTimeField()
    reason = models.CharField(max_length=10, choices=Reason)
    explanation = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-collected_at", "-id"]
        constraints = [
            # A later collection replaces what waits instead of piling up beside it.
            models.UniqueConstraint(
                fields=["framework", "kind", "field"],
                condition=Q(status="waiting"),
                name="one_waiting_item_per_subject",
            ),
        ]

    def __str__(self) -> str:
        subject = self.metric.name if self.metric_id else self.field.replace("_", " ")
        return f"{self.framework}: {subject} → {self.proposed}"

    def get_absolute_url(self) -> str:
        return reverse("admin:frameworks_reviewitem_change", args=[self.pk])
