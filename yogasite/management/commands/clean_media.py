from datetime import timedelta

from django.core.management.base import BaseCommand

from yogasite import media


class Command(BaseCommand):
    help = (
        "Removes stored pictures that nothing uses: those of an import that was killed before it finished, "
        "and, with --unused, every picture file that no pose or routine uses and is older than --hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unused", action="store_true", help="Also remove every unused picture file.")
        parser.add_argument(
            "--hours", type=float, default=24, help="With --unused: only files older than this (default 24)."
        )

    def handle(self, *args, unused: bool, hours: float, **options):
        removed = media.remove_abandoned()
        if unused:
            names = media.unused_files(older_than=timedelta(hours=hours))
            media.delete_quietly(names)
            removed += names
        for name in removed:
            self.stdout.write(name)
        self.stdout.write(f"Removed {len(removed)} file{'s' if len(removed) != 1 else ''}.")
