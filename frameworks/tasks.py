"""Background work, run by the worker (``make worker``) through Django's tasks framework.

The backend is django-tasks-db's database backend: the queue is a table in
the site's own database, so SQLite and PostgreSQL need no extra service.
"""

from django.tasks import task

from .collectors import run as collection
from .collectors.sources import SOURCES
from .models import CollectionRun


@task
def collect_figures(run_id: int) -> dict:
    """Carry out a queued collection run; returns its counts."""
    run = collection.execute(CollectionRun.objects.get(pk=run_id))
    return {
        "run": run.pk,
        "status": run.status,
        "checked": run.checked,
        "recorded": run.recorded,
        "unchanged": run.unchanged,
        "queued_for_review": run.queued_for_review,
        "failed": run.failed,
    }


@task
def fetch_package(name: str) -> dict:
    """A new framework's facts from the package index, for the admin's "Add from a package name"."""
    return collection.package_facts(SOURCES["pypi"], name)
