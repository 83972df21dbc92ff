from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from editorial import backups


class Command(BaseCommand):
    help = "Load a backup made by `backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            summary = backups.restore(Path(path))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {path} ({summary})."))
