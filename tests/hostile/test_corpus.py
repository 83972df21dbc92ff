"""The hostile corpus, typed into every reader-visible text field through the admin, stays inert everywhere.

Each round saves a handful of payloads the way an editor does: admin add forms (inlines included,
a logo uploaded so its alt text shows), one change form, as a logged-in superuser. A payload goes
into every text field of a metric, a capability, an organization, a category, a framework (with
new figures, an adopter and a capability's support) and a published guide with a section of each
kind. Then every public page, feed and sitemap, and the admin's changelists, change pages,
searches, history and revision diff are read back:

- no page holds a script, handler, script URL or hijacking element the same page lacks with harmless
  content (``checks.dangers`` against a baseline), and JSON-LD stays JSON;
- every feed is strict XML, feedparser finds no fault, and every text value reaches a reader as the
  text the editor stored (``checks.check_feed``);
- nothing answers 500.

A form may refuse a payload (a ``javascript:`` URL, a name too long or empty once normalised): the
field then gets a harmless value, and the test insists that most payloads that fit a field's column
were stored in it, or it would prove nothing. A value too long for a column is posted to it only from
the group of long strings, whose purpose that is: any other would only bring the form back refused,
at the price of a second save. A stored value is never longer than its column, nor empty where a value
is required.

Rounds are rolled back, so each starts from an empty catalogue and shows in full in the feeds (the
latest 20 guides and 50 figures); the home page lists 10 of its guides, the category pages all.
"""

import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reversion.models import Version

from articles.models import Article, Category, Section
from frameworks.compare_paths import MAX_FRAMEWORKS, canonical_path
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support
from tests.admin_forms import admin_post_data
from tests.hostile.checks import check_feed, check_page, check_xml, dangers
from tests.hostile.corpus import CORPUS, LONG, URLS
from tests.routes import feed_paths

pytestmark = pytest.mark.django_db

