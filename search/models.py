"""The search index: one row per searchable thing, whatever its kind.

A SearchEntry holds the text a thing is found by (``title`` weighted above
``body``) and points at exactly one framework, guide, capability or
organisation. Whether a reader may see it is decided when searching, through
the models' own ``published()`` rules (``SearchEntryQuerySet.visible``), so a
scheduled guide turns up when its time comes without any write, and an
unpublished framework never does.

The full-text index itself lives in the database: on SQLite an FTS5 table
``search_fts`` kept in step by triggers, on PostgreSQL ``search_vector`` with
a GIN index (see ``migrations/0001_initial.py`` and ``backends``).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q

from articles.models import Article
from frameworks.models import Capability, Framework, Organization


class Kind(models.TextChoices):
    FRAMEWORK = "framework", "Framework"
    GUIDE = "guide", "Guide"
    CAPABILITY = "capability", "Capability"
    ORGANISATION = "organisation", "Adopter"


class SearchEntryQuerySet(models.QuerySet):
    def visible(self):
        """Entries a reader may see: the target is published now (organisations: adopt a published framework).

        Each test is a correlated EXISTS through the models' ``published()``,
        so it costs an index lookup per matched entry, not a scan of the catalogue.
        """
        published = Framework.objects.published()
        return self.filter(
            Exists(published.filter(pk=OuterRef("framework_id")))
            | Exists(Article.objects.published().filter(pk=OuterRef("article_id")))
            | Q(capability__isnull=False)
            | Exists(published.filter(adoptions__organization_id=OuterRef("organization_id")))
        )

    def visible_frameworks(self):
        """Entries of published frameworks only (the pickers' suggestions)."""
        return self.filter(Exists(Framework.objects.published().filter(pk=OuterRef("framework_id"))))


class SearchEntry(models.Model):
    kind = models.CharField(max_length=12, choices=Kind)
    framework = models.OneToOneField(Framework, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    article = models.OneToOneField(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    capability = models.OneToOneField(Capability, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organization = models.OneToOneField(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True, help_text="Every other searchable word of the target, as plain text.")
    url = models.CharField(max_length=300, help_text="Where a result links: the target's page.")
    slug = models.CharField(max_length=100, blank=True, help_text="Frameworks: their slug, for compare links.")
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; NULL on SQLite
    updated_at = models.DateTimeField(auto_now=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "search entries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(framework__isnull=False, article__isnull=True, capability__isnull=True, organization__isnull=True)
                    | Q(framework__isnull=True, article__isnull=False, capability__isnull=True, organization__isnull=True)
                    | Q(framework__isnull=True, article__isnull=True, capability__isnull=False, organization__isnull=True)
                    | Q(framework__isnull=True, article__isnull=True, capability__isnull=True, organization__isnull=False)
                ),
                name="search_entry_has_one_target",
                violation_error_message="A search entry points at exactly one framework, guide, capability or organisation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url
