"""URLs for the Lead section (the people list under it stays at /people/, in accounts)."""

from django.urls import path

from champion.leadership import views

app_name = "leadership"

urlpatterns = [
    path("lead/", views.overview, name="overview"),
]
