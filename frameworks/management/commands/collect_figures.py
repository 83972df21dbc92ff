"""Queue a collection run for the worker, or run one in the foreground with --wait (for cron or a timer)."""

from django.core.management.base import BaseCommand, CommandError

from frameworks.collectors import run as collection
from frameworks.collectors.sources import SOURCES
from frameworks.models import CollectionResult, CollectionRun, Framework

SHOWN = 20  # problems listed at the default verbosity


class Command(BaseCommand):
    help = (
        "Collect figures from GitHub, PyPI, pypistats.org and Stack Overflow. Queues a run for the worker "
        "(make worker), or with --wait runs it here and exits non-zero if the run failed as a whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", choices=sorted(SOURCES), default=[],
                            help="Only this source (repeat for several). Default: all.")
        parser.add_argument("--framework", action="append", default=[], metavar="SLUG",
                            help="Only this framework (repeat for several). Default: every framework.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Ask the sources and report, but record nothing.")
        parser.add_argument("--wait", action="store_true", help="Run in the foreground instead of queueing.")

    def handle(self, *args, source, framework, dry_run, wait, verbosity, **options):
        self.verbosity = verbosity
        frameworks = list(Framework.objects.filter(slug__in=framework))
        missing = set(framework) - {fw.slug for fw in frameworks}
        if missing:
            raise CommandError(f"No framework with slug: {', '.join(sorted(missing))}.")
        if not wait:
            run = collection.queue_run(frameworks=frameworks, sources=source, trigger="command", dry_run=dry_run)
            self.stdout.write(f"Queued collection run {run.pk}; the worker (make worker) carries it out.")
            return
        run = collection.create_run(frameworks=frameworks, sources=source, trigger="command", dry_run=dry_run)
        run = collection.execute(run)
        self._report(run)
        if run.status == CollectionRun.Status.FAILED:
            raise CommandError(f"Collection run {run.pk} failed: {run.error}")

    def _report(self, run: CollectionRun) -> None:
        if self.verbosity == 0:
            return
        prefix = "Dry run: nothing recorded. " if run.dry_run else ""
        self.stdout.write(
            f"{prefix}Run {run.pk} {run.get_status_display().lower()}: {run.checked} checked, {run.recorded} "
            f"recorded, {run.unchanged} unchanged, {run.queued_for_review} waiting for review, {run.failed} failed."
        )
        problems = run.results.exclude(
            outcome__in=[CollectionResult.Outcome.RECORDED, CollectionResult.Outcome.UNCHANGED]
        ).select_related("framework")
        shown = problems if self.verbosity > 1 else problems[:SHOWN]
        for result in shown:
            self.stdout.write(f"  {result.framework.name} · {result.get_source_display()}: "
                              f"{result.get_outcome_display().lower()}: {result.detail}")
        more = problems.count() - SHOWN if self.verbosity == 1 else 0
        if more > 0:
            self.stdout.write(f"  … and {more} more (-v 2 lists them all; the admin has every run's results).")
