"""App configuration for measures."""

from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "champion.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from champion.accounts.models import rule_set_changed
        from champion.accounts.picker import register_unit_scope
        from champion.core import audit
        from champion.measures import models
        from champion.measures.tasks import refresh_after_rule_set_change

        # The stored summary is a cache of the analysis, not a person's write.
        audit.register(
            models.Measure,
            exclude=(
                "summary", "summary_at", "updated_at", "inputs_digest",
                "board_attention", "board_points", "board_variation", "board_assurance",
            ),
        )  # fmt: skip
        audit.register(models.DataPoint, exclude=("updated_at",))
        audit.register(models.Annotation)
        audit.register(models.Phase)
        audit.register(models.SharedDefinition)
        audit.register(models.Exclusion)
        audit.register(models.DataImport, exclude=("data", "progress", "rows_done", "errors"))
        audit.register(
            models.RefreshRun,
            exclude=("done", "total", "prepared", "to_prepare", "started_at", "finished_at"),
        )
        rule_set_changed.connect(refresh_after_rule_set_change, dispatch_uid="measures-rules")
        # The unit picker of the measure form searches the units where one may define one.
        register_unit_scope("measure-editable", models.editable_units)

    def nav_section(self, user: object) -> tuple[str, str] | None:
        """Everyone in an organisation reads its measures."""
        if getattr(user, "organisation_id", None):
            return ("Measure", "measures:index")
        return None
