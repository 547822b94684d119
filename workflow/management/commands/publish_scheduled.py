import time

from django.core.management.base import BaseCommand
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
        while True:
            try:
                published, unpublished, problems = publish_due()
            except DatabaseError as error:
                self.stderr.write(f"Could not reach the database: {error}")
                if not every:
                    raise SystemExit(1) from None
            else:
                for problem in problems:
                    self.stderr.write(f"Not published: {problem}")
                if published or unpublished or options["verbosity"] > 1:
                    self.stdout.write(f"Published {published}, unpublished {unpublished}.")
            if not every:
                return
            time.sleep(every)
