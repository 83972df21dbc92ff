"""Names that cannot fool readers (issue 14): no second "Flask" that differs only in case, width or invisible
characters, and no framework shown to readers before an editor publishes it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.text import capfirst

from articles.models import Category
from editorial.names import name_key, rename_lookalikes
from frameworks.compare_paths import canonical_path
from frameworks.models import Capability, Framework, Metric, Organization
from tests.admin_forms import admin_post_data
from tests.factories import make_framework

pytestmark = pytest.mark.django_db

# Each model, with a seeded name and slug (content/seed/catalogue.toml), and its admin's add page.
SEEDED = {
    Framework: ("Flask", "flask"),
    Organization: ("Netflix", "netflix"),
    Capability: ("Admin interface", "admin"),
    Metric: ("GitHub stars", "github-stars"),
    Category: ("Web", "web"),
}
HAVE_DB_CONSTRAINT = [Framework, Organization, Capability, Metric, Category]


def lookalikes(name: str) -> list[str]:
    """The ways the issue's "Flask" came back: a zero-width space, full width, lower case, spaces."""
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name.upper())
    return [f"{name}\u200b", fullwidth, name.lower(), f" {name} ", f"\u202a{name.upper()}\u202c"]


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def post_add_form(client, model, **changes):
    url = add_url(model)
    return client.post(url, admin_post_data(client.get(url), **changes))


@pytest.mark.parametrize("model", list(SEEDED), ids=lambda m: m.__name__)
def test_the_admin_refuses_every_lookalike_of_a_seeded_name(seeded, editor_client, model):
    name, slug = SEEDED[model]
    count = model.objects.count()
    for typed in lookalikes(name):
        response = post_add_form(editor_client, model, name=typed, slug="a-new-slug")
        assert response.status_code == 200, typed
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["name"], typed
        message = errors["name"][0]
        assert f"named “{name}” already exists (slug “{slug}”)" in message, typed
        assert "differ by more than case, width or invisible characters" in message
    assert model.objects.count() == count


@pytest.mark.parametrize("model", list(SEEDED), ids=lambda m: m.__name__)
def test_the_admin_refuses_a_lookalike_slug(seeded, editor_client, model):
    name, slug = SEEDED[model]
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in slug)
    for typed in (f"{slug}\u200b", fullwidth, f" {slug}"):  # normalised to the slug itself
        response = post_add_form(editor_client, model, name="Something else entirely", slug=typed)
        assert response.status_code == 200, typed
        errors = response.context["adminform"].form.errors
        assert errors == {"slug": [f"{capfirst(model._meta.verbose_name)} with this Slug already exists."]}, typed
    for typed in (slug.upper(), f"{slug.title()}\u200b"):  # a look-alike only
        response = post_add_form(editor_client, model, name="Something else entirely", slug=typed)
        assert response.status_code == 200, typed
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["slug"], typed
        assert f"with the slug “{slug}” already exists (“{name}”)" in errors["slug"][0], typed
    assert not model.objects.filter(name="Something else entirely").exists()


@pytest.mark.parametrize("model", list(SEEDED), ids=lambda m: m.__name__)
def test_full_clean_refuses_lookalikes_and_names_the_existing_row(seeded, model):
    name, slug = SEEDED[model]
    for typed in lookalikes(name):
        with pytest.raises(ValidationError) as caught:
            model(name=typed, slug="another-slug").full_clean()
        assert list(caught.value.message_dict) == ["name"]
        assert f"“{name}”" in caught.value.message_dict["name"][0]
    existing = model.objects.get(slug=slug)
    existing.full_clean()  # a row is no look-alike of itself
    model(name=f"{name} 2", slug="another-slug").full_clean()


