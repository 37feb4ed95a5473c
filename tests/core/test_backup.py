"""`champion export` / `champion import`: the whole installation round-trips (issue 16)."""

import os
import sqlite3
import subprocess
import sys

from django.apps import apps

# Not the installation's data: migration bookkeeping (compared through the manifest),
# sessions and sign-in throttling records (short-lived; deliberately not exported).
NOT_DATA = ("django_migrations", "django_session", "axes_")


def champion(args, data_dir):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(DEBUG="1", DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "champion.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def auto_through_tables():
    """Django's own many-to-many tables: a backup keeps their pairs, not their row ids (loaddata
    adds the pairs again, numbering them in its own order)."""
    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


def tables(path):
    pairs_only = auto_through_tables()
    with sqlite3.connect(path) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: sorted(
                repr(row[1:] if name in pairs_only else row)
                for row in db.execute(f'SELECT * FROM "{name}"')
            )
            for name in names
            if not name.startswith(NOT_DATA)
        }


def test_an_export_restores_every_table_into_an_empty_database(tmp_path):
    source, target, archive = tmp_path / "a", tmp_path / "b", tmp_path / "backup.zip"
    assert champion(["manage", "migrate", "-v", "0"], source).returncode == 0
    assert champion(["demo"], source).returncode == 0
    exported = champion(["export", "--out", str(archive)], source)
    assert exported.returncode == 0, exported.stderr
    assert champion(["manage", "migrate", "-v", "0"], target).returncode == 0
    imported = champion(["import", str(archive)], target)
    assert imported.returncode == 0, imported.stderr

    before = tables(source / "champion.sqlite3")
    after = tables(target / "champion.sqlite3")
    assert before.keys() == after.keys()
    assert sum(len(rows) for rows in before.values()) > 1000  # the demo, not an empty install
    different = [name for name in before if before[name] != after[name]]
    assert different == []

    # Importing again, into a database that now has data, is refused and changes nothing.
    again = champion(["import", str(archive)], target)
    assert again.returncode == 1 and "The database is not empty" in again.stderr
    assert tables(target / "champion.sqlite3") == after


def test_import_refuses_a_file_that_is_not_an_export(tmp_path):
    assert champion(["manage", "migrate", "-v", "0"], tmp_path).returncode == 0
    bogus = tmp_path / "notes.zip"
    bogus.write_text("not a zip")
    result = champion(["import", str(bogus)], tmp_path)
    assert result.returncode == 1 and "is not a PI Champion export" in result.stderr
