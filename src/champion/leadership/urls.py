"""URLs for the Lead section (the people list under it stays at /people/, in accounts)."""

from django.urls import path

from champion.leadership import compare, views
from champion.leadership.maturity import views as maturity
from champion.leadership.strategy import views as strategy

app_name = "leadership"

urlpatterns = [
    path("lead/", views.overview, name="overview"),
    path("lead/compare/", compare.index, name="compare-index"),
    path("lead/compare/<int:pk>/", compare.detail, name="compare"),
    path("lead/maturity/", maturity.index, name="maturity"),
    path("lead/maturity/new/", maturity.new, name="maturity-new"),
    path("lead/maturity/<int:pk>/", maturity.detail, name="maturity-round"),
    path("lead/maturity/<int:pk>/invite/", maturity.invite, name="maturity-invite"),
    path("lead/maturity/<int:pk>/answer/", maturity.answer, name="maturity-answer"),
    path("lead/maturity/<int:pk>/close/", maturity.close, name="maturity-close"),
    path("lead/maturity/<int:pk>/consensus/", maturity.consensus, name="maturity-consensus"),
    path("lead/maturity/<int:pk>/report/", maturity.report, name="maturity-report"),
    path("lead/maturity/<int:pk>/plan/", maturity.action_plan, name="maturity-plan"),
    path("lead/maturity/<int:pk>/gap/<slug:component>/", maturity.gap, name="maturity-gap"),
    path("lead/strategy/", strategy.index, name="strategy"),
    path("lead/strategy/new/", strategy.new, name="strategy-new"),
    path("lead/strategy/<int:pk>/", strategy.detail, name="strategy-objective"),
    path("lead/strategy/<int:pk>/edit/", strategy.edit, name="strategy-edit"),
    path("lead/strategy/<int:pk>/plan/", strategy.plan, name="strategy-plan"),
    path("lead/strategy/<int:pk>/catch/", strategy.catch, name="strategy-catch"),
    path("lead/strategy/<int:pk>/link/", strategy.link, name="strategy-link"),
]
