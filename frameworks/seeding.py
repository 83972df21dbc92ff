"""The seed catalogue (``content/seed/catalogue.toml``): read it, then load it.

Reading checks the whole file and touches no row. Loading creates only what is
missing, matched by slug (figures: by framework, metric and date), so rows that
editors changed stay as they are. Every problem raises SeedDataError.
"""

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from string import Formatter
from typing import NamedTuple

from .models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support
from .services import FigureErrors, record_round


class SeedDataError(Exception):
    """A seed data file is missing or wrong. The message names the file and the place."""


TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    date: "a date",
    datetime: "a date and time with its UTC offset",
    list: "an array",
    dict: "a table",
}


class DataFile:
    """A parsed TOML seed file, with checks that raise SeedDataError naming it."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with path.open("rb") as f:
                self.data = tomllib.load(f)
        except FileNotFoundError:
            raise SeedDataError(f"{path}: file not found") from None
        except OSError as exc:
            raise SeedDataError(f"{path}: cannot be read: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise SeedDataError(f"{path}: not UTF-8 text") from None
        except tomllib.TOMLDecodeError as exc:
            raise SeedDataError(f"{path}: invalid TOML: {exc}") from None

    def error(self, where: str, message: str) -> SeedDataError:
        return SeedDataError(f"{self.path}: {where}: {message}" if where else f"{self.path}: {message}")

    def table(self, value, where: str, fields: dict[str, type], required=()) -> dict:
        """``value`` if it is a table whose keys are among ``fields`` (key: type) and include ``required``."""
        if type(value) is not dict:
            raise self.error(where, "must be a table")
        for key in required:
            if key not in value:
                raise self.error(where, f"missing required key '{key}'")
        for key, item in value.items():
            if key not in fields:
                raise self.error(where, f"unknown key '{key}' (expected one of: {', '.join(fields)})")
            # Exact types: a bool is not an integer here, nor a date and time a date.
            if type(item) is not fields[key]:
                raise self.error(where, f"'{key}' must be {TYPE_NAMES[fields[key]]}")
        return value

    def tables(self, value, key: str, fields: dict[str, type], required=()) -> list[tuple[str, dict]]:
        """The array of tables ``[[key]]`` (none if ``value`` is None) as (label, table) pairs.

        Labels read "[[key]] #n", with the table's slug if it has one; slugs must not repeat.
        """
        if value is None:
            return []
        if type(value) is not list:
            raise self.error(key, f"must be an array of tables ([[{key}]])")
        pairs, seen = [], {}
        for number, item in enumerate(value, 1):
            label = f"[[{key}]] #{number}"
            table = self.table(item, label, fields, required)
            if "slug" in table:
                if table["slug"] in seen:
                    raise self.error(label, f"slug '{table['slug']}' repeats {seen[table['slug']]}")
                seen[table["slug"]] = label
                label += f" ({table['slug']})"
            pairs.append((label, table))
        return pairs

    def known(self, value, where: str, what: str, known) -> str:
        """``value`` if it is one of ``known``, the slugs (or names) of ``what``."""
        if type(value) is not str or value not in known:
            raise self.error(where, f"unknown {what} {value!r} (known: {', '.join(known)})")
        return value


class Figure(NamedTuple):
    metric: str
    value: int | str
    source_name: str
    source_url: str


@dataclass(frozen=True)
class Catalogue:
    """The checked content of a catalogue file. Dicts hold model fields; references are slugs."""

    path: Path
    as_of: date
    adoptions_source: str
    metrics: list[dict]
    frameworks: list[dict]
    figures: dict[str, list[Figure]]  # by framework slug
    organizations: list[dict]
    adoptions: list[dict]
    capabilities: list[dict]
    supports: dict[str, dict[str, dict]]  # by capability slug, then framework slug
    categories: list[dict]  # guides' categories, which the guides loader creates


class CatalogueRows(NamedTuple):
    metrics: dict[str, Metric]
    frameworks: dict[str, Framework]
    capabilities: dict[str, Capability]


TOP_KEYS = {
    "as_of": date,
    "adoptions_source": str,
    "figure_sources": dict,
    "metrics": list,
    "frameworks": list,
    "organizations": list,
    "adoptions": list,
    "capabilities": list,
    "categories": list,
}
METRIC_KEYS = {
    "slug": str,
    "name": str,
    "short_name": str,
    "unit": str,
    "decimal_places": int,
    "higher_is_better": bool,
    "description": str,
    "usual_source_name": str,
    "usual_source_url": str,
    "max_fall_percent": int,
}
FRAMEWORK_KEYS = {
    "slug": str,
    "name": str,
    "tagline": str,
    "description": str,
    "year_created": int,
    "license": str,
    "home_url": str,
    "repository_url": str,
    "documentation_url": str,
    "github_repo": str,
    "pypi_package": str,
    "stackoverflow_tag": str,
}
FRAMEWORK_ENTRY_KEYS = FRAMEWORK_KEYS | {"figures": dict}
SOURCE_KEYS = {"name": str, "url": str}
ORGANIZATION_KEYS = {"slug": str, "name": str, "url": str}
ADOPTION_KEYS = {"organization": str, "framework": str, "relation": str, "other_framework": str, "note": str}
CAPABILITY_KEYS = {"slug": str, "name": str, "description": str, "support": dict}
SUPPORT_KEYS = {"level": str, "package": str, "package_url": str, "note": str}
CATEGORY_KEYS = {"slug": str, "name": str, "description": str}


def read_catalogue(path: Path) -> Catalogue:
    """The catalogue file at ``path``, checked whole. Saves nothing."""
    f = DataFile(path)
    top = f.table(f.data, "", TOP_KEYS, required=("as_of",))
    metrics = [m for _, m in f.tables(top.get("metrics"), "metrics", METRIC_KEYS, required=("slug", "name"))]
    metric_slugs = [m["slug"] for m in metrics]

    sources = {}
    for slug, source in top.get("figure_sources", {}).items():
        f.known(slug, "[figure_sources]", "metric", metric_slugs)
        sources[slug] = f.table(source, f"[figure_sources] {slug}", SOURCE_KEYS, required=("name", "url"))

    frameworks, figures = [], {}
    for where, entry in f.tables(top.get("frameworks"), "frameworks", FRAMEWORK_ENTRY_KEYS, required=("slug", "name")):
        frameworks.append({k: v for k, v in entry.items() if k in FRAMEWORK_KEYS})
        figures[entry["slug"]] = _figures(f, where, entry, sources, metric_slugs)
    framework_slugs = [fw["slug"] for fw in frameworks]

    organizations = [o for _, o in f.tables(top.get("organizations"), "organizations", ORGANIZATION_KEYS,
                                             required=("slug", "name"))]
    adoptions, adopted = [], {}
    for where, adoption in f.tables(top.get("adoptions"), "adoptions", ADOPTION_KEYS,
                                    required=("organization", "framework", "relation")):
        f.known(adoption["organization"], where, "organization", [o["slug"] for o in organizations])
        f.known(adoption["framework"], where, "framework", framework_slugs)
        f.known(adoption["relation"], where, "relation", Adoption.Relation.values)
        if "other_framework" in adoption:
            f.known(adoption["other_framework"], where, "framework", framework_slugs)
        pair = (adoption["organization"], adoption["framework"])
        if pair in adopted:
            raise f.error(where, f"repeats {adopted[pair]}: one adoption per organization and framework")
        adopted[pair] = where
        adoptions.append(adoption)

    capabilities, supports = [], {}
    for where, entry in f.tables(top.get("capabilities"), "capabilities", CAPABILITY_KEYS, required=("slug", "name")):
        capabilities.append({k: v for k, v in entry.items() if k != "support"})
        supports[entry["slug"]] = {}
        for fw_slug, support in entry.get("support", {}).items():
            f.known(fw_slug, f"{where} support", "framework", framework_slugs)
            label = f"{where} support.{fw_slug}"
            f.table(support, label, SUPPORT_KEYS, required=("level",))
            f.known(support["level"], label, "level", Support.Level.values)
            supports[entry["slug"]][fw_slug] = support

    categories = [c for _, c in f.tables(top.get("categories"), "categories", CATEGORY_KEYS, required=("slug", "name"))]
    return Catalogue(
        path=path,
        as_of=top["as_of"],
        adoptions_source=top.get("adoptions_source", ""),
        metrics=metrics,
        frameworks=frameworks,
        figures=figures,
        organizations=organizations,
        adoptions=adoptions,
        capabilities=capabilities,
        supports=supports,
        categories=categories,
    )


def _figures(f: DataFile, where: str, entry: dict, sources: dict, metric_slugs: list[str]) -> list[Figure]:
    # A source URL may name the framework's own string keys, e.g. {repository_url}.
    own = {k: v for k, v in entry.items() if type(v) is str}
    figures = []
    for slug, value in entry.get("figures", {}).items():
        label = f"{where} figures.{slug}"
        f.known(slug, f"{where} figures", "metric", metric_slugs)
        if type(value) is float:
            raise f.error(label, f'write decimals as strings, e.g. "{value}", so no digit is lost')
        try:
            if type(value) not in (int, str) or not Decimal(value).is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise f.error(label, f"{value!r} is not a number") from None
        if slug not in sources:
            raise f.error(label, f"no source for metric '{slug}' under [figure_sources]")
        url = sources[slug]["url"]
        try:
            names = {name for _, name, _, _ in Formatter().parse(url) if name is not None}
        except ValueError as exc:
            raise f.error(f"[figure_sources] {slug}", f"url: {exc}") from None
        missing = sorted(names - own.keys())
        if missing:
            raise f.error(label, f"its source URL needs '{missing[0]}', which this framework does not give")
        figures.append(Figure(slug, value, sources[slug]["name"], url.format_map(own)))
    return figures


def by_slug(model, fields: dict, **extra):
    """The ``model`` row with the slug in ``fields``, created from ``fields`` and ``extra`` if missing."""
    defaults = {k: v for k, v in fields.items() if k != "slug"} | extra
    return model.objects.get_or_create(slug=fields["slug"], defaults=defaults)[0]


def _record_missing_figures(catalogue: Catalogue, frameworks: dict, metrics: dict) -> None:
    """Record, in one round, every figure of ``catalogue`` not yet recorded for its framework, metric and date."""
    recorded = set(
        Measurement.objects.filter(framework__in=frameworks.values(), as_of=catalogue.as_of)
        .order_by()
        .values_list("framework_id", "metric_id")
    )
    wanted = [
        (slug, figure)
        for slug, figures in catalogue.figures.items()
        for figure in figures
        if (frameworks[slug].pk, metrics[figure.metric].pk) not in recorded
    ]
    rows = [
        Measurement(
            framework=frameworks[slug],
            metric=metrics[figure.metric],
            value=Decimal(str(figure.value)),
            as_of=catalogue.as_of,
            source_name=figure.source_name,
            source_url=figure.source_url,
        )
        for slug, figure in wanted
    ]
    if not rows:
        return
    try:
        record_round(rows)
    except FigureErrors as exc:
        index = min(exc.rows)
        slug, figure = wanted[index]
        problems = "; ".join(message for messages in exc.rows[index].values() for message in messages)
        raise SeedDataError(f"{catalogue.path}: {slug} figures.{figure.metric}: {problems}") from exc


def load_catalogue(catalogue: Catalogue) -> CatalogueRows:
    """Create the rows of ``catalogue`` that are missing; leave existing ones as they are."""
    metrics = {
        fields["slug"]: by_slug(Metric, fields, position=position * 10)
        for position, fields in enumerate(catalogue.metrics, 1)
    }

    # The seed is the published catalogue; an editor's new framework starts unpublished.
    frameworks = {fields["slug"]: by_slug(Framework, fields, is_published=True) for fields in catalogue.frameworks}
    _record_missing_figures(catalogue, frameworks, metrics)

    organizations = {fields["slug"]: by_slug(Organization, fields) for fields in catalogue.organizations}
    for adoption in catalogue.adoptions:
        other = adoption.get("other_framework")
        Adoption.objects.get_or_create(
            organization=organizations[adoption["organization"]],
            framework=frameworks[adoption["framework"]],
            defaults={
                "relation": adoption["relation"],
                "other_framework": frameworks[other] if other else None,
                "note": adoption.get("note", ""),
                "source_name": catalogue.adoptions_source,
                "as_of": catalogue.as_of,
            },
        )

    capabilities = {}
    for position, fields in enumerate(catalogue.capabilities, 1):
        capability = capabilities[fields["slug"]] = by_slug(Capability, fields, position=position * 10)
        for fw_slug, support in catalogue.supports[capability.slug].items():
            Support.objects.get_or_create(framework=frameworks[fw_slug], capability=capability, defaults=support)
    return CatalogueRows(metrics, frameworks, capabilities)
