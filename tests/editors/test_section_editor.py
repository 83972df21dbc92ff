"""The guide's section editor without a browser: validation by kind, summaries, and the live preview endpoint."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.forms import SectionForm, section_summary
from articles.models import Article, Section
from frameworks.models import Metric
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_metric, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(seeded):
    return Article.objects.get(slug="flask-vs-django")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def preview_url(article):
    return reverse("admin:articles_article_section_preview", args=[article.pk])


def section_form(article, **data):
    data.setdefault("position", "5")
    return SectionForm(data, instance=Section(article=article))


# Validation by kind -------------------------------------------------------------------------------

def test_each_kind_requires_what_it_shows():
    article = make_article()
    assert section_form(article, kind="prose", body="").errors == {"body": ["Write the text of this section."]}
    assert section_form(article, kind="quote", body=" ").errors == {"body": ["Write the text of this section."]}
    assert section_form(article, kind="chart").errors == {"metric": ["Choose the metric this chart follows."]}
    assert section_form(article, kind="profile").errors == {"framework": ["Choose the framework this card shows."]}
    assert section_form(article, kind="table").is_valid()  # no metrics chosen: every metric
    assert "kind" in section_form(article, kind="poem", body="x").errors


def test_fields_the_kind_does_not_use_are_cleared_not_rejected():
    article = make_article()
    metric, fw = make_metric(), make_framework()
    form = section_form(article, kind="prose", body="Hello", metric=str(metric.pk), metrics=["999999"],
                        framework="not a number", attribution="Someone", caption="Unused")
    assert form.is_valid(), form.errors
    section = form.save()
    assert (section.metric, section.framework, section.attribution, section.caption) == (None, None, "", "")
    assert list(section.metrics.all()) == []

    table = section_form(article, kind="table", body="Left over", metrics=[str(metric.pk)], framework=str(fw.pk))
    assert table.is_valid(), table.errors
    table = table.save()
    assert (table.body, table.framework, list(table.metrics.all())) == ("", None, [metric])


def test_no_js_admin_post_adds_sections_by_kind_and_reorders_by_typed_positions(editor_client, guide):
    page = editor_client.get(change_url(guide))
    html = page.content.decode()
    assert 'class="section-details"' in html and "<summary" in html
    formset = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "sections")
    n = formset.initial_form_count()
    assert formset.total_form_count() == n + 1  # one blank section, for editors without JavaScript
    stars = Metric.objects.get(name="GitHub stars")
    data = admin_post_data(page, **{
        f"sections-{n}-kind": "table", f"sections-{n}-position": "1", f"sections-{n}-heading": "Stars first",
        f"sections-{n}-metrics": [str(stars.pk)], f"sections-{n}-body": "ignored for a table",
    })
    response = editor_client.post(change_url(guide), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    first = guide.sections.order_by("position", "id").first()
    assert (first.kind, first.heading, first.body, list(first.metrics.all())) == ("table", "Stars first", "", [stars])


def test_a_section_with_errors_renders_open(editor_client, guide):
    page = editor_client.get(change_url(guide))
    n = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == "sections")
    n = n.initial_form_count()
    response = editor_client.post(change_url(guide), admin_post_data(page, **{
        f"sections-{n}-kind": "chart", f"sections-{n}-heading": "No metric"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<details class="section-details" open>' in html
    assert "Choose the metric this chart follows." in html


def test_summaries_name_what_a_section_shows(guide):
    names = ["Flask", "Django"]
    metrics = [make_metric(name="Stars"), make_metric(name="Forks")]
    table = make_section(guide, kind=Section.Kind.TABLE)
    table.metrics.set(metrics)
    assert section_summary(table, names) == "Table: Forks, Stars — Flask, Django"  # the table's own order
    prose = make_section(guide, heading="Big framework or small one?")
    assert section_summary(prose, names) == "Prose: Big framework or small one?"
    chart = make_section(guide, kind=Section.Kind.CHART, metric=make_metric(name="GitHub stars (test)"))
    assert section_summary(chart) == "Chart: GitHub stars (test)"


# The preview endpoint ----------------------------------------------------------------------------

def test_preview_is_for_staff_only(guide, client):
    response = client.post(preview_url(guide), {"kind": "prose", "body": "Hi"})
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    from django.contrib.auth import get_user_model
    nobody = get_user_model().objects.create_user("reader", password="a long reader passphrase 1")
    client.force_login(nobody)
    assert client.post(preview_url(guide), {"kind": "prose", "body": "Hi"}).status_code == 302


def test_preview_needs_change_permission(guide, client):
    from django.contrib.auth import get_user_model
    staff = get_user_model().objects.create_user("staff", password="a long staff passphrase 1", is_staff=True)
    client.force_login(staff)
    assert client.post(preview_url(guide), {"kind": "prose", "body": "Hi"}).status_code == 403


def test_preview_is_csrf_protected_and_post_only(guide, editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(preview_url(guide), {"kind": "prose", "body": "Hi"}).status_code == 403
    assert strict.get(preview_url(guide)).status_code == 405


def test_preview_renders_markdown_sanitised(editor_client, guide):
    response = editor_client.post(preview_url(guide), {
        "prefix": "sections-3", "sections-3-kind": "prose", "sections-3-heading": "Why",
        "sections-3-body": "Some **bold** words.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<h2>Why</h2>" in html
    assert "<script" not in html and "onerror" not in html and "<img" not in html


def test_preview_renders_a_table_with_the_guides_frameworks(editor_client, guide):
    stars = Metric.objects.get(name="GitHub stars")
    response = editor_client.post(preview_url(guide), {"kind": "table", "metrics": [str(stars.pk)],
                                                       "caption": "Stars today"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<table" in html and "Flask" in html and "Django" in html and "Stars today" in html
    assert Section.objects.filter(caption="Stars today").count() == 0  # nothing saved


@pytest.mark.parametrize("data", [
    {},
    {"kind": "poem", "body": "x"},
    {"kind": "chart", "metric": "999999"},
    {"kind": "chart", "metric": "not-a-number"},
    {"kind": "table", "metrics": ["x"]},
    {"kind": "profile", "framework": "-1"},
    {"prefix": "../../etc", "kind": "prose", "body": "x"},
    {"kind": "prose", "body": ""},
])
def test_preview_never_fails_on_junk(editor_client, guide, data):
    response = editor_client.post(preview_url(guide), data)
    assert response.status_code == 400
    assert "Nothing to preview yet" in response.content.decode()


def test_preview_of_an_unknown_guide_is_404(editor_client, seeded):
    response = editor_client.post(reverse("admin:articles_article_section_preview", args=[999999]),
                                  {"kind": "prose", "body": "x"})
    assert response.status_code in (302, 404)
