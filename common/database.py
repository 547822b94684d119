"""The statistics a database plans its queries with, brought up to date after rows are written in bulk."""

from django.db import connection


def refresh_statistics() -> None:
    """Gather the planner's statistics again (after an import or a rebuilt search index). Without them
    SQLite fetches a page's 48 poses by id through the index on publication, reading every published
    pose; PostgreSQL would wait for autovacuum."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Sampled, as SQLite's own PRAGMA optimize does: a few milliseconds at any size.
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")
