"""Reader pages for the catalogue."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from articles.models import Article
from pagecache.decorators import public_page

from .charts import build_chart
from .models import Framework
from .selectors import load_board


@public_page
@require_GET
def framework_list(request):
    frameworks = list(Framework.objects.published())
    board = load_board(frameworks)
    rows = [(fw, [board.figure(fw, m) for m in board.metrics]) for fw in frameworks]
    return render(request, "frameworks/framework_list.html", {"metrics": board.metrics, "rows": rows})


@public_page
@require_GET
def framework_detail(request, slug):
    framework = get_object_or_404(Framework.objects.published(), slug=slug)
    board = load_board([framework], history=True, with_capabilities=True, with_adoptions=True)
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "figures": [(fig, build_chart(fig.metric, [framework], board.history)) for fig in board.figures(framework)],
            "supports": [(cap, board.supports.get((framework.pk, cap.pk))) for cap in board.capabilities],
            "adoptions": board.adoptions.get(framework.pk, []),
            "guides": Article.objects.published().filter(frameworks=framework).prefetch_related("categories"),
        },
    )
