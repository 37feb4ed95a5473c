"""App configuration for measures."""

from typing import Any

from django.apps import AppConfig
from django.db import transaction


def _refresh_after_rule_set_change(sender: Any, organisation: Any, **kwargs: Any) -> None:
    """Re-analyse the organisation's measures once its new rule set is committed (a
    background task when a worker runs, else at once)."""
    from champion.measures.tasks import refresh_organisation

    pk = organisation.pk
    transaction.on_commit(lambda: refresh_organisation.enqueue(pk))


class MeasuresConfig(AppConfig):
    name = "champion.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from champion.accounts.models import rule_set_changed
        from champion.core import audit
        from champion.measures import models

        # The stored summary is a cache of the analysis, not a person's write.
        audit.register(models.Measure, exclude=("summary", "summary_at", "updated_at"))
        audit.register(models.DataPoint, exclude=("updated_at",))
        audit.register(models.Annotation)
        audit.register(models.Phase)
        audit.register(models.Exclusion)
        audit.register(models.DataImport, exclude=("data", "progress", "rows_done", "errors"))
        rule_set_changed.connect(_refresh_after_rule_set_change, dispatch_uid="measures-rules")

    def nav_section(self, user: object) -> tuple[str, str] | None:
        """Everyone in an organisation reads its measures."""
        if getattr(user, "organisation_id", None):
            return ("Measure", "measures:index")
        return None
