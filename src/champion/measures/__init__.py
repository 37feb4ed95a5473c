"""Measure: what units measure, the data, run and SPC charts, and monitoring for signals."""
