"""Feeds of new figures: "Flask: GitHub stars 45,761 → 46,120, as of 1 Sep 2019"."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy

from editorial.feeds import TextRssFeed

from .models import Framework, Measurement

ITEMS = 50


class FiguresFeed(Feed):
    """The latest figures recorded for every published framework."""

    feed_type = TextRssFeed
    title = f"{settings.SITE_NAME}: new figures"
    link = reverse_lazy("frameworks:list")
    description = "Each new figure with the one it follows, its date and its source."
    item_guid_is_permalink = False

    def measurements(self, framework: Framework | None = None):
        """The ITEMS latest figures, each with the value it follows (``previous``).

        The newest ids are picked first, in a subquery that reads nothing else, so the
        joins and the per-item lookup of the previous figure run for ITEMS rows only
        (index measurement_recorded walks the newest first).
        """
        # Exists, not framework__in: SQLite then walks the index newest first instead of sorting every figure.
        rows = Measurement.objects.filter(Exists(Framework.objects.published().filter(pk=OuterRef("framework"))))
        if framework is not None:
            rows = rows.filter(framework=framework)
        newest = rows.order_by("-recorded_at", "-id").values("pk")[:ITEMS]
        # The figure each one follows: an index lookup per item, not a window over the whole history.
        earlier = Measurement.objects.filter(
            framework=OuterRef("framework"), metric=OuterRef("metric"), as_of__lt=OuterRef("as_of")
        ).order_by("-as_of")
        return (
            Measurement.objects.filter(pk__in=Subquery(newest))
            .select_related("framework", "metric")
            .annotate(previous=Subquery(earlier.values("value")[:1]))
            .order_by("-recorded_at", "-id")
        )

    def items(self):
        return self.measurements()

    def item_title(self, item: Measurement) -> str:
        change = item.display_value
        if item.previous is not None:
            change = f"{item.metric.format(item.previous)} → {change}"
        return f"{item.framework.name}: {item.metric.name} {change}, as of {item.as_of:%-d %b %Y}"

    def item_description(self, item: Measurement) -> str:
        text = f"{item.metric.name} of {item.framework.name} was {item.display_value} on {item.as_of:%-d %B %Y}"
        text += f", according to {item.source_name} ({item.source_url}); {item.provenance}."
        return f"{text} {item.note}" if item.note else text

    def item_link(self, item: Measurement) -> str:
        return item.framework.get_absolute_url()

    def item_guid(self, item: Measurement) -> str:
        return f"{item.framework.get_absolute_url()}#figure-{item.pk}"

    def item_pubdate(self, item: Measurement):
        return item.recorded_at

    def item_categories(self, item: Measurement) -> list[str]:
        return [item.framework.name, item.metric.name]


class FrameworkFiguresFeed(FiguresFeed):
    """The latest figures recorded for one framework."""

    def get_object(self, request, slug):
        return get_object_or_404(Framework.objects.published(), slug=slug)

    def title(self, obj: Framework) -> str:
        return f"{settings.SITE_NAME}: new figures for {obj.name}"

    def link(self, obj: Framework) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Framework) -> str:
        return reverse("feeds:framework-figures", kwargs={"slug": obj.slug})

    def description(self, obj: Framework) -> str:
        return f"Each new figure for {obj.name} with the one it follows, its date and its source."

    def items(self, obj: Framework):
        return self.measurements(obj)
