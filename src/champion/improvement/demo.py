"""Riverside Health's improvement work: eight projects at different phases, with complete
tools, driver diagrams and PDSA ramps (all invented).

Idempotent: a project that already exists (by title, in the organisation) is left alone,
so `champion demo` can run twice. Dates are relative to today so the demo stays current.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from django.utils import timezone

from champion.accounts.models import Organisation, Role, Unit, User
from champion.core.words import quoted
from champion.improvement.measures_link import link_measure
from champion.improvement.models import (
    ChangeIdea,
    Driver,
    PDSACycle,
    Project,
    ProjectMember,
    Stage,
    Tool,
)
from champion.improvement.tools import spec_for
from champion.measures.services import DataPoint, Measure, Phase

D = "riverside.example"


def _ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def _person(org: Organisation, unit: Unit, role: str = Role.MEMBER, index: int = 0) -> User | None:
    people = list(
        User.objects.filter(
            organisation=org, memberships__unit=unit, memberships__role=role
        ).order_by("pk")
    )
    return people[index % len(people)] if people else None


# Each project: unit, charter, status/phase, team, tools, drivers -> change ideas -> ramps.
# A ramp is a list of cycles: (days ago started or None, stage, prediction, do, study, decision).
PROJECTS: list[dict[str, Any]] = [
    {
        "title": "Fewer falls on Ward 7",
        "unit": "Ward 7 - Acute Medicine",
        "topic": "falls, patient safety, night shift",
        "method": "mfi",
        "status": "active",
        "phase": "implementing",
        "started": 760,
        "problem": "Ward 7 had 31 inpatient falls in 6 months (6.5 per 1,000 bed days, against 5.6 across the hospital); 70% happened between 22:00 and 06:00, mostly on the way to the toilet.",
        "aim": "Reduce inpatient falls on Ward 7 from 6.5 to 4 per 1,000 bed days by 31 March 2027.",
        "scope_in": "All adult inpatients on Ward 7, all shifts.",
        "scope_out": "Falls in the discharge lounge; changes to bed stock.",
        "result": "Falls fell from 6.5 to about 4.2 per 1,000 bed days after the admission checklist and the bell clips were adopted (a sustained shift on the U chart from spring 2025). Now testing patient-facing changes to reach 4.",
        "team": {
            "lead": ["leader"],
            "sponsor": ["executive"],
            "coach": ["coach"],
            "member": ["member", "@unit:1", "@unit:2"],
        },
        "drivers": [
            (
                "Reliable falls risk assessment",
                [
                    ("Assessment on admission", ["Falls checklist in the admission pack"]),
                    ("Reassessment after any change", ["Falls risk prompt at the safety huddle"]),
                ],
            ),
            (
                "Safe environment at night",
                [
                    ("Call bell and aids within reach", ["Bay check at each intentional rounding"]),
                    ("Lighting and clear routes", ["Night lights in bays 1-4"]),
                ],
            ),
            (
                "Patients and families involved",
                [
                    ("Patients know to call, don't fall", ["'Call don't fall' bedside card"]),
                ],
            ),
        ],
        "ramps": {
            "Falls checklist in the admission pack": [
                (
                    720,
                    Stage.DONE,
                    "Of the next 5 admissions on one day shift, at least 4 will have the risk assessed within 6 hours.",
                    "Tried with 5 admissions on Tuesday's day shift; the checklist was missed when the admission came via the side room.",
                    "4 of 5 assessed within 6 hours (80%): prediction held. The missed one was a transfer, not an admission.",
                    "adapt",
                ),
                (
                    690,
                    Stage.DONE,
                    "With transfers included, 9 of 10 patients on two shifts will be assessed within 6 hours.",
                    "Added a sticker to transfer notes; ran for two day shifts.",
                    "9 of 10 within 6 hours. Night staff asked for the same checklist.",
                    "adapt",
                ),
                (
                    660,
                    Stage.DONE,
                    "On nights too, at least 90% assessed within 6 hours over one week.",
                    "All shifts for a week, 38 admissions and transfers.",
                    "36 of 38 (95%) assessed within 6 hours: better than predicted.",
                    "adopt",
                ),
            ],
            "Bay check at each intentional rounding": [
                (
                    645,
                    Stage.DONE,
                    "Two nurses on one night shift will find call bells out of reach in fewer than 2 of 8 checks per bay.",
                    "Bay checks at 23:00, 01:00, 03:00 and 05:00 in bays 1 and 2.",
                    "Bells out of reach in 5 of 32 checks; mostly after toileting. Prediction did not hold.",
                    "adapt",
                ),
                (
                    615,
                    Stage.DONE,
                    "With a bell clip on every bed rail, out-of-reach bells fall to 1 in 32 checks.",
                    "Clips fitted in bays 1-2; same check schedule for three nights.",
                    "1 of 32 checks; staff like the clips. One patient complained the clip pinched the cable.",
                    "adopt",
                ),
            ],
            "'Call don't fall' bedside card": [
                (
                    7,
                    Stage.DO,
                    "At least 7 of 10 patients asked will remember to call before getting up at night.",
                    "",
                    "",
                    "",
                ),
            ],
            "Night lights in bays 1-4": [
                (None, Stage.PLAN, "", "", "", ""),
            ],
        },
        "tools": [
            (
                "fishbone",
                "Why patients fall at night on Ward 7",
                {"effect": "Patients fall at night on Ward 7"},
                [
                    ("People", "Agency staff unfamiliar with high-risk patients"),
                    ("People", "Patients reluctant to use the call bell"),
                    ("Methods", "Risk assessment not repeated after a change"),
                    ("Methods", "No intentional rounding at night"),
                    ("Equipment", "Call bells out of reach after toileting"),
                    ("Equipment", "Too few low-rise beds"),
                    ("Environment", "Dim lighting in bays at night"),
                    ("Environment", "Long walk from bays 3-4 to the toilet"),
                    ("Materials", "Non-slip socks often out of stock"),
                    ("Measurement", "Falls reported days late"),
                ],
            ),
            (
                "pareto",
                "Falls by location, last 6 months",
                {"measure": "Inpatient falls by location", "period": "Ward 7, April to September"},
                [
                    ("Bedside", 12),
                    ("Route to toilet", 9),
                    ("Toilet or bathroom", 5),
                    ("Corridor", 3),
                    ("Day room", 2),
                ],
            ),
            (
                "five_whys",
                "5 whys: the night fall in bay 3",
                {
                    "problem": "Mr B fell at 03:00 walking to the toilet",
                    "countermeasure": "Bell clip on every bed rail, checked at each rounding",
                },
                [
                    ("He got up alone to go to the toilet",),
                    ("He didn't call for help",),
                    ("The call bell was out of reach",),
                    ("It had been left on the chair after his last toilet visit",),
                    ("Nobody checks the bell position after toileting",),
                ],
            ),
            (
                "stakeholders",
                "Stakeholders",
                {},
                [
                    (
                        "Night staff nurses",
                        "Workload at night",
                        "high",
                        "doubtful",
                        "supportive",
                        "Join the night huddle; their ideas first",
                    ),
                    (
                        "Healthcare assistants",
                        "Rounding takes time",
                        "medium",
                        "neutral",
                        "champion",
                        "HCA falls champion on each shift",
                    ),
                    (
                        "Estates",
                        "Night-light installation",
                        "medium",
                        "neutral",
                        "supportive",
                        "Sponsor to raise at estates meeting",
                    ),
                    (
                        "Patients and families",
                        "Independence and dignity",
                        "medium",
                        "supportive",
                        "champion",
                        "Bedside card and a 1-minute talk",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Discharge before noon on Ward 9",
        "unit": "Ward 9 - Respiratory",
        "topic": "patient flow, discharge, length of stay",
        "method": "mfi",
        "status": "finished",
        "phase": "spreading",
        "started": 300,
        "finished": 30,
        "problem": "Only 12% of Ward 9 discharges left before noon, so admissions from the emergency department waited for beds until late afternoon (median 5.5 hours).",
        "aim": "Increase the proportion of Ward 9 patients discharged before noon from 12% to 35% by the end of September 2026.",
        "scope_in": "Planned discharges from Ward 9 on weekdays.",
        "scope_out": "Weekend discharges; transfers to other hospitals.",
        "result": "Discharges before noon rose from 12% to 38% and have stayed there for 14 weeks; ED waits for a Ward 9 bed fell from 5.5 to 3.1 hours. Adopted: the 'tomorrow's discharges' list and TTOs written the day before. Being spread to Ward 7.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["executive"],
            "coach": ["coach"],
            "member": ["@unit:0", "@unit:1", "@pharmacy"],
        },
        "drivers": [
            (
                "Discharges planned the day before",
                [
                    (
                        "Everyone knows tomorrow's discharges",
                        ["'Tomorrow's discharges' list at the 15:00 huddle"],
                    ),
                    ("Medicines ready on the morning", ["TTOs written the day before"]),
                ],
            ),
            (
                "Smooth morning process",
                [
                    ("Transport booked early", ["Transport booked at the huddle"]),
                ],
            ),
        ],
        "ramps": {
            "'Tomorrow's discharges' list at the 15:00 huddle": [
                (
                    280,
                    Stage.DONE,
                    "On 3 weekdays, at least 2 patients per day will be named for the next morning.",
                    "Tried on Monday to Wednesday with the ward sister.",
                    "2, 3 and 1 patients named; 5 of 6 left before noon.",
                    "adapt",
                ),
                (
                    260,
                    Stage.DONE,
                    "With the consultant at the huddle, 3 per day will be named for 1 week.",
                    "Consultant joined the huddle for a week.",
                    "Average 3.2 per day named; 80% left before noon.",
                    "adapt",
                ),
                (
                    240,
                    Stage.DONE,
                    "Led by the nurse in charge when the consultant is away, the huddle will still name 3 patients a day over 2 weeks.",
                    "The nurse in charge ran the 15:00 huddle on 4 of the 10 weekdays.",
                    "3.1 named a day on her days and 3.3 on the others: the prediction held.",
                    "adopt",
                ),
            ],
            "TTOs written the day before": [
                (
                    250,
                    Stage.DONE,
                    "If TTOs are written the day before, pharmacy will have 90% ready by 10:00.",
                    "Junior doctors wrote TTOs at 16:00 for named patients, one week.",
                    "88% ready by 10:00; close to prediction.",
                    "adopt",
                ),
            ],
            "Transport booked at the huddle": [
                (
                    230,
                    Stage.DONE,
                    "Booking at the huddle will get 80% of transport before 11:00.",
                    "Clerk booked at the 15:00 huddle.",
                    "Only 55%: the provider's morning slots are full. Not within our control now.",
                    "abandon",
                ),
            ],
        },
        "tools": [
            (
                "process_map",
                "Discharge day, as it was",
                {"process": "Discharge on the day, before the project"},
                [
                    ("Consultant ward round decides discharge", "Consultant", "va", 10),
                    ("Wait for TTO to be written", "Junior doctor", "waste", 120),
                    ("Pharmacy dispenses TTO", "Pharmacy", "nva", 90),
                    ("Transport booked", "Ward clerk", "nva", 20),
                    ("Wait for transport", "Patient", "waste", 150),
                    ("Discharge letter and advice", "Nurse", "va", 20),
                    ("Patient leaves the ward", "Nurse", "va", 5),
                ],
            ),
            (
                "change_plan",
                "Sustain and spread",
                {},
                [
                    (
                        "Add 'tomorrow's discharges' to the huddle template",
                        "Ward sister",
                        _ago(60).isoformat(),
                        "done",
                    ),
                    (
                        "Teach new junior doctors TTO-the-day-before at induction",
                        "Clinical lead",
                        _ago(20).isoformat(),
                        "done",
                    ),
                    (
                        "Share the method with Ward 7",
                        "Project lead",
                        _ago(-30).isoformat(),
                        "doing",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Door-to-triage within 15 minutes in the Emergency Department",
        "unit": "Emergency Department",
        "topic": "emergency department, triage, waiting",
        "method": "dmaic",
        "status": "active",
        "phase": "analyse",
        "tollgates": ["define", "measure"],
        "started": 90,
        "problem": "Median time from arrival to triage is 27 minutes; 38% of patients wait over 30 minutes, peaking 10:00-14:00.",
        "aim": "Triage 90% of patients arriving at the emergency department within 15 minutes by June 2026.",
        "scope_in": "Walk-in adults at the main ED reception.",
        "scope_out": "Ambulance arrivals; paediatric ED.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@hospital:leader"],
            "coach": ["coach"],
            "member": ["@unit:0", "@unit:3"],
        },
        "tools": [
            (
                "sipoc",
                "SIPOC: ED arrival to triage",
                {
                    "process": "Walk-in arrival to triage",
                    "starts": "Patient arrives at reception",
                    "ends": "Triage category recorded",
                },
                [
                    (
                        "Patient",
                        "Symptoms and details",
                        "Book in at reception",
                        "Registration record",
                        "Triage nurse",
                    ),
                    (
                        "GP / NHS 111",
                        "Referral letter",
                        "Wait in the waiting room",
                        "Queue position",
                        "Patient",
                    ),
                    (
                        "Registration clerk",
                        "Registration",
                        "Call to triage",
                        "Triage category",
                        "ED doctors",
                    ),
                    ("", "", "Triage assessment", "Observations", "Majors / minors streams"),
                ],
            ),
            (
                "pareto",
                "Reasons for waits over 30 minutes",
                {
                    "measure": "Delays to triage over 30 minutes, by reason",
                    "period": "2 weeks in October, tally sheet at the triage desk",
                },
                [
                    ("Triage nurse on breaks/other tasks", 41),
                    ("Registration queue", 28),
                    ("Triage room occupied", 17),
                    ("Patient not in waiting room", 8),
                    ("IT system slow", 4),
                ],
            ),
            (
                "fmea",
                "FMEA: the triage queue",
                {"process": "Arrival to triage"},
                [
                    (
                        "Registration",
                        "Patient not registered for 20+ minutes",
                        "Delayed triage",
                        "One clerk at peak",
                        7,
                        6,
                        3,
                        "Second clerk 10:00-14:00",
                        "Patient access manager",
                        7,
                        3,
                        3,
                    ),
                    (
                        "Queue",
                        "Deteriorating patient not noticed",
                        "Harm in the waiting room",
                        "No visual check of the queue",
                        10,
                        3,
                        6,
                        "Streaming nurse scans the room every 15 min",
                        "ED matron",
                        10,
                        3,
                        3,
                    ),
                    (
                        "Triage",
                        "Triage nurse pulled into majors",
                        "Queue grows",
                        "No protected role",
                        6,
                        7,
                        2,
                        "Protected triage nurse rota",
                        "ED matron",
                        None,
                        None,
                        None,
                    ),
                    (
                        "Triage",
                        "Wrong triage category",
                        "Under-triage",
                        "Fatigue",
                        8,
                        2,
                        5,
                        "",
                        "",
                        None,
                        None,
                        None,
                    ),
                ],
            ),
        ],
    },
    {
        "title": "First theatre case starting on time",
        "unit": "Operating Theatres",
        "topic": "theatres, productivity, on-time start",
        "method": "dmaic",
        "status": "finished",
        "phase": "control",
        "tollgates": ["define", "measure", "analyse", "improve"],
        "started": 360,
        "finished": 45,
        "problem": "Only 41% of first cases started by 08:45; the average late start cost 24 minutes of theatre time per list.",
        "aim": "Start 80% of first theatre cases by 08:45 for elective lists by the end of 2025.",
        "scope_in": "Elective weekday lists, all specialties.",
        "scope_out": "Emergency theatre.",
        "result": "On-time first starts rose from 41% to 83% (control chart shift from week 22), saving about 19 hours of theatre time a month. Control plan owned by the theatre manager.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@surgery:leader"],
            "coach": ["coach"],
            "member": ["@unit:0", "@unit:1", "@unit:3"],
        },
        "tools": [
            (
                "fmea",
                "FMEA: morning start",
                {"process": "Patient ready to first incision"},
                [
                    (
                        "Consent",
                        "Consent not confirmed",
                        "Start delayed",
                        "Surgeon not on the ward by 08:00",
                        5,
                        7,
                        2,
                        "Consent at pre-op clinic",
                        "Surgical leads",
                        5,
                        2,
                        2,
                    ),
                    (
                        "Transfer",
                        "Porter not available",
                        "Patient late to theatre",
                        "Porter shift starts 08:00",
                        4,
                        6,
                        3,
                        "Porter shift moved to 07:30",
                        "Porter supervisor",
                        4,
                        2,
                        3,
                    ),
                    (
                        "Team brief",
                        "Brief starts late",
                        "Everything starts late",
                        "Anaesthetist late",
                        5,
                        5,
                        2,
                        "Brief at 08:00 fixed, whoever is there",
                        "Theatre manager",
                        5,
                        2,
                        2,
                    ),
                ],
            ),
            (
                "change_plan",
                "Control plan",
                {},
                [
                    (
                        "Weekly on-time start chart at the theatre huddle",
                        "Theatre manager",
                        _ago(100).isoformat(),
                        "done",
                    ),
                    (
                        "Reaction plan: two late starts in a week = review at huddle",
                        "Theatre manager",
                        _ago(90).isoformat(),
                        "done",
                    ),
                ],
            ),
        ],
    },
    {
        "title": "Medicines reconciled within 24 hours of admission",
        "unit": "Pharmacy",
        "topic": "medicines, reconciliation, patient safety",
        "method": "a3",
        "status": "active",
        "phase": "countermeasures",
        "started": 75,
        "problem": "Only 54% of patients admitted to medical wards had their medicines reconciled within 24 hours; unreconciled medicines are a leading cause of medication incidents.",
        "aim": "Reconcile medicines within 24 hours for 85% of patients admitted to medical wards by April 2026.",
        "scope_in": "Admissions to Wards 7 and 9.",
        "scope_out": "Surgical admissions; weekends for now.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@hospital:leader"],
            "coach": ["coach"],
            "member": ["@unit:0", "@unit:1"],
        },
        "tools": [
            (
                "five_whys",
                "5 whys: late reconciliations",
                {
                    "problem": "Half of medical admissions are not reconciled within 24 hours",
                    "countermeasure": "Pharmacy technician reconciles from the GP record at the admission huddle",
                },
                [
                    ("Pharmacists reach patients late in the day",),
                    ("They work through wards in a fixed order",),
                    ("There is no list of new admissions by time",),
                    ("The bed system doesn't flag new admissions to pharmacy",),
                ],
            ),
            (
                "fishbone",
                "Causes of late reconciliation",
                {"effect": "Medicines not reconciled within 24 hours"},
                [
                    ("People", "Pharmacist vacancies"),
                    ("Methods", "Wards visited in a fixed order"),
                    ("Methods", "No prioritisation by admission time"),
                    ("Equipment", "GP record access slow"),
                    ("Environment", "Admissions peak in the evening"),
                    ("Measurement", "Reconciliation time not recorded"),
                ],
            ),
        ],
        "drivers": [
            (
                "Pharmacy knows who was admitted",
                [("Admission list for pharmacy", ["Admissions list printed at 08:30"])],
            ),
            (
                "Capacity where the need is",
                [
                    (
                        "Technicians reconcile straightforward cases",
                        ["Technician-led reconciliation"],
                    )
                ],
            ),
        ],
        "ramps": {
            "Admissions list printed at 08:30": [
                (
                    40,
                    Stage.DONE,
                    "With the list, 70% of yesterday's admissions will be seen by 12:00.",
                    "List printed on 3 weekdays.",
                    "72% seen by 12:00.",
                    "adopt",
                ),
            ],
            "Technician-led reconciliation": [
                (
                    20,
                    Stage.STUDY,
                    "A trained technician will complete 8 reconciliations a morning with no errors on pharmacist check.",
                    "Technician did 9, 7 and 8 on three mornings.",
                    "",
                    "",
                ),
            ],
        },
    },
    {
        "title": "Fewer missed outpatient appointments",
        "unit": "Outpatients",
        "topic": "outpatients, DNA, missed appointments",
        "method": "mfi",
        "status": "active",
        "phase": "changes",
        "started": 40,
        "problem": "11% of outpatient appointments at Hillside are not attended (DNA), about 310 a month, while waiting lists grow.",
        "aim": "Reduce missed appointments (DNA) for adult patients booked into Hillside outpatient clinics from 11% to 7% by September 2026.",
        "scope_in": "Adult outpatient clinics at Hillside.",
        "scope_out": "Community clinics.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@hospital:leader"],
            "coach": ["@hospital:coach"],
            "member": ["@unit:0", "@access"],
        },
        "tools": [
            (
                "pareto",
                "Reasons for missed appointments",
                {
                    "measure": "DNA reasons from follow-up calls",
                    "period": "Hillside outpatients, one month",
                },
                [
                    ("Forgot", 64),
                    ("Letter not received", 41),
                    ("Transport problems", 22),
                    ("Felt better", 18),
                    ("Clash with work", 15),
                    ("Other", 9),
                ],
            ),
            (
                "stakeholders",
                "Stakeholders",
                {},
                [
                    (
                        "Patients",
                        "Easy to rebook",
                        "high",
                        "neutral",
                        "supportive",
                        "Patient panel reviews reminder wording",
                    ),
                    (
                        "Clinic coordinators",
                        "Extra calls",
                        "medium",
                        "doubtful",
                        "supportive",
                        "Automated text reminders first",
                    ),
                ],
            ),
        ],
        "drivers": [
            (
                "Patients remember",
                [("Reminders that reach people", ["Text reminder 3 days before"])],
            ),
            (
                "Easy to rebook",
                [("One number that answers", ["Rebooking line staffed at lunchtime"])],
            ),
        ],
        "ramps": {
            "Text reminder 3 days before": [
                (None, Stage.PLAN, "", "", "", ""),
            ],
        },
    },
    {
        "title": "Pressure ulcer prevention in community nursing",
        "unit": "Community Nursing",
        "topic": "pressure ulcers, community, skin care",
        "method": "mfi",
        "status": "draft",
        "phase": "aim",
        "started": None,
        "problem": "Community nursing caseloads reported 19 new category 2+ pressure ulcers last quarter.",
        "aim": "Reduce pressure ulcers.",
        "scope_in": "Housebound patients on the district nursing caseload.",
        "scope_out": "",
        "team": {"lead": ["@unit:0:leader"], "member": ["@unit:0"]},
        "tools": [],
    },
    {
        "title": "Getting rehab patients up and dressed",
        "unit": "Rehabilitation Ward",
        "topic": "rehabilitation, mobility, deconditioning",
        "method": "a3",
        "status": "on_hold",
        "phase": "current",
        "started": 150,
        "problem": "On a sample day, 9 of 20 rehabilitation patients were still in bed clothes at 11:00; deconditioning lengthens stays.",
        "aim": "Have 80% of rehabilitation ward patients up and dressed by 11:00 by July 2026.",
        "scope_in": "Rehabilitation Ward, weekday mornings.",
        "scope_out": "Patients on end-of-life care.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@hospital:leader"],
            "member": ["@unit:0", "@unit:1"],
        },
        "tools": [
            (
                "process_map",
                "Morning routine",
                {"process": "Waking to dressed"},
                [
                    ("Wake and observations", "Nurse", "nva", 10),
                    ("Breakfast in bed", "HCA", "nva", 30),
                    ("Wait for help to wash", "Patient", "waste", 45),
                    ("Wash and dress", "HCA", "va", 20),
                    ("Therapy session", "Physiotherapist", "va", 30),
                ],
            ),
        ],
    },
    {
        "title": "Fewer falls on the Rehabilitation Ward",
        "unit": "Rehabilitation Ward",
        "topic": "falls, patient safety",
        "method": "mfi",
        "status": "finished",
        "phase": "spreading",
        "started": 800,
        "finished": 200,
        "problem": "The Rehabilitation Ward had about 8 falls per 1,000 bed-days, most at night when patients got up alone to use the toilet.",
        "aim": "Reduce falls on the Rehabilitation Ward from 8 to 6 per 1,000 bed-days by 31 December 2025.",
        "scope_in": "Inpatients on the Rehabilitation Ward.",
        "scope_out": "Falls during therapy sessions in the gym.",
        "result": "Bed and chair sensors, tested on four bays first, brought falls down; the ward kept them after the project ended.",
        "team": {
            "lead": ["@unit:0:leader"],
            "sponsor": ["@hospital:leader"],
            "coach": ["coach"],
            "member": ["@unit:0"],
        },
        "drivers": [
            (
                "Patients at risk are noticed before they get up alone",
                [("Someone knows when a patient gets up at night", ["Bed and chair sensors"])],
            ),
        ],
    },
]


# Each project's family of measures, from the Measure app's demo: (unit, measure, role).
MEASURES: dict[str, list[tuple[str, str, str]]] = {
    "Fewer falls on Ward 7": [
        ("Ward 7 - Acute Medicine", "Inpatient falls per 1,000 bed-days", "outcome"),
        ("Ward 7 - Acute Medicine", "Pressure ulcers (category 2+)", "balancing"),
    ],
    "Discharge before noon on Ward 9": [
        ("Pharmacy", "Discharge prescriptions ready in 2 hours", "process"),
        ("Riverside General Hospital", "30-day emergency readmissions", "balancing"),
    ],
    "Door-to-triage within 15 minutes in the Emergency Department": [
        ("Emergency Department", "Door-to-provider time", "outcome"),
        ("Emergency Department", "Patients seen within 4 hours", "process"),
        ("Emergency Department", "Left without being seen", "balancing"),
    ],
    "First theatre case starting on time": [
        ("Operating Theatres", "First case on time", "outcome"),
        ("Operating Theatres", "Theatre utilisation", "process"),
        ("Operating Theatres", "Cancelled operations on the day", "balancing"),
    ],
    "Medicines reconciled within 24 hours of admission": [
        ("Ward 7 - Acute Medicine", "Medication omissions", "outcome"),
        ("Pharmacy", "Dispensing errors reaching the ward", "balancing"),
    ],
    "Fewer missed outpatient appointments": [
        ("Outpatients", "Did not attend rate", "outcome"),
        ("Outpatients", "Clinic start delays", "balancing"),
    ],
    "Fewer falls on the Rehabilitation Ward": [
        ("Rehabilitation Ward", "Inpatient falls per 1,000 bed-days", "outcome"),
    ],
    "Getting rehab patients up and dressed": [
        ("Rehabilitation Ward", "Therapy minutes per patient per day", "process"),
        ("Rehabilitation Ward", "Patients discharged home", "outcome"),
    ],
}


def _resolve(org: Organisation, unit: Unit, token: str) -> User | None:
    """Who a team token names: a fixed demo sign-in, or someone from a unit by role."""
    units = {u.name: u for u in Unit.objects.filter(organisation=org)}
    if not token.startswith("@"):
        return User.objects.filter(email=f"{token}@{D}").first()
    parts = token[1:].split(":")
    where = parts[0]
    target = {
        "unit": unit,
        "pharmacy": units.get("Pharmacy"),
        "access": units.get("Patient Access"),
        "surgery": units.get("Surgery"),
        "hospital": next((a for a in unit.ancestors() if a.kind == "hospital"), unit),
    }.get(where, unit)
    if target is None:
        return None
    if len(parts) > 1 and parts[-1] in ("leader", "coach"):
        index = int(parts[1]) if len(parts) == 3 else 0
        return _person(org, target, parts[-1], index)
    index = int(parts[1]) if len(parts) > 1 else 0
    return _person(org, target, Role.MEMBER, index)


def _columns(kind: str) -> list[str]:
    return [c.name for c in spec_for(kind).columns]


def build(org: Organisation | None) -> Organisation:
    assert org is not None, "the accounts demo builder runs first"
    for spec in PROJECTS:
        _build_project(org, spec)
    return org


def _build_project(org: Organisation, spec: dict[str, Any]) -> Project | None:
    unit = Unit.objects.filter(organisation=org, name=spec["unit"]).first()
    if unit is None:
        return None
    existing = Project.objects.filter(unit__organisation=org, title=spec["title"]).first()
    if existing is not None:
        return existing
    lead = _resolve(org, unit, spec["team"]["lead"][0])
    project = Project.objects.create(
        unit=unit,
        title=spec["title"],
        topic=spec.get("topic", ""),
        problem_statement=spec["problem"],
        aim_statement=spec["aim"],
        scope_in=spec.get("scope_in", ""),
        scope_out=spec.get("scope_out", ""),
        method=spec["method"],
        status=spec["status"],
        phase=spec["phase"],
        result_summary=spec.get("result", ""),
        started_on=_ago(spec["started"]) if spec.get("started") else None,
        finished_on=_ago(spec["finished"]) if spec.get("finished") else None,
        created_by=lead,
        updated_by=lead,
        tollgates={
            gate: {
                "by": "Marcus Lindqvist",
                "by_id": None,
                "at": _ago(spec["started"] - 20 * (i + 1)).isoformat(),
                "note": "Charter and data reviewed.",
            }
            for i, gate in enumerate(spec.get("tollgates", []))
        },
    )
    for role, tokens in spec["team"].items():
        for token in tokens:
            person = _resolve(org, unit, token)
            if person is not None:
                ProjectMember.objects.get_or_create(project=project, user=person, role=role)
    for kind, title, header, rows in spec.get("tools", []):
        names = _columns(kind)
        Tool.objects.create(
            project=project,
            kind=kind,
            title=title,
            data={"header": header, "rows": [dict(zip(names, row, strict=False)) for row in rows]},
            updated_by=lead,
        )
    ideas: dict[str, ChangeIdea] = {}
    for p_order, (primary_text, secondaries) in enumerate(spec.get("drivers", [])):
        primary = Driver.objects.create(project=project, text=primary_text, order=p_order)
        for s_order, (secondary_text, changes) in enumerate(secondaries):
            secondary = Driver.objects.create(
                project=project, parent=primary, text=secondary_text, order=s_order
            )
            for text in changes:
                ideas[text] = ChangeIdea.objects.create(
                    project=project, driver=secondary, text=text, order=len(ideas)
                )
    for change_text, ramp in spec.get("ramps", {}).items():
        previous = None
        for number, (days, stage, prediction, do, study, decision) in enumerate(ramp, start=1):
            start = _ago(days) if days is not None else None
            previous = PDSACycle.objects.create(
                project=project,
                change_idea=ideas.get(change_text),
                previous=previous,
                title=f"{change_text} — cycle {number}",
                stage=stage,
                question=f"Will {quoted(change_text[:80])} work here, and what does it take?"
                if prediction
                else "",
                prediction=prediction,
                plan_who="Ward team on the shifts named",
                plan_what=change_text,
                plan_where=spec["unit"],
                plan_when=f"From {start:%d %b}" if start else "",
                data_to_collect="Tally sheet at the nurses' station; comments from staff",
                start_date=start,
                end_date=start + datetime.timedelta(days=7)
                if start and stage == Stage.DONE
                else None,
                do_notes=do,
                study_notes=study,
                prediction_held=(
                    "yes"
                    if "held" in study or "better" in study
                    else "no"
                    if "not" in study
                    else "partly"
                )
                if study
                else "",
                decision=decision,
                act_notes={
                    "adopt": "Made standard work.",
                    "adapt": "Adjust and test again.",
                    "abandon": "Stopped; noted why.",
                }.get(decision, ""),
                created_by=lead,
                updated_by=lead,
            )
    _link_measures(org, project, lead)
    return project


# Outcome measures a project created for itself (Measure's demo has none that fits):
# (unit, name, definition, rate before, [(days ago, rate from then on)], target).
OWN_MEASURES: dict[str, tuple[str, str, str, float, list[tuple[int, float]], float]] = {
    "Discharge before noon on Ward 9": (
        "Ward 9 - Respiratory",
        "Discharges before noon",
        "Planned discharges from Ward 9 that leave the ward before 12:00, of all planned "
        "discharges that week (weekdays)",
        0.12,
        [(280, 0.2), (250, 0.38)],
        35.0,
    ),
}


def _own_measure(org: Organisation, project: Project, lead: User | None) -> None:
    """The weekly percentage a project measures itself by, with the shift its changes made."""
    spec = OWN_MEASURES.get(project.title)
    unit = Unit.objects.filter(organisation=org, name=spec[0]).first() if spec else None
    if spec is None or unit is None or Measure.objects.filter(unit=unit, name=spec[1]).exists():
        return
    _, name, definition, before, steps, target = spec
    rng = np.random.default_rng(9)
    last = _ago(timezone.localdate().weekday() + 7)  # the Monday of last week
    weeks = [last - datetime.timedelta(weeks=w) for w in range(69, -1, -1)]
    measure = Measure.objects.create(
        unit=unit, name=name, kind="outcome", chart="p", definition=definition,
        unit_label="%", improvement="up", target=target, multiply=100,
        numerator="Planned discharges leaving before 12:00", denominator="Planned discharges",
        data_source="Patient administration system (discharge times)", frequency="weekly",
    )  # fmt: skip
    points = []
    for week in weeks:
        rate = before
        for days, after in steps:
            if week >= _ago(days):
                rate = after
        den = max(10, round(rng.normal(32, 3)))
        points.append(
            DataPoint(measure=measure, period=week, value=rng.binomial(den, rate), denominator=den)
        )
    DataPoint.objects.bulk_create(points)
    measure.owners.set([p for p in (lead,) if p])
    Phase.objects.create(
        measure=measure, period=_ago(steps[-1][0]), label="Discharge list and TTOs the day before"
    )
    link_measure(project, measure, "outcome", by=lead)


def _link_measures(org: Organisation, project: Project, lead: User | None) -> None:
    """Link the Measure demo's measures; starting cycles leave their marks on the charts."""
    _own_measure(org, project, lead)
    for unit_name, name, role in MEASURES.get(project.title, []):
        measure = Measure.objects.filter(
            unit__organisation=org, unit__name=unit_name, name=name
        ).first()
        if measure is not None:
            link_measure(project, measure, role, by=lead)
