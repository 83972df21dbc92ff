"""Seed guides (``content/seed/guides/*.toml``): read them, then load them.

A guide's prose bodies are Markdown files in the folder named after its file
(``flask-vs-django.toml`` → ``flask-vs-django/``). Reading checks every guide
against the catalogue and touches no row. Loading creates a guide, whole, only
when no guide has its slug, so editors' changes stay.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError

from frameworks.seeding import Catalogue, CatalogueRows, DataFile, SeedDataError, by_slug

from .models import Article, ArticleFramework, Category, Section

GUIDE_KEYS = {
    "slug": str,
    "title": str,
    "standfirst": str,
    "summary": str,
    "byline": str,
    "publish_at": datetime,
    "frameworks": list,
    "categories": list,
    "sections": list,
}
SECTION_KEYS = {
    "kind": str,
    "heading": str,
    "caption": str,
    "framework": str,
    "metric": str,
    "metrics": list,
    "attribution": str,
    "body": str,
    "text": str,
}


@dataclass(frozen=True)
class Guide:
    """The checked content of a guide file. ``fields`` and each section hold model fields; references are slugs."""

    path: Path
    fields: dict
    frameworks: list[str]
    categories: list[str]
    sections: list[dict]


def read_guides(folder: Path, catalogue: Catalogue) -> list[Guide]:
    """Every guide file in ``folder``, in name order, checked whole. Saves nothing."""
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise SeedDataError(f"{folder}: no guide files (*.toml)")
    guides, seen = [], {}
    for path in paths:
        guide = read_guide(path, catalogue)
        slug = guide.fields["slug"]
        if slug in seen:
            raise SeedDataError(f"{path}: slug '{slug}' repeats {seen[slug]}")
        seen[slug] = path
        guides.append(guide)
    return guides


def read_guide(path: Path, catalogue: Catalogue) -> Guide:
    """The guide file at ``path`` with its Markdown bodies, checked against ``catalogue``."""
    f = DataFile(path)
    top = f.table(f.data, "", GUIDE_KEYS, required=("slug", "title", "publish_at", "sections"))
    if top["publish_at"].tzinfo is None:
        raise f.error("publish_at", "give a UTC offset, e.g. 2019-08-30T09:00:00Z")
    frameworks = [fw["slug"] for fw in catalogue.frameworks]
    metrics = [m["slug"] for m in catalogue.metrics]
    categories = [c["slug"] for c in catalogue.categories]
    fields = {k: v for k, v in top.items() if k not in ("frameworks", "categories", "sections")}
    guide_frameworks = [f.known(s, "frameworks", "framework", frameworks) for s in _array(f, top, "frameworks")]
    guide_categories = [f.known(s, "categories", "category", categories) for s in _array(f, top, "categories")]

    bodies = path.with_suffix("")
    sections = []
    for where, section in f.tables(top["sections"], "sections", SECTION_KEYS, required=("kind",)):
        kind = f.known(section["kind"], where, "kind", Section.Kind.values)
        where += f" ({kind})"
        if "framework" in section:
            f.known(section["framework"], where, "framework", frameworks)
        if "metric" in section:
            f.known(section["metric"], where, "metric", metrics)
        for slug in _array(f, section, "metrics", where):
            f.known(slug, where, "metric", metrics)
        for key, owner in (("body", Section.Kind.PROSE), ("text", Section.Kind.QUOTE)):
            if kind == owner and key not in section:
                raise f.error(where, f"missing required key '{key}'")
            if kind != owner and key in section:
                raise f.error(where, f"'{key}' is only for {owner} sections")
        body = section.get("text", "")
        if kind == Section.Kind.PROSE:
            body = _markdown(f, where, bodies, section["body"])
        sections.append({k: v for k, v in section.items() if k not in ("body", "text")} | {"body": body})
    return Guide(path, fields, guide_frameworks, guide_categories, sections)


def _array(f: DataFile, table: dict, key: str, where: str = "") -> list:
    items = table.get(key, [])
    if any(type(item) is not str for item in items):
        raise f.error(where, f"'{key}' must be an array of slugs")
    return items


def _markdown(f: DataFile, where: str, folder: Path, name: str) -> str:
    if not name or Path(name).name != name:
        raise f.error(where, f"body must name a Markdown file in {folder}, not {name!r}")
    try:
        return (folder / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise f.error(where, f"Markdown file {folder / name} not found") from None
    except UnicodeDecodeError:
        raise f.error(where, f"Markdown file {folder / name} is not UTF-8 text") from None
    except OSError as exc:
        raise f.error(where, f"Markdown file {folder / name} cannot be read: {exc.strerror}") from None


def load_guides(guides: list[Guide], catalogue: Catalogue, rows: CatalogueRows) -> list[Article]:
    """Create the catalogue's missing categories, then each guide that no guide's slug matches.

    Returns every guide, created or already there.
    """
    categories = {fields["slug"]: by_slug(Category, fields) for fields in catalogue.categories}
    return [_load_guide(guide, rows, categories) for guide in guides]


def _load_guide(guide: Guide, rows: CatalogueRows, categories: dict[str, Category]) -> Article:
    fields = guide.fields
    article, created = Article.objects.get_or_create(
        slug=fields["slug"],
        defaults={k: v for k, v in fields.items() if k != "slug"} | {"status": Article.Status.PUBLISHED},
    )
    if not created:
        return article
    article.categories.set(categories[slug] for slug in guide.categories)
    for position, slug in enumerate(guide.frameworks):
        ArticleFramework.objects.create(article=article, framework=rows.frameworks[slug], position=position)
    for number, data in enumerate(guide.sections, 1):
        section = Section(
            article=article,
            position=number * 10,
            kind=data["kind"],
            heading=data.get("heading", ""),
            body=data["body"],
            attribution=data.get("attribution", ""),
            caption=data.get("caption", ""),
            framework=rows.frameworks.get(data.get("framework")),
            metric=rows.metrics.get(data.get("metric")),
        )
        try:
            section.full_clean()
        except ValidationError as exc:
            raise SeedDataError(
                f"{guide.path}: [[sections]] #{number} ({section.kind}): {'; '.join(exc.messages)}"
            ) from exc
        section.save()
        section.metrics.set(rows.metrics[slug] for slug in data.get("metrics", []))
    return article
