"""Is this a good aim statement? One pure checker (no Django) for Improve's charters and Learn.

A complete aim names **a result that will change** (fewer falls, shorter waits; not a
solution to put in place), **how much** ("from 12 to 6", "by half", "to 95%"), **by when**
(a date or a deadline in any common form: "by 31/12/2027", "by Q2 2027", "by year-end",
"by the end of this financial year", "by Christmas", "within the next 6 months") and **for
whom** (the people or place: "for patients admitted to Ward 7", "in the emergency
department"). Langley et al. (2009), ch. 5.

The checker reads meaning with small, explicit rules, not a grammar:

- a duration that is part of the measure ("within 4 hours of arrival", "seen within 18
  weeks", "to within 4 weeks") is not a deadline;
- a number is an amount only when it quantifies the result ("from 6.3 to 3", "by 50%",
  "to under 18 days", "1 in 10"); ward numbers, dates, times of day, ages, "24/7", "30-day"
  and number words that count something else ("one step at a time") are not;
- an aim that only says what will be installed, bought, trained or rolled out names no
  result, and fails with the advice to name the result it should change;
- a result moving the wrong way ("increase falls", "reduce compliance", "reduce ... from 4
  to 6") is a warning, not a failure.

The project charter and Learn's aim exercise both call `check_aim`, so an aim that passes in
a lesson passes in a real project.

>>> check_aim("Reduce falls on Ward 7 from 8 to 4 per 1,000 bed days by 31 March 2026").ok
True
>>> check_aim("Improve handover").missing
['how much', 'by when', 'for whom']
>>> check_aim("Put bed alarms on all 28 beds on Ward 7B by March.").missing
['result']
"""

from champion.aims.checker import AimCheck, check_aim
from champion.aims.numbers import AimNumbers, read_numbers

__all__ = ["AimCheck", "AimNumbers", "check_aim", "read_numbers"]
