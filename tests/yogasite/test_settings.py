import os
import sqlite3

import pytest
from django.db import connection, connections, transaction
from django.db.utils import ConnectionHandler

from yogasite.sqlite.base import DatabaseWrapper


def test_database_backend_follows_database_url():
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"

    assert connection.vendor == expected


@pytest.fixture
def sqlite_site_db(tmp_path, settings):
    """A connection with the site's own SQLite settings, on a file: the test database
    lives in memory, where journal modes and file locks do not apply."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite tuning applies only when the site runs on SQLite")
    path = tmp_path / "site.sqlite3"
    alias = "sqlite_site_db"
    configured = ConnectionHandler({"default": {**settings.DATABASES["default"], "NAME": path}}).settings["default"]
    probe = DatabaseWrapper(configured, alias)
    connections[alias] = probe
    yield probe, path
    probe.close()
    del connections[alias]


def pragma(conn, name):
    with conn.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_so_readers_do_not_block_the_writer(sqlite_site_db):
    conn, _ = sqlite_site_db

    assert pragma(conn, "journal_mode") == "wal"


@pytest.mark.django_db
def test_sqlite_waits_for_a_busy_database_instead_of_failing(sqlite_site_db):
    conn, _ = sqlite_site_db

    assert pragma(conn, "busy_timeout") >= 5000


@pytest.mark.django_db
def test_sqlite_transactions_take_the_write_lock_when_they_start(sqlite_site_db):
    conn, path = sqlite_site_db
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with transaction.atomic(using=conn.alias):
            # Nothing written yet: only BEGIN IMMEDIATE holds the lock at this point.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
