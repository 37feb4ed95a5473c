"""The aim checker judged on a table of real-world style aims, right and wrong (issue 12).

Each row: the aim, the parts it must be found to miss (empty: a complete aim) and the
advice note it must carry (None: no solution or direction note). The table holds every
example of the review's A1 table (curriculum-review.md #1), the Foundation lesson and quiz
examples (03-testing-changes-and-using-data/01-model-for-improvement.*), and aims from
wards, outpatients, pharmacy, estates, finance and community teams.
"""

from __future__ import annotations

import pytest

from champion.aims import check_aim

R, M, W, F = "result", "how much", "by when", "for whom"
SOLUTION, DIRECTION = "solution", "direction"

TABLE: list[tuple[str, list[str], str | None]] = [
    # --- The review's table (A1 #1) -----------------------------------------------------------
    ("By 31 December this year, reduce falls among adult inpatients on Ward 12 from 6.3 to 3 or fewer per 1,000 occupied bed-days.", [], None),
    ("By the end of this year, reduce falls among adult inpatients on Ward 12 from 6.3 to 3 or fewer per 1,000 occupied bed-days.", [], None),
    ("Reduce falls on Ward 12 from 6.3 to 3 per 1,000 occupied bed-days by the end of the year.", [], None),
    ("By year end, halve falls among adult inpatients on Ward 12.", [], None),
    ("By year-end, halve falls among adult inpatients on Ward 12.", [], None),
    ("Reduce falls on Ward 12 from 6.3 to 3 per 1,000 occupied bed-days by Christmas.", [], None),
    ("By 31/12, reduce falls on Ward 12 from 6.3 to 3 per 1,000 occupied bed-days.", [], None),
    ("Reduce falls on Ward 12 by 50% this year.", [], None),
    ("Put bed alarms on all 28 beds on Ward 7B by March.", [R, M], None),
    ("Install bed alarms and sensor mats for patients on Ward 12 by 31 March 2026 and train 100% of staff.", [R, M], None),
    ("Reduce the time to first appointment to within 4 weeks for 90% of new patients in the diabetes clinic.", [W], None),
    ("Improve things on the ward by next year for everyone, one step at a time.", [M], None),
    ("Increase falls on Ward 12 from 6.3 to 12 per 1,000 occupied bed-days by December 2026.", [], DIRECTION),
    # --- The Foundation lesson, quiz and exercise (01-model-for-improvement.*) ----------------------
    ("By 30 June next year, reduce falls among adult inpatients on Ward 7B from a median of 6 to 3 or fewer per 1,000 occupied bed-days.", [], None),
    ("Make Ward 7B the safest ward in the hospital.", [M, W], None),
    ("Reduce falls on Ward 7B as much as possible, as soon as possible.", [M, W], None),
    ("Reduce the time from referral to first appointment in the diabetes clinic to 4 weeks or less for 90% of new patients.", [W], None),
    ("By the end of March, have medicines ready within 2 hours of the discharge decision for 80% of patients leaving Wards 4 and 5.", [], None),
    ("Improve patient safety by reducing falls.", [M, W], None),
    ("Install bed alarms on every bed.", [R, M, W, F], None),
    ("By 31 December this year, reduce falls among adult inpatients on Ward 12 from 6.3 to 3 or fewer per 1,000 occupied bed-days.", [], None),
    # --- Deadlines in all common forms ----------------------------------------------------------------
    ("By the end of this financial year, reduce the average time from prescription to dispensing in the outpatient pharmacy from 45 to 20 minutes.", [], None),
    ("By Q2 2027, increase the share of eligible patients on Ward 5 who receive a medicines reconciliation within 24 hours of admission from 60% to 90%.", [], None),
    ("Reduce reactive maintenance requests from the estates department's top five buildings by 30% by 31/03/2027.", [], None),
    ("Within the next 6 months, cut the number of invoices paid late by the finance team from 120 to 30 a month.", [], None),
    ("By March, reduce missed insulin doses for inpatients with diabetes on the surgical wards to zero.", [], None),
    ("By the end of the year, 95% of patients in the emergency department will be seen within 4 hours of arrival.", [], None),
    ("Reduce pressure ulcers among residents of the community nursing caseload by half by year-end.", [], None),
    ("Reduce category 2 or above pressure ulcers on Ward 9 from 4 to 1 a month by the end of Q3.", [], None),
    ("By Easter, reduce the number of patients aged 75 and over readmitted within 30 days from the frailty unit from 18% to 12%.", [], None),
    ("Reduce waits for a first appointment in the memory clinic to 6 weeks for 90% of referrals within a year.", [], None),
    ("Raise the proportion of district nursing visits that start on time from 65% to 90% over the next 12 months.", [], None),
    ("Reduce 30-day readmissions for heart failure patients from 22% to 15% by 2027.", [], None),
    ("Reduce falls on Ward 4 to two or fewer a month by the end of 2026.", [], None),
    ("Reduce waiting times in the fracture clinic by 25% by the end of next month.", [], None),
    ("Reduce agency nursing spend on the medical wards by £200,000 by the end of the financial year.", [], None),
    ("Reduce medication errors on the children's ward from 10 to 5 per 1,000 doses by 2027/28.", [], None),
    ("Cut the number of cancelled operations in day surgery by a third in the next 6 months.", [], None),
    ("Reduce C. diff infections on the care of the elderly wards to no more than 2 a quarter by FY2027.", [], None),
    ("Over the next year, halve the number of complaints about communication in the maternity unit.", [], None),
    ("Eliminate never events in theatres by the start of 2027.", [], None),
    ("Achieve 95% uptake of flu vaccination among frontline staff by the end of November.", [], None),
    ("Reduce the number of calls to the switchboard that ring more than 30 seconds from 20% to 5% by mid-2027.", [], None),
    ("Reduce the proportion of blood samples rejected by the laboratory from 4% to 2% by 31 May.", [], None),
    ("By 31/12/2027, reduce DNA rates in paediatric outpatients from 14% to 8%.", [], None),
    ("Decrease waits in A&E from 6 hours to 4 hours by this winter.", [], None),
    ("By next winter, reduce ambulance handover delays over 60 minutes at the emergency department to zero.", [], None),
    ("Reduce sickness absence among porters from 8% to 5% in 12 months' time.", [], None),
    ("Reduce falls on Ward 7 by 1/3 by June 2027.", [], None),
    ("Reduce falls from 8 to 4 per month on Ward 7 by the end of the quarter.", [], None),
    ("Reduce stock-outs in the pharmacy store from 25 a month to 5 a month by Q4.", [], None),
    ("Reduce the backlog of repair jobs in estates from 400 to 150 by the end of the year.", [], None),
    ("Increase the number of improvement ideas submitted by community teams from 5 to 20 a month by September 2027.", [], None),
    ("Reduce the proportion of outpatient letters sent more than 7 days after clinic from 40% to 10% by the end of this financial year.", [], None),
    ("Reduce the time patients on Ward 8 wait for discharge medicines from 4 hours to 2 hours by the end of March 2027.", [], None),
    ("Cut waits for patients in outpatients to under 18 days within 6 months.", [], None),
    ("Increase the proportion of patients discharged before noon to 40% by June 2026.", [], None),
    ("Triage 90% of patients arriving at the emergency department within 15 minutes by June 2026.", [], None),
    ("By the end of the next quarter, reduce missed doses on Ward 3 from 40 to 10 a month.", [], None),
    ("Reduce falls on Ward 7 by 20% by 2026-12-31.", [], None),
    ("Reduce falls on Ward 7 by 20% by Dec 31.", [], None),
    ("Reduce falls on Ward 7 by 20% within one year.", [], None),
    ("Reduce falls on Ward 7 by 20% by autumn 2027.", [], None),
    ("Cut the time porters take to answer a bleep to under 5 minutes for 90% of calls by spring.", [], None),
    ("Reduce the number of days invoices wait for approval in the finance department from 21 to 7 by 1 April 2027.", [], None),
    # --- A duration inside the measure is not a deadline ----------------------------------------------
    ("Reduce the number of patients readmitted in 6 months on Ward 7 by 20%.", [W], None),
    ("Reduce falls on Ward 7 from 8 to 4 per month within 4 weeks of admission.", [W], None),
    ("Increase the share of patients in the ENT clinic seen within 18 weeks from 80% to 92%.", [W], None),
    ("Give 95% of patients with suspected sepsis in the emergency department antibiotics within 1 hour.", [W], None),
    ("Ensure that 100% of patients on Ward 2 have a falls risk assessment within 6 hours of admission by the end of June 2027.", [], None),
    # --- A number is an amount only when it quantifies the result -----------------------------------
    ("Increase the share of patients seen within 18 weeks in the ENT clinic by March 2027.", [M], None),
    ("Increase the share of patients seen within 18 weeks in the ENT clinic to 92% by March 2027.", [], None),
    ("Reduce the number of patients waiting more than 4 hours in ED by the end of the financial year.", [M], None),
    ("Reduce the number of patients waiting more than 4 hours in the emergency department from 300 to 100 a week by Christmas 2026.", [], None),
    ("Reduce falls among patients over 75 on Ward 7 by March 2027.", [M], None),
    ("Improve handover for patients on Ward 7 by 31 March 2026.", [M], None),
    ("Improve handover between the 10 p.m. and 8 a.m. shifts on Ward 3 by June 2027.", [M], None),
    ("Reduce 30-day readmissions for patients with COVID-19 on Ward 5 by the end of the year.", [M], None),
    ("Reduce falls on the ward by one this quarter.", [], None),
    # --- Solutions, not results ---------------------------------------------------------------------
    ("Roll out electronic prescribing to all wards by April 2027.", [R, M], None),
    ("Buy three new bladder scanners for the urology ward by the summer.", [R, M], None),
    ("Train all nurses on Ward 6 in the new falls bundle by the end of the quarter.", [R, M], None),
    ("Introduce hourly rounding for patients at risk of falls on Ward 10 by 1 March 2027.", [R, M], None),
    ("All staff in the emergency department trained in SBAR by Q1 2027.", [R, M], None),
    ("We will open a discharge lounge for patients on the medical wards by January 2027.", [R, M], None),
    ("Implement a new discharge checklist on Wards 4 and 5 to reduce delayed discharges from 30% to 15% by October 2026.", [], SOLUTION),
    ("Use bed alarms to reduce falls on Ward 3 from 8 to 4 per 1,000 bed days by June 2026.", [], SOLUTION),
    ("Halve falls for patients on Ward 3 by June 2026 by introducing bed alarms.", [], SOLUTION),
    # --- Direction ----------------------------------------------------------------------------------
    ("Reduce hand hygiene compliance on Ward 3 from 90% to 70% by June 2027.", [], DIRECTION),
    ("Increase length of stay for hip fracture patients from 14 to 21 days by the end of the year.", [], DIRECTION),
    ("Reduce the share of patients on Ward 2 given a discharge summary from 60% to 80% by March 2027.", [], DIRECTION),
    ("Increase hand hygiene compliance among staff on the children's ward from 70% to 95% by December 2026.", [], None),
    ("Increase the number of patients on Ward 3 with no falls during their stay from 80% to 95% by June 2027.", [], None),
    # --- Missing parts ------------------------------------------------------------------------------
    ("Reduce waiting times in the fracture clinic.", [M, W], None),
    ("Reduce waiting times in the fracture clinic by 25%.", [W], None),
    ("Do better on sepsis.", [M, W, F], None),
    ("Reduce falls by 50% by March 2026", [F], None),
    ("By the end of March, cut the number of falls by half.", [F], None),
    ("Reduce falls on Ward 7 from 8 to 4 a month", [W], None),
    ("Improve handover", [M, W, F], None),
]  # fmt: skip


