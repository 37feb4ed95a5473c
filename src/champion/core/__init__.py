"""What every app shares: the audit log, the permission helper, base templates and the shell."""
