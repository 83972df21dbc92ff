from django.core.management.base import BaseCommand

from search import indexing


class Command(BaseCommand):
    help = "Rewrite the site search index from the catalogue and guides (after bulk writes that send no signals)."

    def handle(self, *args, **options):
        count = indexing.rebuild()
        self.stdout.write(f"Search index rebuilt: {count} entries.")
