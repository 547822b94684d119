from django.core.management.base import BaseCommand

from searchindex import index


class Command(BaseCommand):
    help = "Index every pose, routine and muscle again for search (the index keeps itself up to date otherwise)."

    def handle(self, *args, **options):
        total = index.rebuild()
        index.gather_statistics()
        self.stdout.write(f"Indexed {total} things for search.")
