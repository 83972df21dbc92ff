"""Reader pages that put frameworks side by side: the directory, framework profiles, compare pages."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from articles.selectors import guide_comparisons, guides_with_frameworks
from editorial.listing import ListingError, error_response, redirect_to_canonical
from frameworks.charts import build_chart
from frameworks.compare_paths import SEPARATOR, canonical_path, find_frameworks, split_slugs
from frameworks.models import Adoption, Framework
from frameworks.selectors import group_adoptions, load_board
from pagecache.decorators import public_page

from .directory import DirectoryState, load_directory
from .forms import CompareForm
from .selectors import load_comparison


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
    wanted = split_slugs(slugs)
    frameworks = find_frameworks(wanted) if wanted else None
    if not frameworks:
        raise Http404("No such comparison: name 2 to 4 different published frameworks.")
    if slugs != SEPARATOR.join(sorted(wanted)):
        return redirect(canonical_path(wanted), permanent=True)
    return render(request, "comparisons/compare.html", {"comparison": load_comparison(frameworks)})


@public_page
@require_safe
def framework_detail(request, slug):
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    board = load_board([framework], history=True, with_capabilities=True, with_adoptions=True)
    guides = list(guides_with_frameworks().filter(frameworks=framework))
    departures = Adoption.objects.filter(
        other_framework=framework,
        relation=Adoption.Relation.MIGRATED_FROM,
        framework__in=Framework.objects.published(),
    ).select_related("organization", "framework")
    return render(
        request,
        "comparisons/framework_detail.html",
        {
            "framework": framework,
            "figures": [(fig, build_chart(fig.metric, [framework], board.history)) for fig in board.figures(framework)],
            "figures_as_of": board.latest_as_of(),
            "frameworks": board.frameworks,
            "capability_rows": board.capability_rows(),
            "adopter_groups": group_adoptions(board.adoptions.get(framework.pk, [])),
            "departures": list(departures),
            "guides": guides,
            "comparisons": guide_comparisons(guides),
        },
    )
