"""Views for accounts, one module per area: signing in, people, units, staff-list imports."""
