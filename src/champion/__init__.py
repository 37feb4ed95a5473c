"""PI Champion: learn, improve, measure and lead performance improvement in healthcare."""

__version__ = "0.1.0"
