"""URLs for actions."""

from django.urls import path

from champion.actions import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="list"),
    path("actions/new/", views.new, name="new"),
    path("actions/<int:pk>/", views.detail, name="detail"),
    path("actions/<int:pk>/edit/", views.edit, name="edit"),
    path("actions/<int:pk>/complete/", views.complete, name="complete"),
    path("actions/<int:pk>/reopen/", views.reopen, name="reopen"),
]
