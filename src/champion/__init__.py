"""PI Champion: learn, improve, measure and lead performance improvement in healthcare."""

__version__ = "0.1.0"

SETTINGS_MODULE = "champion.web.settings"


def setup_django() -> None:
    """Set Django up for a command-line entry point (`champion demo`, `champion content load`...).

    Command-line code imports models only after this has run, so those imports sit inside the
    command functions. Django itself is imported here, not at the top, so `import champion`
    (the SPC engine, `champion spc`) stays free of Django.
    """
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()
