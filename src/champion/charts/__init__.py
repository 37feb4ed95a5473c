"""Vega-Lite chart specs built from ``champion.spc`` results, and their export.

Framework-free: the web pages, the command line and reports all draw charts
from the same specs. What each point means is the engine's (``spc.explain``);
this package only draws it. Public surface:

- :func:`spc_spec`: run and control charts, with signals explained per point.
- :func:`signal_reasons`: ``spc.explain`` flattened to one dict per point.
- :func:`format_number`: how every number reads (tooltips, tables, summaries).
- :func:`sparkline_spec`: a tiny chart for dashboards.
- :func:`pareto_spec`: bars and a cumulative percentage line.
- :func:`funnel_spec`: units against the system average with Spiegelhalter's limits.
- :func:`export`: SVG, PNG or PDF bytes; :func:`vega_embed_bundle`: the
  JavaScript the browser needs, served locally (:func:`bundle_versions` names
  what is inside).
"""

from ._export import (
    EXPORT_FORMATS,
    VEGA_LITE_VERSION,
    bundle_versions,
    export,
    vega_embed_bundle,
    warm_up,
)
from ._funnel import funnel_spec
from ._icons import ASSURANCE, VARIATION
from ._input import ChartError
from ._pareto import pareto_spec
from ._reasons import signal_reasons
from ._spc import CHART_NAMES, format_number, sparkline_spec, spc_spec
from ._theme import PALETTE, contrast_ratio

__all__ = [
    "ASSURANCE",
    "CHART_NAMES",
    "EXPORT_FORMATS",
    "PALETTE",
    "VARIATION",
    "VEGA_LITE_VERSION",
    "ChartError",
    "bundle_versions",
    "contrast_ratio",
    "export",
    "format_number",
    "funnel_spec",
    "pareto_spec",
    "signal_reasons",
    "sparkline_spec",
    "spc_spec",
    "vega_embed_bundle",
    "warm_up",
]
