"""History charts (server-side SVG geometry) and the dated, sourced figure line."""

from datetime import UTC, date, datetime

import pytest

from frameworks.charts import build_chart
from tests.factories import make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


def test_ticks_are_round_and_dates_stay_inside_the_drawing():
    a, b = make_framework(name="Aaa"), make_framework(name="Bbb")
    metric = make_metric(name="Questions")
    history = {
        (a.pk, metric.pk): [make_measurement(a, metric, 29378, date(2019, 8, 1)),
                            make_measurement(a, metric, 38200, date(2021, 8, 1))],
        (b.pk, metric.pk): [make_measurement(b, metric, 204483, date(2019, 8, 1)),
                            make_measurement(b, metric, 238500, date(2021, 8, 1))],
    }
    chart = build_chart(metric, [a, b], history)
    assert [t.label for t in chart.y_ticks] == ["0", "100k", "200k", "300k"]
    assert [t.anchor for t in chart.x_ticks] == ["start", "end"]
    assert [t.label for t in chart.x_ticks] == ["Aug 2019", "Aug 2021"]
    assert chart.y_title == "Questions"
    assert all(chart.plot_top <= p.y <= chart.plot_bottom for s in chart.series for p in s.points)
    assert chart.table[1] == (date(2021, 8, 1), ["38,200", "238,500"])


def test_unit_goes_in_the_axis_title_and_small_values_tick_plainly():
    fw = make_framework()
    latency = make_metric(name="Latency", unit="ms", decimal_places=2, higher_is_better=False)
    chart = build_chart(latency, [fw], {(fw.pk, latency.pk): [make_measurement(fw, latency, "46.04")]})
    assert chart.y_title == "Latency (ms)"
    assert [t.label for t in chart.y_ticks] == ["0", "20", "40", "60"]
    assert chart.x_ticks[0].anchor == "middle"  # a single date sits in the middle


def test_chart_without_figures_is_empty():
    fw = make_framework()
    metric = make_metric(name="Stars")
    assert build_chart(metric, [fw], {}).is_empty


def test_source_tag_dates_and_links_a_figure_and_escapes_it():
    from django.template import Context, Template

    fw = make_framework()
    metric = make_metric()
    m = make_measurement(fw, metric, 5, date(2019, 8, 1), source_name="<GitHub>", source_url="https://github.com/x")
    html = Template("{% load catalogue %}{% source m %}").render(Context({"m": m}))
    assert html == (
        '<span class="asof">as of <time datetime="2019-08-01">1 Aug 2019</time>, '
        '<a href="https://github.com/x" rel="nofollow">&lt;GitHub&gt;</a></span>'
    )
    assert ", entered by an editor</span>" in Template(
        "{% load catalogue %}{% source m provenance=True %}"
    ).render(Context({"m": m}))
    assert Template("{% load catalogue %}{% source m %}").render(Context({"m": None})) == ""
    m.collector, m.collected_at = "github", datetime(2019, 8, 1, 12, tzinfo=UTC)
    assert Template("{% load catalogue %}{% source m %}").render(Context({"m": m})) == (
        '<span class="asof"><a href="https://github.com/x" rel="nofollow">collected from &lt;GitHub&gt;</a> on '
        '<time datetime="2019-08-01">1 Aug 2019</time></span>'
    )
