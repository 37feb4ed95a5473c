"""Learning views, one module per feature."""
