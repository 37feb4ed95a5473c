"""App configuration for home: the signed-in person's start page."""

from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "champion.home"
    label = "home"
    verbose_name = "Home"
