"""The statistics a database plans its queries with, brought up to date after rows are written in bulk."""

from collections.abc import Sequence

from django.db import connection


def refresh_statistics(read_by_index: Sequence[str] = ()) -> None:
    """Gather the planner's statistics again (after an import or a rebuilt search index). Without them
    SQLite fetches a page's 48 poses by id through the index on publication, reading every published
    pose; PostgreSQL would wait for autovacuum. On PostgreSQL the tables `read_by_index` (whose queries
    are answered from an index alone) are also vacuumed, outside a transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Sampled, as SQLite's own PRAGMA optimize does: a few milliseconds at any size.
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")
        if read_by_index and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # PostgreSQL reads an index alone only where its visibility map says a page's rows are all
            # visible, which VACUUM records: until autovacuum comes by, counting a word's entries after an
            # import would also read each of them from the table. (VACUUM cannot run in a transaction.)
            cursor.execute(f"VACUUM {', '.join(connection.ops.quote_name(table) for table in read_by_index)}")
