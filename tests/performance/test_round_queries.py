"""Recording a round of figures is one bulk write: its queries do not grow with the number of rows.

Counted for the service alone and for the admin's figures screen (as an
editor: session, user, group permissions, the screen's own reads, the
check, the insert and the revision). Either way the page cache starts a
new generation once per round, when the transaction commits.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from reversion.models import Version

from frameworks import services
from frameworks.models import Measurement
from pagecache import generation
from tests.factories import make_framework, make_metric

pytestmark = pytest.mark.django_db

FRAMEWORKS = 20
# Its savepoint and release (tests run inside a transaction), frameworks exist, metrics exist,
# figures already recorded, the insert.
SERVICE_QUERIES = 6
# Session, user, 2 for the editor's permissions, metrics, frameworks, current figures (drop check),
# the revision's and the round's savepoints and releases (4), the round's 3 checks and insert,
# reversion's existence check, revision and versions. Recording 40 figures one by one cost 296.
SCREEN_QUERIES = 18


@pytest.fixture
def catalogue():
    frameworks = [make_framework() for _ in range(FRAMEWORKS)]
    metrics = [make_metric(), make_metric()]
    return frameworks, metrics


@pytest.fixture
def bumps(monkeypatch) -> list:
    calls = []
    real = generation.bump

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(generation, "bump", counting)
    return calls


def _cells(catalogue, size: int):
    frameworks, metrics = catalogue
    return [(fw, metric) for fw in frameworks for metric in metrics][:size]


@pytest.mark.parametrize("size", [2, 40])
def test_recording_a_round_costs_the_same_queries_whatever_its_size(
    catalogue, size, bumps, django_assert_num_queries, django_capture_on_commit_callbacks
):
    rows = [
        Measurement(framework=fw, metric=metric, value=Decimal(1000 + i), as_of=date(2024, 5, 1),
                    source_name="GitHub", source_url="https://github.com/x/y")
        for i, (fw, metric) in enumerate(_cells(catalogue, size))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_num_queries(SERVICE_QUERIES):
            saved = services.record_round(rows)
    assert len(bumps) == 1
    assert all(m.pk for m in saved)
    assert Measurement.objects.filter(as_of=date(2024, 5, 1)).count() == size


@pytest.mark.parametrize("size", [2, 40])
def test_the_figures_screen_saves_a_round_in_the_same_queries_whatever_its_size(
    editor_client, catalogue, size, bumps, django_assert_num_queries, django_capture_on_commit_callbacks
):
    frameworks, metrics = catalogue
    url = reverse("admin:frameworks_measurement_record") + "?" + "&".join(f"metric={m.pk}" for m in metrics)
    data = {"as_of": "2024-05-01"}
    for m in metrics:
        data.update({f"source-{m.pk}-name": "GitHub", f"source-{m.pk}-url": "https://github.com/x/y"})
    data.update({f"v-{fw.pk}-{m.pk}": str(1000 + i) for i, (fw, m) in enumerate(_cells(catalogue, size))})
    editor_client.get(url)  # warm the content-type and permission caches
    bumps.clear()  # count what the round does, not what loading the screen did
    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_num_queries(SCREEN_QUERIES):
            response = editor_client.post(url, data)
    assert response.status_code == 302
    assert len(bumps) == 1
    saved = Measurement.objects.filter(as_of=date(2024, 5, 1))
    assert saved.count() == size
    assert Version.objects.get_for_model(Measurement).count() == size
