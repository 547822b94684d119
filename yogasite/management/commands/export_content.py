from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yogasite.content.exporter import ExportFailed, export_site


class Command(BaseCommand):
    help = (
        "Exports every muscle, prop, category, pose and routine to DIR/content.json and the pictures they use "
        "to DIR/media/. Importing DIR/content.json into an empty site gives the same site back."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Folder to write into; created if needed.")

    def handle(self, *args, directory: Path, **options):
        try:
            result = export_site(directory=directory)
        except ExportFailed as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write to {directory}: {error.strerror}.") from None
        self.stdout.write(result.summary())
