"""Readers' downloads: every figure of a framework, or of a set on a compare page, as CSV or JSON.

A download holds the whole history, oldest first per framework and metric,
each figure with its unit, date, source and origin
(``frameworks.open_data.history`` and ``figure_record``): only published
frameworks, and only recorded figures, never those waiting for review.

A compare set is read as its page reads it (``resolve_set``): another order
answers 301 with the canonical download, anything that is not 2 to 4
different published frameworks a plain-text 404. The bytes depend on the
data alone (no time of generation), so ``@public_page`` caches them with an
ETag like pages. Any site's scripts may read them: the data is public and
no credentials travel.

Queries: 2 (the framework or the set, then its history), however long the history.
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from functools import wraps

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from frameworks.compare_paths import NO_SUCH_COMPARISON, SEPARATOR, resolve_set
from frameworks.figures_csv import as_text_cell
from frameworks.models import Framework
from frameworks.open_data import figure_record, history
from pagecache.decorators import public_page

CSV = "text/csv; charset=utf-8"
CSV_COLUMNS = (
    "framework",
    "framework_name",
    "metric",
    "metric_name",
    "value",
    "unit",
    "as_of",
    "source_name",
    "source_url",
    "origin",
    "collected_from",
    "collected_at",
    "recorded_at",
    "note",
)
NO_SUCH_FRAMEWORK = "No such framework: name a published framework by its slug."
# Dates and times in the CSV are written as the JSON download writes them.
_ENCODER = DjangoJSONEncoder()


def open_data(view):
    """Let any site's scripts read the view's answers, its redirects and 404s included (a 404 in plain text)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":  # a preflight: a script sending If-None-Match asks first
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404 as exc:
                response = HttpResponseNotFound(f"{exc}\n", content_type="text/plain; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Content-Disposition, Location"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return wrapped


def _published(slug: str) -> Framework:
    try:
        return Framework.objects.published().get(slug=slug)
    except Framework.DoesNotExist:
        raise Http404(NO_SUCH_FRAMEWORK) from None


def _to_canonical(url_name: str, frameworks: list[Framework]) -> HttpResponse:
    return redirect(reverse(url_name, kwargs={"slugs": SEPARATOR.join(fw.slug for fw in frameworks)}), permanent=True)


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # exact, as the admin's export writes it: 61203, 12.5
    if isinstance(value, (date, datetime)):
        return _ENCODER.default(value)
    return str(value)


def figures_csv(frameworks: list[Framework], name: str) -> HttpResponse:
    """A header, then one row per figure, its value exact; no cell starts like a spreadsheet formula."""
    response = _attachment(HttpResponse(content_type=CSV), f"{name}-figures.csv")
    # A byte-order mark: spreadsheets (Excel on Windows above all) then read the file as UTF-8, not as their
    # legacy code page, so “Ŝtrånge 框架” stays legible. Python reads it with encoding="utf-8-sig".
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for m in history(frameworks):
        record = figure_record(m, framework=m.framework, metric=m.metric)
        record.update(framework_name=m.framework.name, metric_name=m.metric.name, value=m.value)  # text: no float
        writer.writerow([as_text_cell(_cell(record[column])) for column in CSV_COLUMNS])
    return response


def figures_json(request, frameworks: list[Framework], name: str) -> HttpResponse:
    """The frameworks, the metrics they have figures on (in table order), and every figure."""
    figures, metrics = [], {}
    for m in history(frameworks):
        figures.append(figure_record(m, framework=m.framework, metric=m.metric))
        metrics.setdefault(m.metric_id, m.metric)
    data = {
        "frameworks": [
            {"slug": fw.slug, "name": fw.name, "url": request.build_absolute_uri(fw.get_absolute_url())}
            for fw in frameworks
        ],
        "metrics": [
            {"slug": mt.slug, "name": mt.name, "unit": mt.unit, "higher_is_better": mt.higher_is_better}
            for mt in sorted(metrics.values(), key=lambda mt: (mt.position, mt.name))
        ],
        "figures": figures,
    }
    return _attachment(JsonResponse(data, encoder=DjangoJSONEncoder), f"{name}-figures.json")


@public_page
@open_data
@require_safe
def framework_csv(request, slug):
    framework = _published(slug)
    return figures_csv([framework], framework.slug)


@public_page
@open_data
@require_safe
def framework_json(request, slug):
    framework = _published(slug)
    return figures_json(request, [framework], framework.slug)


@public_page
@open_data
@require_safe
def compare_csv(request, slugs):
    frameworks, canonical = resolve_set(slugs, not_found=NO_SUCH_COMPARISON)
    if not canonical:
        return _to_canonical("compare:figures-csv", frameworks)
    return figures_csv(frameworks, slugs)


@public_page
@open_data
@require_safe
def compare_json(request, slugs):
    frameworks, canonical = resolve_set(slugs, not_found=NO_SUCH_COMPARISON)
    if not canonical:
        return _to_canonical("compare:figures-json", frameworks)
    return figures_json(request, frameworks, slugs)
