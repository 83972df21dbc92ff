"""Fixtures shared by the whole suite; the factories are in tests/factories.py."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from articles.roles import editors_group
from pagecache import generation

# The property tests (tests/editors/test_*_properties.py) run the same generated examples on every run:
# a suite that must pass before anything lands cannot fail on a new random draw. Run them with
# HYPOTHESIS_PROFILE=explore to draw fresh examples while working.
hypothesis_settings.register_profile("suite", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _page_cache(settings, tmp_path):
    """Each test starts with an empty page cache and its own content generation."""
    settings.PAGE_CACHE_STAMP = tmp_path / "content-generation"
    # Clear first: with Redis the generation lives in the cache itself.
    generation.page_cache().clear()
    generation.reset()


@pytest.fixture
def seeded(db):
    call_command("seed", verbosity=0)


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editor", "editor@example.com", "correct horse battery staple")
    user.is_staff = True
    user.save()
    user.groups.add(editors_group())
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "correct horse battery staple")


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client
