"""Django's SQLite backend, told how many query variables SQLite allows.

Django 5.2 assumes SQLite's old limit of 999 variables per query and so
splits a bulk insert of more than about 140 rows into several queries.
SQLite since 3.32 allows 32766 by default and reports its real limit, so
a team's expectations are saved in one insert.
"""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:  # type: ignore[override]
        self.connection.ensure_connection()
        raw = self.connection.connection
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