@pytest.mark.parametrize("model", HAVE_DB_CONSTRAINT, ids=lambda m: m.__name__)
def test_the_database_refuses_a_name_that_differs_only_in_case(seeded, model):
    name, _ = SEEDED[model]
    for typed in (name.lower(), f"{name.upper()}\u200b", "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in name)):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(name=typed, slug="bypassing-validation")


def test_a_sharp_s_is_a_lookalike_of_ss_in_validation():
    """Case folding, not just lower case: the database index cannot tell, validation does."""
    make_framework(name="Straße", slug="strasse")
    with pytest.raises(ValidationError) as caught:
        Framework(name="STRASSE", slug="strasse-2").full_clean()
    assert "“Straße” already exists" in caught.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        Framework(name="straẞe", slug="strasse-3").full_clean()
    assert name_key("ÉCOLE\u200b") == name_key("école") == "école"
    make_framework(name="École", slug="ecole")
    with pytest.raises(ValidationError):
        Framework(name="ÉCOLE", slug="ecole-2").full_clean()


def test_renaming_keeps_its_name_and_editing_a_lookalike_is_refused(seeded, editor_client):
    flask = Framework.objects.get(slug="flask")
    url = reverse("admin:frameworks_framework_change", args=[flask.pk])
    response = editor_client.post(url, admin_post_data(editor_client.get(url), name="FLASK"))
    assert response.status_code == 302  # its own name in capitals is no duplicate
    django = Framework.objects.get(slug="django")
    url = reverse("admin:frameworks_framework_change", args=[django.pk])
    response = editor_client.post(url, admin_post_data(editor_client.get(url), name="flask"))
    assert response.status_code == 200
    assert "named “FLASK” already exists" in response.context["adminform"].form.errors["name"][0]
    assert Framework.objects.get(pk=django.pk).name == "Django"


def test_the_migration_helper_renames_existing_lookalikes():
    """A database from before the index: every later look-alike gets its id, and then the index can be built."""
    constraint = next(c for c in Organization._meta.constraints if c.name.endswith("_unique_ignoring_case"))
    # Outside a `with` block, as SQLite allows no schema editor inside the test's transaction; rolled back after.
    editor = connection.schema_editor()
    editor.remove_constraint(Organization, constraint)
    acme, other, shouting, taken, lower, sharp, double = (
        Organization.objects.create(name=name, slug=f"org-{n}")
        for n, name in enumerate(["Acme", "Other", "ACME", "placeholder", "acme", "Straße", "STRASSE"])
    )
    # A name that is already what the first rename would give "acme": that rename takes the next one.
    Organization.objects.filter(pk=taken.pk).update(name=f"acme ({lower.pk})")

    assert rename_lookalikes(Organization) == [shouting.pk, lower.pk, double.pk]
    names = dict(Organization.objects.values_list("pk", "name"))
    assert names[shouting.pk] == f"ACME ({shouting.pk})"
    assert names[lower.pk] == f"acme ({lower.pk}-1)"
    assert names[double.pk] == f"STRASSE ({double.pk})"
    assert (names[acme.pk], names[other.pk], names[sharp.pk]) == ("Acme", "Other", "Straße")
    assert rename_lookalikes(Organization) == []
    editor.add_constraint(Organization, constraint)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="OTHER", slug="other-again")


# --- New frameworks start unpublished ----------------------------------------------------------------


def test_a_new_framework_is_unpublished_until_an_editor_publishes_it(seeded, editor_client, client):
    add_page = editor_client.get(add_url(Framework))
    field = add_page.context["adminform"].form.fields["is_published"]
    assert add_page.context["adminform"].form["is_published"].value() is False
    assert "New frameworks start unpublished" in field.help_text
    response = post_add_form(editor_client, Framework, name="Quokka Web", slug="quokka")
    assert response.status_code == 302
    quokka = Framework.objects.get(slug="quokka")
    assert not quokka.is_published

    def seen() -> dict[str, bool]:
        suggest = json.loads(client.get(reverse("search:suggest"), {"q": "quo"}).content)
        return {
            "directory": "Quokka Web" in client.get(reverse("frameworks:list")).content.decode(),
            "home": "Quokka Web" in client.get("/").content.decode(),
            "suggest": any(r["slug"] == "quokka" for r in suggest["results"]),
            "compare": client.get(canonical_path(["flask", "quokka"])).status_code == 200,
            "profile": client.get(quokka.get_absolute_url()).status_code == 200,
        }

    assert not any(seen().values()), seen()
    assert client.get(canonical_path(["flask", "quokka"])).status_code == 404

    url = reverse("admin:frameworks_framework_change", args=[quokka.pk])
    response = editor_client.post(url, admin_post_data(editor_client.get(url), is_published="on"))
    assert response.status_code == 302
    assert all(seen().values()), seen()


def test_the_seed_and_the_test_factory_publish_and_code_that_does_not_say_does_not(seeded):
    assert not Framework.objects.filter(is_published=False).exists()
    assert make_framework().is_published
    assert not Framework.objects.create(name="Bare", slug="bare").is_published