def test_the_table_is_large_and_has_both_kinds():
    assert len(TABLE) >= 60
    assert sum(not missing for _aim, missing, _note in TABLE) >= 30
    assert sum(bool(missing) for _aim, missing, _note in TABLE) >= 25


@pytest.mark.parametrize(("aim", "missing", "note"), TABLE, ids=[row[0][:60] for row in TABLE])
def test_the_checker_judges_each_aim(aim, missing, note):
    check = check_aim(aim)
    assert check.missing == missing
    assert check.ok is (not missing)
    notes = " ".join(check.notes)
    assert ("names a solution" in notes) is (note == SOLUTION)
    assert ("Check the direction" in notes) is (note == DIRECTION)


def test_a_solution_only_aim_is_told_to_name_the_result():
    check = check_aim("Put bed alarms on all 28 beds on Ward 7B by March.")
    assert not check.result and not check.ok
    assert check.advice[0].startswith("Name the result the work should change")
    assert "change idea" in check.advice[0]


def test_a_measure_duration_is_explained_in_the_deadline_advice():
    check = check_aim(
        "Reduce the time to first appointment to within 4 weeks for 90% of new patients "
        "in the diabetes clinic."
    )
    assert check.missing == ["by when"]
    assert "not a deadline" in check.advice[0]


def test_the_lesson_and_the_charter_use_this_checker():
    from champion.improvement.models import project
    from champion.learning.grading import kinds

    assert kinds.check_aim is check_aim and project.check_aim is check_aim
    for aim, missing, _note in TABLE[:20]:
        result = kinds.grade("aim_statement", {}, {"text": aim})
        assert result.passed is (not missing)
        assert [c["ok"] for c in result.feedback["checks"]] == [
            part not in missing for part in ("result", "how much", "by when", "for whom")
        ]


def test_the_package_imports_no_django():
    import subprocess
    import sys

    code = "import sys, champion.aims; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
