"""URLs for the Lead section (the people list under it stays at /people/, in accounts)."""

from django.urls import path

from champion.leadership import views
from champion.leadership.maturity import views as maturity

app_name = "leadership"

urlpatterns = [
    path("lead/", views.overview, name="overview"),
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
]
