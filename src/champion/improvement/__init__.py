"""Improvement: projects and charters, tools, driver diagrams, PDSA cycles and A3 reports."""
