"""Management commands of the measures app."""
