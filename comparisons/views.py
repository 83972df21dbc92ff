"""Reader pages that put frameworks side by side: the directory, framework profiles, compare pages."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from articles.selectors import guide_comparisons, guides_with_frameworks
from editorial.listing import ListingError, error_response, redirect_to_canonical
from frameworks.charts import build_chart
from frameworks.compare_paths import NO_SUCH_COMPARISON, canonical_path, resolve_set
from frameworks.models import Adoption, Framework
from frameworks.selectors import ADOPTERS_SHOWN, capped, departures, load_board
from frameworks.social import comparison_card, framework_card
from pagecache.decorators import public_page

from .directory import DirectoryState, load_directory
from .embeds import page_embeds
from .forms import CompareForm
from .selectors import GUIDES_SHOWN, load_comparison

COMPARISON_GUIDES = 24  # the newest guides on a framework whose compare pages its page links to
COMPARISONS_SHOWN = 12
ADOPTERS_PER_PAGE = 50


def _directory_page(request, state, compare_form=None, status=200):
    return render(
        request,
        "comparisons/framework_list.html",
        {
            "directory": load_directory(state),
            "compare_form": compare_form,
            "picked": set(request.GET.getlist("fw")) if compare_form is not None else set(),
        },
        status=status,
    )


@public_page
@require_safe
def framework_list(request):
    """A page of the directory, its state in the query string: non-canonical spellings redirect (301),
    bad values answer 400 and pages past the last 404, each with a page that says why."""
    try:
        state = DirectoryState.from_query(request.GET)
        return redirect_to_canonical(request, state.canonical_url) or _directory_page(request, state)
    except ListingError as error:
        return error_response(request, error, title="We cannot show that list of frameworks")


@require_safe
def compare_pick(request):
    """The directory form's target: send the reader to the canonical compare page."""
    form = CompareForm(request.GET)
    if form.is_valid():
        return redirect(canonical_path(fw.slug for fw in form.cleaned_data["fw"]))
    return _directory_page(request, DirectoryState.from_query({}), compare_form=form, status=400)


@public_page
@require_safe
def compare_detail(request, slugs):
    frameworks, canonical = resolve_set(slugs, not_found=NO_SUCH_COMPARISON)
    if not canonical:
        return redirect(canonical_path(fw.slug for fw in frameworks), permanent=True)
    comparison = load_comparison(frameworks)
    card = comparison_card(comparison.frameworks, comparison.board)
    charts = [row.chart for row in comparison.metric_rows]
    embed = page_embeds(request, comparison.frameworks, comparison.board, charts)
    return render(request, "comparisons/compare.html", {"comparison": comparison, "card": card, "embed": embed})


@public_page
@require_safe
def framework_detail(request, slug):
    """A framework's profile. Every list is capped, with its full count for an "all N" link:
    adopters per relation and departures (ADOPTERS_SHOWN), guides (GUIDES_SHOWN, newest first),
    comparisons (those of its COMPARISON_GUIDES newest guides, at most COMPARISONS_SHOWN)."""
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    board = load_board([framework], history=True, with_capabilities=True, with_adoptions=True)
    recent, guides_total = capped(guides_with_frameworks().filter(frameworks=framework), COMPARISON_GUIDES)
    departed, departures_total = capped(departures(framework).select_related("organization", "framework"), ADOPTERS_SHOWN)
    groups = board.adopter_groups(framework)
    figures = [(fig, build_chart(fig.metric, [framework], board.history)) for fig in board.figures(framework)]
    adopters_total = board.adopters_in_all(framework) + departures_total
    return render(
        request,
        "comparisons/framework_detail.html",
        {
            "framework": framework,
            "figures": figures,
            "figures_as_of": board.latest_as_of(),
            "frameworks": board.frameworks,
            "capability_rows": board.capability_rows(),
            "adopter_groups": groups,
            "adopters_total": adopters_total,
            "adopters_hidden": adopters_total - len(departed) - sum(len(g.adoptions) for g in groups),
            "departures": departed,
            "departures_total": departures_total,
            "guides": recent[:GUIDES_SHOWN],
            "guides_total": guides_total,
            "comparisons": guide_comparisons(recent)[:COMPARISONS_SHOWN],
            "card": framework_card(framework, board),
            "embed": page_embeds(request, [framework], board, [chart for _, chart in figures]),
        },
    )


@public_page
@require_safe
def framework_adopters(request, slug):
    """Every organisation recorded for a framework, ADOPTERS_PER_PAGE a page by name: those that use it
    (any relation) and those that migrated away from it. ``?page=`` past the end, or not a number, is a
    404 page that says which pages exist. Queries: 5 (the framework, two counts, the page's ids, its rows).
    The canonical URL of page 1 has no ``?page``."""
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    rows = Adoption.objects.filter(
        Q(framework=framework)
        | Q(
            other_framework=framework,
            relation=Adoption.Relation.MIGRATED_FROM,
            framework__in=Framework.objects.published(),
        )
    )
    # The page's ids are sorted alone, then only those rows are read with their joins. The total is two
    # counts that indexes answer (its adopters, its departures) rather than one over the OR above.
    paginator = Paginator(rows.order_by("organization__name", "id").values_list("pk", flat=True), ADOPTERS_PER_PAGE)
    paginator.count = Adoption.objects.filter(framework=framework).count() + departures(framework).count()
    context = {"framework": framework, "paginator": paginator}
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        context["error"] = f"There is no such page: the adopters of {framework.name} run from page 1 to {paginator.num_pages}."
        return render(request, "comparisons/framework_adopters.html", context, status=404)
    ids = list(page.object_list)
    shown = Adoption.objects.select_related("organization", "framework", "other_framework").in_bulk(ids)
    context["page"], context["adoptions"] = page, [shown[pk] for pk in ids]
    return render(request, "comparisons/framework_adopters.html", context)
