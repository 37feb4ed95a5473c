"""The curriculum files: parse and check (`content check`), load (`content load`), count (`stats`)."""
