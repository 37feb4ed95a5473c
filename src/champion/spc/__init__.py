"""champion.spc: run charts and control charts for healthcare improvement, in NumPy.

The engine behind every chart of PI Champion, usable on its own (it imports
NumPy only, never Django)::

    >>> from champion import spc
    >>> a = spc.analyze([10, 12, 11, 13, 12, 11, 40, 12], chart="i", rules=("anhoej", "nelson"))
    >>> a.points["sigma_signal"].tolist()
    [False, False, False, False, False, False, True, False]
    >>> a.points["nelson:1"].tolist() == a.points["sigma_signal"].tolist()
    True

It agrees with R's qicharts2 0.8.1 and qcc (the contract is SPC.md; the
formulas and their sources are in docs/spc.md, the rule sets in
docs/spc-rules.md).

Public names
------------
analyze
    One series: CL, limits, runs analysis and rule sets per part.
analyze_many
    Thousands of series in one vectorised call.
Analysis
    The immutable result (``points``, ``parts``, icons, ``to_dict``, ``to_frame``).
explain, PointMeaning, VARIATION, ASSURANCE
    What each point means (improvement, concern or neither; the rules that fired;
    the reasons in plain words), in the vocabulary of the Making Data Count icons.
verdict, Verdict, GroupedSignal, MIN_POINTS
    One verdict per chart: the signals grouped (a shift with its start and end), and a
    headline about the current part in plain words.
funnel, Funnel, normal_quantile
    Funnel plots comparing units' proportions or rates with the system average
    (Spiegelhalter 2005 limits, exact or normal, with optional over-dispersion).
capability
    Process capability (Cp, Cpk, Pp, Ppk, PPM, sigma level).
pareto
    Sorted counts, cumulative percentages and the vital few.
SPCError
    The ValueError raised for input the engine cannot use.
CHARTS, RULE_SETS
    The chart types and the extra rule sets.
"""

from ._analysis import Analysis
from ._api import analyze, analyze_many
from ._capability import capability
from ._errors import SPCError
from ._funnel import Funnel, funnel, normal_quantile
from ._meaning import ASSURANCE, VARIATION, PointMeaning, explain
from ._pareto import pareto
from ._rules import RULE_SETS
from ._validate import CHARTS
from ._verdict import MIN_POINTS, GroupedSignal, Verdict, verdict

__all__ = [
    "ASSURANCE",
    "CHARTS",
    "MIN_POINTS",
    "RULE_SETS",
    "VARIATION",
    "Analysis",
    "Funnel",
    "GroupedSignal",
    "PointMeaning",
    "SPCError",
    "Verdict",
    "analyze",
    "analyze_many",
    "capability",
    "explain",
    "funnel",
    "normal_quantile",
    "pareto",
    "verdict",
]
