"""Catalogue and guide objects as the plain data the API schemas describe.

These only read what the pages' selectors already loaded (Board, Comparison,
blocks), so an endpoint costs the same queries as the page it mirrors.
Addresses are absolute, so a client can follow them as they come.
"""

from collections.abc import Iterable, Sequence

from django.urls import reverse

from articles.blocks import Block, TableRow
from articles.models import Article, Section
from comparisons.selectors import Comparison
from frameworks.compare_paths import SEPARATOR
from frameworks.models import Adoption, Capability, Framework, Metric, Support
from frameworks.open_data import figure_record, number
from frameworks.selectors import AdopterGroup, Board, CapabilityRow, Figure


class Urls:
    """Absolute addresses for one request: the site's pages, the API's own, the downloads."""

    def __init__(self, request):
        self.request = request

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def api(self, name: str, **kwargs) -> str:
        return self.absolute(reverse(f"api:{name}", kwargs=kwargs))

    def framework(self, fw: Framework) -> dict:
        return {
            "slug": fw.slug,
            "name": fw.name,
            "url": self.absolute(fw.get_absolute_url()),
            "api_url": self.api("framework", slug=fw.slug),
        }

    def framework_downloads(self, fw: Framework) -> dict:
        return {
            "csv_url": self.absolute(reverse("frameworks:figures-csv", kwargs={"slug": fw.slug})),
            "json_url": self.absolute(reverse("frameworks:figures-json", kwargs={"slug": fw.slug})),
        }

    def comparison_downloads(self, frameworks: Sequence[Framework]) -> dict:
        slugs = SEPARATOR.join(fw.slug for fw in frameworks)
        return {
            "csv_url": self.absolute(reverse("compare:figures-csv", kwargs={"slugs": slugs})),
            "json_url": self.absolute(reverse("compare:figures-json", kwargs={"slugs": slugs})),
        }


def figures(board: Board, fw: Framework) -> list[dict]:
    """The framework's current figures, in the catalogue's metric order."""
    return [figure_record(f.measurement, framework=fw, metric=f.metric) for f in board.figures(fw)]


def current_of(fw: Framework, metrics: Sequence[Metric], current: dict) -> list[dict]:
    """The framework's current figures from a ``current_figures`` map."""
    return [
        figure_record(m, framework=fw, metric=metric)
        for metric in metrics
        if (m := current.get((fw.pk, metric.pk))) is not None
    ]


def metric(m: Metric) -> dict:
    return {
        "slug": m.slug,
        "name": m.name,
        "short_name": m.short_name,
        "description": m.description,
        "unit": m.unit,
        "decimal_places": m.decimal_places,
        "higher_is_better": m.higher_is_better,
        "usual_source_name": m.usual_source_name,
        "usual_source_url": m.usual_source_url,
    }


def framework_summary(urls: Urls, fw: Framework, figures: list[dict]) -> dict:
    return {
        "slug": fw.slug,
        "name": fw.name,
        "tagline": fw.tagline,
        "language": fw.language,
        "license": fw.license,
        "year_created": fw.year_created,
        "url": urls.absolute(fw.get_absolute_url()),
        "api_url": urls.api("framework", slug=fw.slug),
        "figures": figures,
    }


def support(s: Support, capability: Capability) -> dict:
    """How a framework offers a capability (passed in: the Board loaded capabilities once, not per row)."""
    return {
        "capability": capability.slug,
        "name": capability.name,
        "level": s.level,
        "level_label": s.get_level_display(),
        "package": s.package,
        "package_url": s.package_url,
        "note": s.note,
    }


def adoption(a: Adoption, published: set[int]) -> dict:
    """An adoption; a migration's other framework is named only when it is published."""
    other = a.other_framework if a.other_framework_id in published else None
    return {
        "organization": a.organization.name,
        "organization_url": a.organization.url,
        "relation": a.relation,
        "summary": a.summary,
        "other_framework": other.slug if other else None,
        "source_name": a.source_name,
        "source_url": a.source_url,
        "as_of": a.as_of,
    }


def published_ids(adoptions: Iterable[Adoption]) -> set[int]:
    """Of the other frameworks these adoptions name, those readers may see (loaded with them)."""
    return {a.other_framework_id for a in adoptions if a.other_framework_id and a.other_framework.is_published}


def adopter_groups(groups: list[AdopterGroup]) -> list[dict]:
    shown = published_ids(a for g in groups for a in g.adoptions)
    return [
        {
            "relation": g.adoptions[0].relation,
            "label": g.label,
            "total": g.total,
            "adoptions": [adoption(a, shown) for a in g.adoptions],
        }
        for g in groups
    ]


def framework_detail(urls: Urls, fw: Framework, board: Board) -> dict:
    supports = [support(s, row.capability) for row in board.capability_rows() for s in row.cells if s is not None]
    return framework_summary(urls, fw, figures(board, fw)) | {
        "description": fw.description,
        "home_url": fw.home_url,
        "repository_url": fw.repository_url,
        "documentation_url": fw.documentation_url,
        "latest_version": fw.latest_version,
        "latest_release_on": fw.latest_release_on,
        "identifiers": {
            "github_repo": fw.github_repo,
            "pypi_package": fw.pypi_package,
            "stackoverflow_tag": fw.stackoverflow_tag,
        },
        "capabilities": supports,
        "adopters": adopter_groups(board.adopter_groups(fw)),
        "adopters_url": urls.absolute(reverse("frameworks:adopters", kwargs={"slug": fw.slug})),
        "downloads": urls.framework_downloads(fw),
    }


