"""People and organisations: the organisation, its tree of units, people, memberships and roles."""
