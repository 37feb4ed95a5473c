"""Improvement pages, by area: projects and charters, tools, PDSA cycles, reports and the library."""
