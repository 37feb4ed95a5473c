"""`champion export` / `champion import`: the whole installation in one archive, and back.

The archive is a zip holding `manifest.json` (format, release, each app's migrations, row
counts) and `data.json` (every row of every table, Django's serialisation), so it restores on
SQLite or PostgreSQL alike: a laptop trial moves to a server. Not in it: sessions and
sign-in throttling records (short-lived), and the keys, which never live in the database
(SECRET_KEY, the badge signing key: the restoring installation must have the same ones;
docs/deploy.md, "Backups"). Uploads are parsed into the database, so there are no files.
"""

from __future__ import annotations

import datetime
import itertools
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from champion import __version__

FORMAT = 1
# Short-lived records, not the installation's data.
EXCLUDED = [
    "sessions",
    "axes",
]
# Made by `migrate` in every database; replaced by the archive's own on import.
SCAFFOLDING = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """Something the person running the command must fix; the message says what."""


def _models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED and model._meta.managed and not model._meta.proxy
    ]


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def export(out: Path) -> dict[str, int]:
    """Write the archive to `out` (atomically: a half-written file never has the name)."""
    counts = {model._meta.label_lower: model._default_manager.count() for model in _models()}
    out = Path(out)
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.json"
        with data.open("w", encoding="utf-8") as stream:
            rows = itertools.chain.from_iterable(
                model._base_manager.order_by("pk").iterator(chunk_size=2000) for model in _models()
            )
            serializers.serialize("json", rows, stream=stream, cls=_FullPrecisionEncoder)
        manifest = {
            "format": FORMAT,
            "release": __version__,
            "created": timezone.now().isoformat(),
            "migrations": _migrations(),
            "counts": counts,
        }
        partial = out.with_name(out.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            archive.write(data, "data.json")
        partial.replace(out)
    return counts


def _is_empty() -> list[str]:
    return [
        model._meta.label_lower
        for model in _models()
        if model._meta.label_lower not in SCAFFOLDING and model._default_manager.exists()
    ]


def restore(path: Path) -> dict[str, int]:
    """Load an archive into this (migrated, empty) database, all or nothing."""
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a PI Champion export this release can read.")
            if manifest.get("migrations") != _migrations():
                raise BackupError(
                    f"{path} was exported by a release with other database migrations "
                    f"({manifest.get('release')}); restore it with that release, then upgrade."
                )
            occupied = _is_empty()
            if occupied:
                raise BackupError(
                    "The database is not empty (it has "
                    + ", ".join(occupied[:5])
                    + "): import restores into a new database after `champion manage migrate`."
                )
            with tempfile.TemporaryDirectory() as work:
                archive.extract("data.json", work)
                with transaction.atomic():
                    Permission.objects.all().delete()
                    ContentType.objects.all().delete()
                    call_command("loaddata", str(Path(work) / "data.json"), verbosity=0)
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a PI Champion export ({exc}).") from None
    ContentType.objects.clear_cache()
    counts = {model._meta.label_lower: model._default_manager.count() for model in _models()}
    if counts != manifest["counts"]:
        raise BackupError("The restored row counts differ from the export's manifest.")
    return counts
