"""The home page's URL (`home:home`, the site's root)."""

from django.urls import path

from champion.home import views

app_name = "home"

urlpatterns = [path("", views.home, name="home")]
