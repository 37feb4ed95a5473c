"""Trigram indexes for the ideas list's search (issue 15), on PostgreSQL only.

The list searches `idea` and `problem` with `icontains` (`UPPER(col) LIKE UPPER('%word%')`),
which no b-tree index serves: 50,000 ideas were scanned twice a page (about 280 ms each).
GIN indexes of `UPPER(col)` with `gin_trgm_ops` serve exactly that expression. They need the
`pg_trgm` extension, which PostgreSQL 13+ lets a database owner create; where it cannot be
created the indexes are skipped with a warning (the search still works, as before). SQLite
has no such index: nothing is done there.
"""

from __future__ import annotations

import warnings

from django.db import DatabaseError, migrations, transaction

INDEXES = {
    "ideas_idea_idea_trgm": "idea",
    "ideas_idea_problem_trgm": "problem",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        warnings.warn(f"pg_trgm is not available ({exc}); the ideas search has no index.")
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON ideas_idea "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0004_wall_display")]

    operations = [migrations.RunPython(create, drop)]
