"""App configuration for strategy deployment (a subpackage of Lead with its own label, as
Improve's ideas are, so its migrations and models stay apart from the maturity rounds)."""

from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "champion.leadership.strategy"
    label = "strategy"
    verbose_name = "Strategy deployment"

    def ready(self) -> None:
        from champion.core import audit
        from champion.leadership.strategy import models

        for model in (models.Objective, models.PlanMonth, models.GoalProject, models.Catch):
            audit.register(model)
