"""Guides: ordered sections of prose and live views of the catalogue."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from editorial.names import DistinctNames, unique_ignoring_case
from editorial.text import LineField, ProseField, SlugField
from frameworks.models import Capability, Framework, Metric

from .markdown import render_markdown


class Category(DistinctNames, models.Model):
    """A guides' category. Names are unique ignoring case, like the catalogue's: in validation
    (``DistinctNames``) and in the database (an index on ``Lower(name)``)."""

    name = LineField(max_length=100, unique=True)
    slug = SlugField(max_length=60, unique=True)
    description = ProseField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"
        constraints = [unique_ignoring_case("category")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})


def published_q(prefix: str = "") -> Q:
    """The one visibility rule as a condition: published, and the publish time has come.

    ``ArticleQuerySet.published()`` applies it; a query that reaches guides through a relation
    applies it with ``prefix="article__"``, as a join the database can drive from the few rows of
    the other side, where ``article__in=Article.objects.published()`` makes it walk every
    published guide.
    """
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}publish_at__lte": timezone.now()})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule (``published_q``)."""
        return self.filter(published_q())

    def scheduled(self):
        """Published guides whose publish time is still ahead."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def next_publish_at(self):
        """When the next scheduled guide goes live, or None."""
        return self.scheduled().aggregate(when=Min("publish_at"))["when"]

    def with_last_changed(self):
        """Annotate ``last_changed_at``: ``Article.last_changed`` computed in SQL, for sorting and aggregates."""
        return self.annotate(last_changed_at=Greatest("updated_at", "publish_at"))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = LineField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="The guide lives at /guides/this-slug/.")
    standfirst = LineField(max_length=300, blank=True, help_text="One sentence under the title.")
    summary = ProseField(blank=True, help_text="Plain text for feeds, search results and link previews.")
    frameworks = models.ManyToManyField(
        Framework, through="ArticleFramework", related_name="articles", blank=True
    )
    categories = models.ManyToManyField(Category, related_name="articles", blank=True)
    byline = LineField(max_length=150, blank=True, help_text="The author's name as readers see it.")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish time",
        default=timezone.now,
        help_text="A future time schedules the guide: it appears then, on its own.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        # Editors and readers call them guides: the admin says so too.
        verbose_name = "guide"
        verbose_name_plural = "guides"
        indexes = [models.Index(fields=["status", "publish_at"], name="article_visibility")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def last_changed(self):
        """When readers last saw the guide change: its last edit, or its publication if that came later."""
        return max(self.updated_at, self.publish_at)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()


class ArticleFramework(models.Model):
    """A framework a guide compares, in the order the guide presents them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_frameworks", verbose_name="guide")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "compared framework"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "framework"],
                name="framework_once_per_article",
                violation_error_message="This framework is already compared in this guide.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.article}: {self.framework}"

    def get_absolute_url(self) -> str:
        return self.framework.get_absolute_url()


class Section(models.Model):
    class Kind(models.TextChoices):
        PROSE = "prose", "Prose (Markdown)"
        PROFILE = "profile", "Framework profile card"
        TABLE = "table", "Side-by-side metrics table"
        MATRIX = "matrix", "Capability matrix"
        CHART = "chart", "Metric history chart"
        QUOTE = "quote", "Pull quote"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections", verbose_name="guide")
    position = models.PositiveIntegerField(default=0, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.PROSE)
    heading = LineField(
        max_length=200, blank=True, help_text="Starts a new part of the guide and appears in its contents."
    )
    body = ProseField(
        blank=True,
        help_text="Markdown for prose; the quoted words for a pull quote. Raw HTML is removed.",
    )
    body_html = models.TextField(editable=False, blank=True)
    attribution = LineField(max_length=200, blank=True, help_text="Pull quotes: who said it.")
    framework = models.ForeignKey(
        Framework,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Profile cards: the framework shown.",
    )
    metric = models.ForeignKey(
        Metric, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Charts: the metric."
    )
    metrics = models.ManyToManyField(
        Metric, blank=True, related_name="+", help_text="Tables: the metrics compared; leave empty for every metric."
    )
    capabilities = models.ManyToManyField(
        Capability, blank=True, related_name="+", help_text="Capability matrices: leave empty for all."
    )
    caption = LineField(max_length=300, blank=True, help_text="Shown under tables, charts and cards.")

    class Meta:
        ordering = ["article", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="profile", framework__isnull=True),
                name="profile_section_has_framework",
                violation_error_message="A profile card needs a framework.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="chart", metric__isnull=True),
                name="chart_section_has_metric",
                violation_error_message="A chart needs a metric.",
            ),
        ]

    def __str__(self) -> str:
        label = self.heading or self.get_kind_display()
        return f"{self.position}. {label}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url() + f"#section-{self.pk}"

    @property
    def template_name(self) -> str:
        return f"articles/sections/{self.kind}.html"

    @property
    def anchor(self) -> str:
        return f"section-{self.pk}"

    def clean(self) -> None:
        if self.kind in (self.Kind.PROSE, self.Kind.QUOTE) and not self.body.strip():
            raise ValidationError({"body": "Write the text of this section."})
        if self.kind == self.Kind.PROFILE and not self.framework_id:
            raise ValidationError({"framework": "Choose the framework this card shows."})
        if self.kind == self.Kind.CHART and not self.metric_id:
            raise ValidationError({"metric": "Choose the metric this chart follows."})

    def save(self, *args, **kwargs) -> None:
        self.body_html = render_markdown(self.body) if self.kind == self.Kind.PROSE else ""
        super().save(*args, **kwargs)


class GuideChange(models.Model):
    """Something readers of a live guide saw change: a section added, edited or removed, or the guide
    (re)published. Figure changes are not stored here: they are read from the catalogue's history
    (``articles.changes``). Rows are written by ``articles.services`` when editors save through the admin."""

    class Kind(models.TextChoices):
        SECTION_ADDED = "section_added", "Section added"
        SECTION_EDITED = "section_edited", "Section edited"
        SECTION_REMOVED = "section_removed", "Section removed"
        PUBLISHED = "published", "Published"
        REPUBLISHED = "republished", "Republished"

    PUBLICATION_KINDS = (Kind.PUBLISHED, Kind.REPUBLISHED)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="changes", verbose_name="guide")
    kind = models.CharField(max_length=20, choices=Kind)
    summary = LineField(max_length=300, help_text="One line for readers, such as: Section “Performance” edited.")
    happened_at = models.DateTimeField(default=timezone.now)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The section added or edited; empty once it is removed.",
    )

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name = "guide change"
        indexes = [models.Index(fields=["article", "-happened_at"], name="guidechange_recent")]

    def __str__(self) -> str:
        return f"{self.article}: {self.summary}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url() + f"#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"change-{self.pk}"

    @property
    def shown_at(self):
        """When readers saw it happen: a guide published ahead of its publish time appeared at that time."""
        if self.kind in self.PUBLICATION_KINDS:
            return max(self.happened_at, self.article.publish_at)
        return self.happened_at
