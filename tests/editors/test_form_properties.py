"""Every admin form that takes free input answers any text with a save or a field error, never a 500.

Hypothesis types text into a random subset of a form's typed fields (text,
slugs, URLs, numbers, dates): any Unicode, control characters, bidirectional
overrides, invisible characters, formula-looking cells, huge text, blanks.
The rest of the form is posted as the page rendered it, so a change page of
a valid object is a valid baseline and each example probes a few fields.
"""

from datetime import date

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Category
from frameworks.models import Adoption, Capability, Organization, Support
from tests.admin_forms import admin_post_data
from tests.factories import make_article, make_framework, make_measurement, make_metric, make_section

pytestmark = pytest.mark.django_db

EXAMPLES = 25
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

free_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=12),  # controls, bidi, marks
    st.sampled_from(["", " ", "\x00", "\u202eevil\u202c", "\u200b", "=1+1", "+cmd", "-1", "@SUM(A1)", "'",
                     "<script>alert(1)</script>", "9" * 40, "1e999", "NaN", "-0", "2024-02-30", "0000-00-00",
                     "https://", "javascript:alert(1)", "https://exa mple.com", "Ｆｌａｓｋ", "\ufeff"]),
    st.integers(1_000, 20_000).map(lambda n: "x" * n),
)
NOT_TYPED = (forms.ChoiceField, forms.BooleanField, forms.FileField, forms.MultiValueField)


def typed_fields(form: forms.BaseForm) -> list[str]:
    """The HTML names of the fields a user types into."""
    return [b.html_name for b in form if not isinstance(b.field, NOT_TYPED) and not b.is_hidden and not b.field.disabled]


def check_page(client, url: str, new_inline_forms: dict[str, dict[str, str]] | None = None):
    """Post generated text into ``url``'s typed fields; the answer is a redirect or the page with errors."""
    ran = 0

    @SETTINGS
    @given(st.data())
    def check(data):
        nonlocal ran
        ran += 1
        with transaction.atomic():  # each example starts from the same rows, so it draws the same fields
            probe(data)
            transaction.set_rollback(True)

    def probe(data):
        page = client.get(url)
        assert page.status_code == 200
        post = admin_post_data(page)
        names = typed_fields(page.context["adminform"].form)
        for inline in page.context["inline_admin_formsets"]:
            formset = inline.formset
            for form in formset.forms:
                names += typed_fields(form)
            new = (new_inline_forms or {}).get(formset.prefix)
            if new is not None:  # one more, filled in, for inlines that show no blank form
                index = formset.total_form_count()
                post[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)
                fields = {f"{formset.prefix}-{index}-{k}": v for k, v in new.items()}
                post.update(fields)
                names += [n for n in fields if n.rsplit("-", 1)[1] in {b.name for b in formset.empty_form}
                          and not isinstance(formset.empty_form.fields[n.rsplit("-", 1)[1]], NOT_TYPED)]
        typed = data.draw(st.dictionaries(st.sampled_from(names), free_text, min_size=1, max_size=4))
        response = client.post(url, {**post, **typed})
        assert response.status_code in (200, 302), (typed, response.status_code)
        if response.status_code == 200:
            ctx = response.context
            errors = ctx["adminform"].form.errors or any(
                i.formset.total_error_count() for i in ctx["inline_admin_formsets"])
            assert errors, typed

    check()
    assert ran >= EXAMPLES


@pytest.fixture
def catalogue():
    fw = make_framework(name="Flask", slug="flask")
    metric = make_metric(name="GitHub stars", slug="stars")
    make_measurement(fw, metric, 45761, date(2019, 8, 1))
    org = Organization.objects.create(name="Pallets", slug="pallets")
    capability = Capability.objects.create(name="ORM", slug="orm")
    adoption = Adoption.objects.create(framework=fw, organization=org, relation=Adoption.Relation.USES,
                                       source_name="Blog", source_url="https://example.com", as_of=date(2020, 1, 1))
    support = Support.objects.create(framework=fw, capability=capability, level=Support.Level.BUILT_IN)
    category = Category.objects.create(name="Web", slug="web")
    article = make_article([fw])
    make_section(article)
    return {"framework": fw, "metric": metric, "organization": org, "capability": capability,
            "adoption": adoption, "support": support, "category": category, "article": article}


@pytest.mark.parametrize("model", ["organization", "capability", "metric", "adoption", "support"])
def test_catalogue_change_forms_never_fail(admin_client_, catalogue, model):
    obj = catalogue[model]
    check_page(admin_client_, reverse(f"admin:frameworks_{model}_change", args=[obj.pk]),
               {"adoptions": {"framework": str(catalogue["framework"].pk), "relation": Adoption.Relation.USES,
                              "source_name": "Blog", "source_url": "https://example.com", "as_of": "2021-01-01"}})


def test_framework_form_with_figure_adoption_and_support_inlines_never_fails(admin_client_, catalogue):
    fw = catalogue["framework"]
    check_page(admin_client_, reverse("admin:frameworks_framework_change", args=[fw.pk]), {
        "adoptions": {"organization": str(Organization.objects.create(name="Mozilla", slug="mozilla").pk),
                      "relation": Adoption.Relation.USES,
                      "source_name": "Blog", "source_url": "https://example.com", "as_of": "2021-01-01"},
        "supports": {"capability": str(Capability.objects.create(name="Forms", slug="forms").pk),
                     "level": Support.Level.THIRD_PARTY, "package": "flask-wtf", "package_url": "https://pypi.org/"},
    })


def test_framework_add_form_never_fails(admin_client_, catalogue):
    check_page(admin_client_, reverse("admin:frameworks_framework_add"))


def test_category_form_never_fails(admin_client_, catalogue):
    check_page(admin_client_, reverse("admin:articles_category_change", args=[catalogue["category"].pk]))


def test_guide_form_with_its_sections_never_fails(admin_client_, catalogue):
    check_page(admin_client_, reverse("admin:articles_article_change", args=[catalogue["article"].pk]))


def test_record_a_round_screen_never_fails(editor_client, catalogue):
    metric = catalogue["metric"]
    url = reverse("admin:frameworks_measurement_record") + f"?metric={metric.pk}"
    page = editor_client.get(url)
    form = page.context["form"]
    names = typed_fields(form)
    base = {"as_of": "2024-05-01", f"source-{metric.pk}-name": "GitHub",
            f"source-{metric.pk}-url": "https://github.com/pallets/flask"}
    ran = 0

    @SETTINGS
    @given(st.dictionaries(st.sampled_from(names), free_text, min_size=1, max_size=4))
    def check(typed):
        nonlocal ran
        ran += 1
        with transaction.atomic():
            response = editor_client.post(url, {**base, **typed})
            transaction.set_rollback(True)
        assert response.status_code in (200, 302), typed
        if response.status_code == 200:
            assert response.context["form"].errors, typed

    check()
    assert ran >= EXAMPLES
