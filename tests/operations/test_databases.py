"""The database itself guards what it can, on SQLite and PostgreSQL alike; the cache is the configured one."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from frameworks.models import Measurement
from tests.factories import make_framework, make_metric

pytestmark = pytest.mark.django_db


def test_the_as_of_trigger_refuses_future_figures_in_the_database():
    fw, metric = make_framework(), make_metric()
    future = timezone.localdate() + timedelta(days=5)
    with pytest.raises(DatabaseError, match="as_of is in the future"), transaction.atomic():
        Measurement.objects.bulk_create(
            [Measurement(framework=fw, metric=metric, value=1, as_of=future, source_name="x",
                         source_url="https://example.com/")]
        )
    Measurement.objects.bulk_create(
        [Measurement(framework=fw, metric=metric, value=1, as_of=timezone.localdate(), source_name="x",
                     source_url="https://example.com/")]
    )
    assert Measurement.objects.count() == 1


def test_the_cache_round_trips_through_the_configured_backend():
    cache.set("compare_site:probe", {"n": 1}, 30)
    assert cache.get("compare_site:probe") == {"n": 1}
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        assert cache._cache.get_client().ping()
