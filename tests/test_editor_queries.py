"""Admin changelists run a fixed number of queries whatever the size of the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Category
from frameworks.models import Adoption, Metric, Organization
from tests.factories import make_article, make_catalogue, make_section

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


def _build(size: int):
    frameworks, metrics, capability = make_catalogue(size, n_dates=3)
    category = Category.objects.create(name=f"Cat {size}", slug=f"cat-{size}")
    for i, fw in enumerate(frameworks):
        org = Organization.objects.create(name=f"Org {i}", slug=f"org-{i}")
        Adoption.objects.create(organization=org, framework=fw)
        article = make_article(frameworks=frameworks[: 2 + i % 3])
        article.categories.add(category)
        make_section(article, heading=f"Part {i}")
        make_section(article, kind="table", caption="Figures")


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("role", ["admin_client_", "editor_client"])
def test_changelist_query_counts_are_fixed(request, role, size):
    admin_client_ = request.getfixturevalue(role)
    _build(size)
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
