"""Load the seed content: the catalogue and guides in ``content/seed`` (or ``--data``).

Idempotent and non-destructive: rows that already exist (matched by slug,
or by framework, metric and date for figures) are left as editors made them.
Every data file is checked before anything is saved; a bad one is a
CommandError naming it, and nothing is saved.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.seeding import load_guides, read_guides
from frameworks.models import Framework
from frameworks.seeding import SeedDataError, load_catalogue, read_catalogue


class Command(BaseCommand):
    help = "Load the seed catalogue and guides (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds any framework or guide.",
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=Path(settings.BASE_DIR) / "content" / "seed",
            help="The folder holding catalogue.toml and guides/ (default: content/seed).",
        )

    def handle(self, *args, if_empty=False, data: Path, **options):
        if if_empty and (Framework.objects.exists() or Article.objects.exists()):
            self.stdout.write("The database already has content; seed skipped.")
            return
        try:
            catalogue = read_catalogue(data / "catalogue.toml")
            guides = read_guides(data / "guides", catalogue)
            with transaction.atomic():
                rows = load_catalogue(catalogue)
                articles = load_guides(guides, catalogue, rows)
        except SeedDataError as exc:
            raise CommandError(str(exc)) from exc
        for article in articles:
            self.stdout.write(self.style.SUCCESS(f"Seed content ready: {article.get_absolute_url()}"))
