from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from editorial import backups


class Command(BaseCommand):
    help = "Write a consistent, verified backup of the database (SQLite online backup, or dumpdata)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write; default $BACKUP_DIR/compare_site-<UTC time>.<ext>.")
        parser.add_argument("--format", choices=["auto", "sqlite", "json"], default="auto")

    def handle(self, *args, output=None, format="auto", **options):
        fmt = backups.default_format() if format == "auto" else format
        ext = "sqlite3" if fmt == "sqlite" else "json"
        default = settings.BACKUP_DIR / f"compare_site-{datetime.now(UTC):%Y%m%d-%H%M%S}.{ext}"
        target = Path(output or default).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            summary = backups.backup_sqlite(target) if fmt == "sqlite" else backups.backup_json(target)
        except (backups.BackupError, OSError) as exc:
            raise CommandError(f"Backup failed, nothing written to {target}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({summary})."))