def cells(row: list[Figure]) -> list[dict]:
    return [
        {
            "framework": f.framework.slug,
            "figure": figure_record(f.measurement, framework=f.framework, metric=f.metric) if f.measurement else None,
            "is_best": f.is_best,
        }
        for f in row
    ]


def capability_row(row: CapabilityRow) -> dict:
    return {
        "capability": row.capability.slug,
        "name": row.capability.name,
        "cells": [
            {"framework": fw.slug, "support": support(s, row.capability) if s else None} for fw, s in row.columns
        ],
    }


def series(metric: Metric, frameworks: Sequence[Framework], board: Board) -> list[dict]:
    """Each framework's history on the metric, oldest first (every recorded point, as the chart draws them)."""
    return [
        {
            "framework": fw.slug,
            "points": [{"as_of": m.as_of, "value": number(m.value)} for m in board.history.get((fw.pk, metric.pk), [])],
        }
        for fw in frameworks
    ]


def guide_summary(urls: Urls, article: Article, frameworks: list[Framework]) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "standfirst": article.standfirst,
        "summary": article.summary,
        "byline": article.byline,
        "published_at": article.publish_at,
        "updated_at": article.last_changed,
        "url": urls.absolute(article.get_absolute_url()),
        "api_url": urls.api("guide", slug=article.slug),
        "frameworks": [fw.slug for fw in frameworks],
        "categories": [{"slug": c.slug, "name": c.name} for c in article.categories.all()],
    }


def _section(block: Block, frameworks: list[Framework], board: Board, urls: Urls) -> dict:
    section = block.section
    out = {
        "id": section.pk,
        "position": section.position,
        "heading": section.heading,
        "anchor": section.anchor,
        "caption": section.caption,
        "kind": section.kind,
    }
    kind = section.kind
    if kind == Section.Kind.PROSE:
        return out | {"html": section.body_html}
    if kind == Section.Kind.QUOTE:
        return out | {"text": section.body, "attribution": section.attribution}
    if kind == Section.Kind.PROFILE:
        fw = section.framework
        if fw is None or not fw.is_published:
            return out | {"framework": None, "figures": [], "adopters": []}
        adoptions = block.data["adoptions"]
        shown = published_ids(adoptions)
        return out | {
            "framework": urls.framework(fw),
            "figures": figures(board, fw),
            "adopters": [adoption(a, shown) for a in adoptions],
        }
    if kind == Section.Kind.TABLE:
        rows: list[TableRow] = block.data
        return out | {
            "frameworks": [fw.slug for fw in frameworks],
            "rows": [{"metric": row.metric.slug, "cells": cells(row.cells)} for row in rows],
        }
    if kind == Section.Kind.MATRIX:
        return out | {"frameworks": [fw.slug for fw in frameworks], "rows": [capability_row(r) for r in block.data]}
    # A chart: the history it draws.
    return out | {"metric": section.metric.slug, "series": series(section.metric, frameworks, board)}


def guide_detail(urls: Urls, article: Article, frameworks: list[Framework], blocks: list[Block], board: Board) -> dict:
    return guide_summary(urls, article, frameworks) | {
        "frameworks_detail": [urls.framework(fw) for fw in frameworks],
        "sections": [_section(b, frameworks, board, urls) for b in blocks],
        "changes_feed": urls.absolute(reverse("articles:changes", kwargs={"slug": article.slug})),
    }


def comparison(urls: Urls, c: Comparison, guide_frameworks: dict[int, list[Framework]]) -> dict:
    board, frameworks = c.board, c.frameworks
    slugs = SEPARATOR.join(fw.slug for fw in frameworks)
    return {
        "title": c.title,
        "url": urls.absolute(reverse("compare:detail", kwargs={"slugs": slugs})),
        "frameworks": [framework_summary(urls, fw, figures(board, fw)) for fw in frameworks],
        "metrics": [{"metric": row.metric.slug, "cells": cells(row.cells)} for row in c.metric_rows],
        "history": [
            {"metric": row.metric.slug, "series": series(row.metric, frameworks, board)} for row in c.metric_rows
        ],
        "capabilities": [capability_row(r) for r in c.capability_rows],
        "adopters": [
            {"framework": fw.slug, "total": total, "groups": adopter_groups(groups)} for fw, groups, total in c.adopters
        ],
        "migrations": [
            {
                "organization": a.organization.name,
                "from_framework": a.other_framework.slug,
                "to_framework": a.framework.slug,
                "note": a.note,
            }
            for a in c.movements
        ],
        "migrations_total": c.movements_total,
        "shared_adopters": [
            {"organization": name, "frameworks": [fw.slug for fw in fws]} for name, fws in c.shared_adopters
        ],
        "shared_adopters_total": c.shared_total,
        "guides": [guide_summary(urls, g, guide_frameworks.get(g.pk, [])) for g in c.guides],
        "guides_total": c.guides_total,
        "downloads": urls.comparison_downloads(frameworks),
    }
