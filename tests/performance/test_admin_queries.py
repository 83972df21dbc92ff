"""Admin changelists run a fixed number of queries whatever the size of the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.models import Metric
from tests.synthetic import build_catalogue

pytestmark = pytest.mark.django_db

# Queries per changelist for a superuser: session, user, count, page, filters; never one per row.
EXPECTED = {
    "frameworks_framework": 10,
    "frameworks_measurement": 12,
    "frameworks_metric": 7,
    "frameworks_organization": 9,
    "frameworks_adoption": 8,
    "frameworks_capability": 7,
    "frameworks_support": 9,
    "articles_article": 11,
    "articles_section": 7,
    "articles_category": 7,
}
# The figures screen: one query for the frameworks, one for their current values, whatever their number.
RECORD_SCREEN = 7


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("role", ["admin_client_", "editor_client"])
def test_changelist_query_counts_are_fixed(request, role, size):
    admin_client_ = request.getfixturevalue(role)
    build_catalogue(size, dates=3)
    metric_ids = Metric.objects.values_list("pk", flat=True)
    counts = {}
    for changelist in EXPECTED:
        url = reverse(f"admin:{changelist}_changelist")
        admin_client_.get(url)  # warm the content-type cache
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_.get(url)
        assert response.status_code == 200
        counts[changelist] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get(
            reverse("admin:frameworks_measurement_record") + "?" + "&".join(f"metric={pk}" for pk in metric_ids)
        )
    assert response.status_code == 200
    record_screen = len(queries)
    # An editor's permissions come from a group: two more queries per page, once.
    extra = 2 if role == "editor_client" else 0
    assert counts == {name: n + extra for name, n in EXPECTED.items()}
    assert record_screen == RECORD_SCREEN + extra
