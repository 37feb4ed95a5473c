"""Views of the measures app, one module per feature."""
