import signal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from poses.images import StorageFailed
from yogasite.content.importer import import_document
from yogasite.content.schema import ContentInvalid, ContentUnreadable


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Imports a content document (muscles, props, categories, poses, routines; see CONTENT-FORMAT.md). "
        "Records are matched by slug: new ones are created, changed ones updated, none deleted. "
        "One error and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The JSON file; image paths in it are relative to its folder.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Import as this person: their role decides whether the import may publish, and the activity "
            "log names them. Without it, the import is the operator's and may publish.",
        )

    def handle(self, *args, path: Path, user: str | None = None, **options):
        person = None
        if user:
            person = get_user_model().objects.filter(username=user, is_active=True).first()
            if person is None:
                raise CommandError(f"No active user named “{user}”.")
        # A stop request (SIGTERM) ends the import as Ctrl-C does: the pictures it stored are removed.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            result = import_document(path=path, progress=self.stderr, user=person)
        except ContentUnreadable as error:
            raise CommandError(str(error)) from None
        except StorageFailed as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        except KeyboardInterrupt:
            raise CommandError("Stopped; nothing was imported.") from None
        except ContentInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(f"Nothing was imported: {count} error{'s' if count != 1 else ''}.") from None
        self.stdout.write(result.table())
        if not result.changed:
            self.stdout.write("Nothing changed.")
