"""Template tags for measures: icons, sparklines, numbers and periods."""
