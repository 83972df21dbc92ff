"""`backup` and `restore` round-trip the seed content; a backup never lands half-written."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Category, Section
from frameworks.models import Adoption, Capability, Framework, Measurement, Metric, Organization, Support


def snapshot():
    return {
        "frameworks": sorted(Framework.objects.values_list("slug", "name", "tagline")),
        "measurements": sorted(
            (m.framework.slug, m.metric.slug, str(m.value), m.as_of.isoformat(), m.source_url)
            for m in Measurement.objects.select_related("framework", "metric")
        ),
        "adoptions": Adoption.objects.count(),
        "supports": Support.objects.count(),
        "articles": sorted(Article.objects.values_list("slug", "title", "status")),
        "sections": sorted(Section.objects.values_list("article__slug", "position", "kind", "body")),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "editor groups": sorted(get_user_model().objects.values_list("username", "groups__name")),
    }


def empty_the_database():
    Section.objects.all().delete()
    Article.objects.all().delete()
    Category.objects.all().delete()
    Measurement.objects.all().delete()
    Support.objects.all().delete()
    Adoption.objects.all().delete()
    Framework.objects.all().delete()
    Metric.objects.all().delete()
    Organization.objects.all().delete()
    Capability.objects.all().delete()
    get_user_model().objects.all().delete()


# Not serialized_rollback: restoring the serialized database collides with the content types that an
# earlier transactional test's flush recreated. Nothing here needs more than migrate leaves behind.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["auto", "json"])
def test_backup_and_restore_round_trip_the_seed_content(tmp_path, editor, fmt):
    call_command("seed", verbosity=0)
    before = snapshot()
    assert before["frameworks"] and before["measurements"] and before["sections"]
    is_json = fmt == "json" or connection.vendor != "sqlite"
    target = tmp_path / ("backup.json" if is_json else "backup.sqlite3")
    call_command("backup", output=str(target), format=fmt, verbosity=0)
    assert target.exists()
    assert not list(tmp_path.glob(".*partial*"))
    assert not list(tmp_path.glob(target.name + "-*"))  # one self-contained file, no -wal/-shm

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target))

    empty_the_database()
    assert snapshot()["frameworks"] == []
    call_command("restore", str(target))
    assert snapshot() == before
    if is_json:
        assert json.loads(target.read_text())[0]["model"]


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch):
    from editorial import backups

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "_replace_into_place", broken)
    target = tmp_path / "b.json"
    with pytest.raises((CommandError, OSError)):
        call_command("backup", output=str(target), format="json", verbosity=0)
    assert not target.exists()