ROUND_SIZE = 20  # the feeds show the latest 20 guides and 50 figures (2 per framework)
ROUNDS = math.ceil(len(CORPUS) / ROUND_SIZE)
# Interleaved, so that each round mixes the groups and look-alike payloads rarely meet in one round.
PAYLOAD_ROUNDS = [CORPUS[r::ROUNDS] for r in range(ROUNDS)]
SECTION_KINDS = ["prose", "quote", "profile", "table", "chart", "matrix"]
# Each field must store at least this share of the payloads that fit its column; the rest may be
# refused (a script URL, text empty once normalised, NUL).
MIN_STORED = 0.75


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def admin_url(model: type[models.Model], action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def as_url(payload: str) -> str:
    """What goes into a URL field: a URL payload as it is; any other in a URL's path, with whitespace and
    controls percent-encoded as a browser's address bar does (so that most are valid URLs and stored)."""
    if payload in URLS:
        return payload
    return "https://example.com/" + "".join(quote(c) if c.isspace() or c < " " or c == "\x7f" else c for c in payload)


@dataclass
class Slot:
    """One form input that receives a payload."""

    label: str  # "Model.field", for the tally
    payload: str
    value: str  # what is posted: the payload, or a URL made of it
    harmless: str  # what is posted instead if the form refuses the value
    fits: bool  # no longer than the column: a form has no length reason to refuse it
    posted: bool  # a value too long for the column is posted only if testing length is its purpose


@dataclass
class Tally:
    """Payloads stored per field, of those that fit it, and every problem found."""

    stored: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    fitting: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[str] = field(default_factory=list)

    def record(self, slot: Slot, stored: bool) -> None:
        if stored:
            self.stored[slot.label].add(slot.payload)
        if slot.fits:
            self.fitting[slot.label].add(slot.payload)

    def too_few_stored(self) -> list[str]:
        """Fields that kept less than MIN_STORED of the payloads that fit them: the test would prove little."""
        return [
            f"{label}: only {len(self.stored[label] & fitting)} of the {len(fitting)} payloads that fit the column "
            f"were stored"
            for label, fitting in sorted(self.fitting.items())
            if len(self.stored[label] & fitting) < MIN_STORED * len(fitting)
        ]


class Round:
    """Saves one round of payloads through the admin, then reads every page, feed and admin screen."""

    def __init__(self, admin: Client, reader: Client, payloads: list[str], number: int, tally: Tally, templates,
                 allowed: set[str]):
        self.admin, self.reader, self.payloads, self.number, self.tally = admin, reader, payloads, number, tally
        self.tag = f"r{number}"
        self.templates = templates  # the add pages' POST data, read once per model
        self.allowed = allowed  # the baseline: what the checks flag on pages with harmless content
        self.metrics, self.capabilities, self.organizations, self.categories = [], [], [], []
        self.frameworks, self.articles = [], []

    # --- Requests ------------------------------------------------------------------------------------

    def request(self, client: Client, method: str, path: str, data=None):
        """The response, or None after recording the exception a 500 would have shown.

        In a savepoint: on PostgreSQL a failed query would otherwise break every later one.
        """
        try:
            with transaction.atomic():
                return getattr(client, method)(path, data)
        except Exception as exc:  # any exception is a 500 for the editor or reader
            self.tally.problems.append(f"{self.tag} {method.upper()} {path}: 500, {type(exc).__name__}: {exc}"[:400])
            return None

    def template(self, model: type[models.Model]) -> dict:
        key = model._meta.label
        if key not in self.templates:
            self.templates[key] = admin_post_data(self.admin.get(admin_url(model, "add")))
        return dict(self.templates[key])

    # --- Saving through the admin --------------------------------------------------------------------

    def save(self, model, data: dict, slots: dict[str, Slot], *, url=None, files=None):
        """POST an add (or change) form with payloads in ``slots``; a refused input gets its harmless value.

        Returns the saved object, found by its slug, or None.
        """
        url = url or admin_url(model, "add")
        refused = {name for name, slot in slots.items() if not slot.posted}
        data = {**data, **{name: slot.harmless if name in refused else slot.value for name, slot in slots.items()}}
        for _ in range(4):
            response = self.request(self.admin, "post", url, {**data, **(files() if files else {})})
            if response is None:  # a 500: try once more with nothing hostile, so the round goes on
                refused |= set(slots)
            elif response.status_code == 302:
                break
            elif response.status_code != 200:
                self.tally.problems.append(f"{self.tag} POST {url}: status {response.status_code}")
                return None
            else:  # refused: the form comes back holding the payloads, an admin page like any other
                self.tally.problems += [f"{self.tag} POST {url} (refused form): {problem}"
                                        for problem in dangers(response.content.decode())
                                        if problem not in self.allowed]
                errors = self.refused_inputs(response, slots)
                if not errors - refused:
                    self.tally.problems.append(f"{self.tag} POST {url}: refused, not for a payload: "
                                               f"{self.error_summary(response)}")
                    return None
                refused |= errors
            data.update({name: slots[name].harmless for name in refused})
        else:
            self.tally.problems.append(f"{self.tag} POST {url}: not saved after 4 tries")
            return None
        obj, rows = model.objects.get(slug=data["slug"]), {}
        for name, slot in slots.items():
            self.tally.record(slot, stored=name not in refused and self.verify_stored(obj, name, slot, rows))
        return obj

    @staticmethod
    def refused_inputs(response, slots: dict[str, Slot]) -> set[str]:
        """The payload inputs a re-rendered admin form marks as errors (all of a form's, for errors of the form)."""
        forms = [response.context["adminform"].form]
        formset_errors = []
        for inline in response.context["inline_admin_formsets"]:
            forms += inline.formset.forms
            if inline.formset.non_form_errors():
                formset_errors.append(inline.formset.prefix + "-")
        names = set()
        for form in forms:
            prefix = form.prefix + "-" if form.prefix else ""
            for name in form.errors:
                if name == "__all__":
                    names |= {n for n in slots if n.startswith(prefix) and (prefix or "-" not in n)}
                else:
                    names.add(form.add_prefix(name))
        names |= {n for n in slots for prefix in formset_errors if n.startswith(prefix)}
        return names & set(slots)

    @staticmethod
    def error_summary(response) -> str:
        forms = [response.context["adminform"].form]
        forms += [f for inline in response.context["inline_admin_formsets"] for f in inline.formset.forms]
        return "; ".join(f"{f.prefix or 'form'} {dict(f.errors)}" for f in forms if f.errors)[:300]

    def verify_stored(self, obj, name: str, slot: Slot, rows: dict) -> bool:
        """Whether the value was stored as it should be: no longer than its column, and not empty if required.

        Text that normalises to nothing is blank input, like white space: refused where a value is
        required, stored empty where it is optional.
        """
        if "-" in name:  # an inline row: "<related name>-<row>-<field>", rows saved in order
            related, row, attname = name.rsplit("-", 2)
            if related not in rows:
                rows[related] = list(getattr(obj, related).order_by("pk"))
            if related == "sections":
                # A new section whose text all cleaned away is a blank form, not a section: it is not saved.
                # Sections are posted at position row + 1, so find each by its position.
                obj = next((s for s in rows[related] if s.position == int(row) + 1), None)
                if obj is None:
                    return False
            else:
                obj = rows[related][int(row)]
        else:
            attname = name
        stored = getattr(obj, attname)
        column = obj._meta.get_field(attname)
        if slot.value.strip() and not stored and not column.blank:
            self.tally.problems.append(f"{self.tag} {slot.label}: {slot.value!r} was accepted and stored empty, "
                                       f"though a value is required")
        elif isinstance(column, models.CharField) and len(stored) > column.max_length:
            self.tally.problems.append(f"{self.tag} {slot.label}: {slot.value[:40]!r} stored as {len(stored)} "
                                       f"characters, over the column's {column.max_length}")
        else:
            return True
        return False

    def slots(self, model, n: int, fields: dict[str, str], prefix: str = "", **harmless) -> dict[str, Slot]:
        """The payload of item ``n`` in each of ``fields`` (form field name: "text" or "url")."""
        payload, slots = self.payloads[n], {}
        for name, kind in fields.items():
            value = as_url(payload) if kind == "url" else payload
            limit = model._meta.get_field(name).max_length
            fits = limit is None or len(value) <= limit
            slots[prefix + name] = Slot(f"{model.__name__}.{name}", payload, value, harmless.get(name, ""), fits,
                                        posted=fits or payload in LONG)
        return slots

    def unique(self, what: str, n: int) -> str:
        return f"{what} {self.tag} {n}"

    def slug(self, what: str, n: int) -> str:
        return f"{what}-{self.tag}-{n}"

    def save_catalogue(self) -> None:
        """What frameworks and guides refer to: metrics, capabilities, organizations, categories."""
        for n in range(len(self.payloads)):
            data = self.template(Metric) | {"slug": self.slug("metric", n)}
            slots = self.slots(Metric, n, {"name": "text", "short_name": "text", "unit": "text",
                                           "description": "text"}, name=self.unique("Metric", n))
            self.metrics.append(self.save(Metric, data, slots))
            data = self.template(Capability) | {"slug": self.slug("capability", n)}
            slots = self.slots(Capability, n, {"name": "text", "description": "text"},
                               name=self.unique("Capability", n))
            self.capabilities.append(self.save(Capability, data, slots))
            data = self.template(Organization) | {"slug": self.slug("org", n)}
            slots = self.slots(Organization, n, {"name": "text", "url": "url"}, name=self.unique("Organization", n))
            self.organizations.append(self.save(Organization, data, slots))
            data = self.template(Category) | {"slug": self.slug("category", n)}
            slots = self.slots(Category, n, {"name": "text", "description": "text"}, name=self.unique("Category", n))
            self.categories.append(self.save(Category, data, slots))

    def save_framework(self, n: int):
        data = self.template(Framework) | {"slug": self.slug("fw", n), "year_created": "2010", "is_published": "on"}
        slots = self.slots(Framework, n, {
            "name": "text", "tagline": "text", "description": "text", "language": "text", "license": "text",
            "home_url": "url", "repository_url": "url", "documentation_url": "url", "logo_alt": "text",
        }, name=self.unique("Framework", n), language="Python")
        figures = [("10", "2019-01-01"), ("20", "2019-06-01")]  # the feeds show the second as a change
        for row, (value, as_of) in enumerate(figures):
            data |= {f"measurements-{row}-metric": str(self.metrics[n].pk), f"measurements-{row}-value": value,
                     f"measurements-{row}-as_of": as_of}
            slots |= self.slots(Measurement, n, {"source_name": "text", "source_url": "url", "note": "text"},
                                f"measurements-{row}-", source_name="GitHub", source_url="https://example.com/s")
        other = self.frameworks[n - 1] if n else None
        data |= {
            "measurements-TOTAL_FORMS": str(len(figures)), "adoptions-TOTAL_FORMS": "1",
            "adoptions-0-organization": str(self.organizations[n].pk), "adoptions-0-as_of": "2019-01-01",
            "adoptions-0-relation": "migrated_from" if other else "uses",
            "adoptions-0-other_framework": str(other.pk) if other else "",
            "supports-TOTAL_FORMS": "1", "supports-0-capability": str(self.capabilities[n].pk),
            "supports-0-level": "third_party",
        }
        slots |= self.slots(Adoption, n, {"note": "text", "source_name": "text", "source_url": "url"}, "adoptions-0-")
        slots |= self.slots(Support, n, {"package": "text", "package_url": "url", "note": "text"}, "supports-0-",
                            package="package")

        def logo():
            return {"logo": SimpleUploadedFile("logo.png", PNG, content_type="image/png")}

        return self.save(Framework, data, slots, files=logo)

    def save_guides(self) -> None:
        published = timezone.localtime() - timedelta(days=1)
        count = len(self.payloads)
        for n in range(count):
            data = self.template(Article) | {
                "slug": self.slug("guide", n), "status": "published", "categories": [str(self.categories[n].pk)],
                "publish_at_0": published.date().isoformat(), "publish_at_1": f"00:{n:02d}:00",
                "article_frameworks-TOTAL_FORMS": "2",
                "article_frameworks-0-position": "0", "article_frameworks-0-framework": str(self.frameworks[n].pk),
                "article_frameworks-1-position": "1",
                "article_frameworks-1-framework": str(self.frameworks[(n + 1) % count].pk),
                "sections-TOTAL_FORMS": str(len(SECTION_KINDS)),
            }
            slots = self.slots(Article, n, {"title": "text", "standfirst": "text", "summary": "text",
                                            "byline": "text"}, title=self.unique("Guide", n))
            for row, kind in enumerate(SECTION_KINDS):
                prefix = f"sections-{row}-"
                data |= {f"{prefix}position": str(row + 1), f"{prefix}kind": kind}
                data |= {
                    "profile": {f"{prefix}framework": str(self.frameworks[n].pk)},
                    "table": {f"{prefix}metrics": [str(self.metrics[n].pk)]},
                    "chart": {f"{prefix}metric": str(self.metrics[n].pk)},
                    "matrix": {f"{prefix}capabilities": [str(self.capabilities[n].pk)]},
                }.get(kind, {})
                slots |= self.slots(Section, n, {"heading": "text", "body": "text", "attribution": "text",
                                                 "caption": "text"}, prefix, body="Some text.")
            self.articles.append(self.save(Article, data, slots))

    def edit_first_category(self) -> Category:
        """One change-form save: a second revision, whose diff shows two payloads."""
        category = self.categories[0]
        url = admin_url(Category, "change", category.pk)
        response = self.request(self.admin, "get", url)
        if response is not None:
            slots = self.slots(Category, 1 % len(self.payloads), {"description": "text"})
            self.save(Category, admin_post_data(response), slots, url=url)
        return category

    # --- Reading back --------------------------------------------------------------------------------

    def public_pages(self) -> list[str]:
        fours = [self.frameworks[n:n + MAX_FRAMEWORKS] for n in range(0, len(self.frameworks), MAX_FRAMEWORKS)]
        return [
            "/", reverse("frameworks:list"),
            *(a.get_absolute_url() for a in self.articles),
            *(c.get_absolute_url() for c in self.categories),
            *(f.get_absolute_url() for f in self.frameworks),
            *(canonical_path(f.slug for f in four) for four in fours if len(four) > 1),
        ]

    def feeds(self) -> list[str]:
        return feed_paths() + [reverse("feeds:framework-figures", kwargs={"slug": f.slug}) for f in self.frameworks]

    def admin_pages(self, edited: Category) -> list[str]:
        """Every changelist, change pages, each payload searched once, the figures screen, history and diff."""
        owned = {
            Framework: self.frameworks, Metric: self.metrics, Organization: self.organizations,
            Capability: self.capabilities, Category: self.categories, Article: self.articles,
            Measurement: [f.measurements.order_by("pk").first() for f in self.frameworks],
            Adoption: [f.adoptions.first() for f in self.frameworks],
            Support: [f.supports.first() for f in self.frameworks],
            Section: [a.sections.order_by("pk").first() for a in self.articles],
        }
        models_ = list(owned)
        count = len(self.payloads)
        pages = [admin_url(model, "changelist") for model in models_]
        # Change pages are the dearest to render: half the models in a round, the other half in the next
        # (all of them for the baseline).
        pages += [admin_url(model, "change", owned[model][(k + self.number) % count].pk)
                  for k, model in enumerate(models_) if self.number < 0 or k % 2 == self.number % 2]
        pages += [admin_url(models_[(n + self.number) % len(models_)], "changelist") + "?" + urlencode({"q": payload})
                  for n, payload in enumerate(self.payloads)]
        # The round-of-figures screen labels each input "<framework>: new <metric>"; five metrics name
        # every framework, and other metrics each round.
        pages.append(reverse("admin:frameworks_measurement_record") + "?"
                     + urlencode([("metric", m.pk) for m in self.metrics[self.number % 4::4]]))
        versions = list(Version.objects.get_for_object(edited).order_by("pk").values_list("pk", flat=True))
        pages.append(admin_url(Category, "history", edited.pk))
        if len(versions) > 1:
            pages.append(admin_url(Category, "compare", edited.pk) + f"?a={versions[0]}&b={versions[-1]}")
        return pages

    def check(self, check, path: str, client: Client, **kwargs) -> list[str]:
        """The problems ``check`` finds at ``path``, without the path; an exception is a 500."""
        try:
            with transaction.atomic():  # on PostgreSQL a failed query would break every later one
                return [problem.removeprefix(f"{path}: ") for problem in check(path, client, **kwargs)]
        except Exception as exc:  # any exception is a 500 for the reader or editor
            return [f"500, {type(exc).__name__}: {exc}"[:300]]

    def run(self) -> list[tuple[str, list[str]]]:
        """Save the round, then read everything; returns (path, problems) of each page, feed and sitemap."""
        self.save_catalogue()
        saved = [*self.metrics, *self.capabilities, *self.organizations, *self.categories]
        if None not in saved:
            for n in range(len(self.payloads)):
                self.frameworks.append(self.save_framework(n))  # each names the one before as migrated from
        if None not in saved + self.frameworks:
            self.save_guides()
        if None in [*saved, *self.frameworks, *self.articles] or not self.articles:
            return []  # the tally's problems say why; the pages would only repeat it
        edited = self.edit_first_category()
        found = [(path, self.check(check_page, path, self.reader, allowed=self.allowed))
                 for path in self.public_pages()]
        found += [(path, self.check(check_page, path, self.admin, allowed=self.allowed))
                  for path in self.admin_pages(edited)]
        found += [(path, self.check(check_feed, path, self.reader)) for path in self.feeds()]
        found.append(("/sitemap.xml", self.check(check_xml, "/sitemap.xml", self.reader)))
        robots = self.reader.get("/robots.txt")
        found.append(("/robots.txt", [] if robots.status_code == 200 else [f"status {robots.status_code}"]))
        return found


KINDS = {  # a phrase in a problem: its kind, in the order the report lists them
    ": 500, ": "an exception (a 500)", ": status ": "a status other than 200 or 302", "refused, not for": "refused",
    "stored empty": "a value stored empty", "over the column": "a value stored longer than its column",
    "payloads that fit": "a field that stored too few payloads", "not XML": "a feed or sitemap that is not XML",
    "bozo": "a feed feedparser calls malformed", "holds markup": "markup in a feed value",
    "not the stored": "a feed value that differs from the stored text",
    "without the stored": "a feed value that lacks the stored text",
}
PAGE = "executable or hijacking markup in a page"
SHOWN_PER_KIND = 40


def report(problems: list[str]) -> str:
    """The problems counted by kind, then up to SHOWN_PER_KIND distinct ones of each kind (rounds, slugs
    and entry numbers aside)."""
    by_kind = defaultdict(set)
    for problem in problems:
        kind = next((label for phrase, label in KINDS.items() if phrase in problem), PAGE)
        by_kind[kind].add(re.sub(r"\b(r\d+|entry \d+|[a-z]+-r\d+-\d+)\b", "…", problem))
    order = [*KINDS.values(), PAGE]
    lines = [f"{len(problems)} problems:"]
    lines += [f"{len(by_kind[kind]):6d} distinct: {kind}" for kind in order if kind in by_kind]
    for kind in (kind for kind in order if kind in by_kind):
        lines += ["", f"{kind}:", *sorted(by_kind[kind])[:SHOWN_PER_KIND]]
    return "\n".join(lines)


def run_rolled_back(**kwargs) -> list[tuple[str, list[str]]]:
    """A round in a savepoint rolled back afterwards, so the next one starts from an empty catalogue."""
    with transaction.atomic():
        found = Round(**kwargs).run()
        transaction.set_rollback(True)
    return found


def test_corpus_is_big_and_has_no_duplicates():
    assert len(CORPUS) >= 150
    assert len(set(CORPUS)) == len(CORPUS)


def test_hostile_corpus_through_the_admin_stays_inert_everywhere(admin_client_):
    reader, templates = Client(), {}
    # The baseline (round -1): what the rules flag on the same pages with harmless content is the site's own.
    baseline = Tally()
    harmless = ["Plain name", "Another plain name"]
    found = run_rolled_back(admin=admin_client_, reader=reader, payloads=harmless, number=-1, tally=baseline,
                            templates=templates, allowed=set())
    assert not baseline.problems, baseline.problems
    allowed = {problem for _, problems in found for problem in problems}

    tally = Tally()
    for r, payloads in enumerate(PAYLOAD_ROUNDS):
        found = run_rolled_back(admin=admin_client_, reader=reader, payloads=payloads, number=r, tally=tally,
                                templates=templates, allowed=allowed)
        tally.problems += [f"r{r} {path}: {problem}" for path, problems in found for problem in problems]

    tally.problems += tally.too_few_stored()
    if tally.problems:
        pytest.fail(report(tally.problems), pytrace=False)
