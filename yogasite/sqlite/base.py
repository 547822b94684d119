"""Django's SQLite backend, creating the database file readable by its owner only.

SQLite creates a missing file with the process's umask (usually world-readable) and gives
its -wal and -shm files the same permissions, so the file is made here first, mode 0600."""

import os
from pathlib import Path

from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper


class DatabaseWrapper(SQLiteDatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = conn_params.get("database")
        if isinstance(name, (str, Path)) and not self.is_in_memory_db() and not str(name).startswith("file:"):
            path = Path(name)
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return super().get_new_connection(conn_params)
