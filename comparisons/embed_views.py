"""The embeds' URLs: a metric's chart for 1 to 4 frameworks, and a framework's badge, as SVG.

An embed exists exactly when its data is public: published frameworks, a
known metric. The set of frameworks is parsed as compare pages parse it
(at most 4, no repeats, slugs in alphabetical order: any other order
answers 301 with the canonical path). Anything else is a 404, a bad
``?size=`` a 400; none is a 500.

Each view is ``@public_page``: the page cache stores the SVG with an ETag
and drops it when content changes, as it does pages. Other sites may show
them: ``@embeddable`` sets the headers that allow it on the response itself,
so a response from the cache carries them too, and browsers and proxies may
keep them for ``EMBED_MAX_AGE`` seconds instead of asking on every view of
the page that shows them.

Queries: a chart 5 (frameworks, metric, then ``load_board``: metrics,
current figures, the metric's history), a badge 3.
"""

from functools import wraps

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.csp import CSP, build_policy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from frameworks.charts import build_chart
from frameworks.compare_paths import resolve_set
from frameworks.models import Framework, Metric
from frameworks.selectors import current_figures, load_board
from pagecache.decorators import public_page

from .embeds import SIZES, badge, chart_embed, chart_path, page_path

SVG = "image/svg+xml; charset=utf-8"
EMBED_MAX_AGE = 3600  # an embed on another site may lag a change by up to an hour
# Presentation attributes only: the document needs nothing, not even a style. Framing is allowed
# (an <object> or <iframe> embed): there is nothing in it to click.
EMBED_POLICY = build_policy({"default-src": [CSP.NONE]})


def embeddable(view):
    """Let other sites show the view's responses: on the response itself, so the page cache keeps them."""

    @xframe_options_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        response["Content-Security-Policy"] = EMBED_POLICY
        return response

    return wrapped


@public_page(max_age=EMBED_MAX_AGE)
@embeddable
@require_safe
def chart_svg(request, metric, slugs):
    size = request.GET.get("size", "wide")
    if size not in SIZES:
        context = {
            "problem": "A chart comes in two sizes: add ?size=narrow for the narrow one, or nothing for the wide one."
        }
        return render(request, "400.html", context, status=400)
    frameworks, canonical = resolve_set(
        slugs, min_size=1, not_found="No such chart: name 1 to 4 different published frameworks."
    )
    metric = get_object_or_404(Metric, slug=metric)
    if not canonical:
        return redirect(chart_path(metric, [fw.slug for fw in frameworks], size), permanent=True)
    board = load_board(frameworks, history=[metric.pk])
    chart = build_chart(metric, frameworks, board.history)
    embed = chart_embed(chart, request.build_absolute_uri(page_path(frameworks)), size)
    return render(request, "embed/chart.svg", {"embed": embed}, content_type=SVG)


@public_page(max_age=EMBED_MAX_AGE)
@embeddable
@require_safe
def badge_svg(request, slug, metric):
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    metric = get_object_or_404(Metric, slug=metric)
    figure = current_figures(frameworks=[framework.pk], metrics=[metric]).get((framework.pk, metric.pk))
    return render(request, "embed/badge.svg", {"badge": badge(framework, metric, figure)}, content_type=SVG)
