"""Bench sections: each module registers its sections with ``harness.section``."""
