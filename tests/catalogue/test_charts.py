"""History charts (server-side SVG geometry) and the dated, sourced figure line."""

from datetime import UTC, date, datetime, timedelta

import pytest

from frameworks import palette
from frameworks.charts import build_chart
from tests.factories import make_framework, make_measurement, make_metric

pytestmark = pytest.mark.django_db


def _two_series(a_values, b_values, dates):
    a, b = make_framework(name="Aaa", slug="aaa"), make_framework(name="Bbb", slug="bbb")
    metric = make_metric(name="Questions")
    history = {
        (a.pk, metric.pk): [make_measurement(a, metric, v, d) for v, d in zip(a_values, dates)],
        (b.pk, metric.pk): [make_measurement(b, metric, v, d) for v, d in zip(b_values, dates)],
    }
    return a, b, metric, history


def test_ticks_are_round_start_at_zero_and_stay_inside_the_drawing():
    dates = [date(2019, 8, 1), date(2019, 9, 1), date(2021, 8, 1)]
    a, b, metric, history = _two_series([29378, 30100, 38200], [204483, 205000, 238500], dates)
    chart = build_chart(metric, [a, b], history)
    assert chart.y_title == "Questions"
    assert chart.table[2] == (date(2021, 8, 1), ["38,200", "238,500"])
    for d in chart.drawings:
        assert [t.label for t in d.y_ticks] == ["0", "100k", "200k", "300k"]
        assert d.y_ticks[0].at == d.plot_bottom  # the value axis starts at zero
        labels = [t.label for t in d.x_ticks]
        assert labels[0] in {"Jan 2020", "2020"} and len(labels) >= 2
        assert all(d.plot_top <= p.y <= d.plot_bottom for s in d.series for p in s.points)
        assert all(d.plot_left <= p.x <= d.plot_right for s in d.series for p in s.points)


def test_date_labels_never_touch():
    dates = [date(2012, 1, 1) + timedelta(days=30 * k) for k in range(60)] + [date(2026, 11, 1)]
    a, b, metric, history = _two_series(range(61), range(61), dates)
    for d in build_chart(metric, [a, b], history).drawings:
        widths = [d.layout.text_width(t.label) for t in d.x_ticks]
        gaps = [t2.at - t1.at for t1, t2 in zip(d.x_ticks, d.x_ticks[1:])]
        assert all(gap >= max(widths) for gap in gaps), (d.layout.name, [t.label for t in d.x_ticks])


def test_points_years_apart_get_a_dotted_gap_not_a_solid_line():
    # Two figures seven years apart, then two a month apart: one solid run, one gap.
    dates = [date(2019, 8, 1), date(2026, 8, 1), date(2026, 9, 1)]
    a, b, metric, history = _two_series([100, 200, 210], [50, 60, 61], dates)
    chart = build_chart(metric, [a, b], history)
    assert chart.has_gaps
    for d in chart.drawings:
        for s in d.series:
            assert len(s.gaps) == 1
            assert [len(run) for run in s.runs] == [1, 2]
            assert len(s.run_paths) == 1  # the lone 2019 point is a marker, joined to nothing solid
            assert len(s.markers) == 3  # every measured point is marked


def test_two_points_seven_years_apart_draw_no_solid_line():
    a, b, metric, history = _two_series([100, 200], [50, 60], [date(2019, 8, 1), date(2026, 8, 1)])
    for d in build_chart(metric, [a, b], history).drawings:
        assert all(s.run_paths == [] and len(s.gaps) == 1 for s in d.series)


def test_a_metric_with_one_figure_each_is_no_chart():
    fw, other = make_framework(), make_framework()
    latency = make_metric(name="Latency", unit="ms", decimal_places=2, higher_is_better=False)
    history = {(fw.pk, latency.pk): [make_measurement(fw, latency, "46.04")],
               (other.pk, latency.pk): [make_measurement(other, latency, "12.5", date(2020, 1, 1))]}
    chart = build_chart(latency, [fw, other], history)
    assert chart.y_title == "Latency (ms)"
    assert chart.is_single and not chart.is_empty
    assert chart.drawings == []


def test_close_end_labels_are_moved_apart():
    dates = [date(2024, 1, 1), date(2024, 2, 1)]
    a, b, metric, history = _two_series([100_000, 100_500], [100_100, 100_400], dates)
    for d in build_chart(metric, [a, b], history).drawings:
        ys = sorted(s.label.y for s in d.series)
        assert ys[1] - ys[0] >= d.font * 1.2
        assert all(d.plot_top <= y <= d.plot_bottom for y in ys)
        assert any(s.label.has_leader for s in d.series)


def test_end_labels_name_the_framework_and_value_when_they_fit():
    dates = [date(2024, 1, 1), date(2024, 2, 1)]
    a, b, metric, history = _two_series([61_203, 61_300], [9, 10], dates)
    wide, narrow = build_chart(metric, [a, b], history).drawings
    assert sorted(s.label.text for s in wide.series) == ["Aaa 61.3k", "Bbb 10"]


def test_each_framework_keeps_its_palette_slot_and_a_chart_never_repeats_one():
    metric = make_metric(name="Stars")
    # Slugs whose automatic slots clash (crc32 % 8): "flask" and "pyramid" both land on slot 1.
    flask, pyramid, django = (make_framework(name=n.title(), slug=n) for n in ("flask", "pyramid", "django"))
    assert palette.own_slot(flask) == palette.own_slot(pyramid) == 1
    alone = build_chart(metric, [pyramid], {})
    assert alone.series[0].slot.index == 1
    both = build_chart(metric, [pyramid, flask, django], {})
    slots = {s.framework.slug: s.slot.index for s in both.series}
    assert slots["flask"] == 1  # the older framework keeps its slot
    assert slots["pyramid"] == 2  # the other takes the next free one
    assert len(set(slots.values())) == 3
    pyramid.chart_colour = 1  # an editor's choice wins over age
    pyramid.save()
    slots = {s.framework.slug: s.slot.index for s in build_chart(metric, [flask, pyramid], {}).series}
    assert slots == {"pyramid": 1, "flask": 2}


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
