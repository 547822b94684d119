import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from workflow.publishing import publish_due


class Command(BaseCommand):
    help = (
        "Publishes the drafts whose scheduled time has come and unpublishes what has expired. "
        "Run it every minute (cron or a systemd timer); safe to run twice or on several servers at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, checking every SECONDS (for development; production uses a timer).",
        )

    def handle(self, *args, every: int, **options):
        try:
            while True:
                self.run_once(keep_going=bool(every), verbosity=options["verbosity"])
                if not every:
                    return
                time.sleep(every)
        except KeyboardInterrupt:
            # Stopped with the development server (Ctrl-C): nothing to report.
            return

    def run_once(self, *, keep_going: bool, verbosity: int) -> None:
        try:
            published, unpublished, problems = publish_due()
        except DatabaseError as error:
            if not keep_going:
                raise CommandError(f"Could not reach the database: {error}") from None
            self.stderr.write(f"Could not reach the database: {error}")
            return
        for problem in problems:
            self.stderr.write(f"Not published: {problem}")
        if published or unpublished or verbosity > 1:
            self.stdout.write(f"Published {published}, unpublished {unpublished}.")
