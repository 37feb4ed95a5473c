"""The aim checker's rules (see the package docstring). Pure Python: no Django, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["AimCheck", "check_aim"]

# --- Building blocks ---------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_NOT_MAY = _MONTH.replace("|may|", "|")
_YEAR = r"(?:19|20)\d{2}(?:\s*/\s*(?:19|20)?\d{2}\b)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NUM_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|twenty-four|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand"
)
_NUM_D = r"\d[\d,]*(?:\.\d+)?"
_NUM = rf"(?:{_NUM_D}|{_NUM_WORDS})"
_SPAN_UNITS = r"(?:days?|weeks?|months?|years?|quarters?|fortnights?)"
_SHORT_UNITS = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)"
#: Words that, after a number, make it a quantity of something (so the number is an amount).
_QUANTITY = (
    r"(?:per|a|an|each|every|in|or|%|percent|per cent|percentage|points?|"
    rf"{_SHORT_UNITS}|{_SPAN_UNITS}|falls?|patients?|people|cases?|incidents?|errors?|"
    r"infections?|ulcers?|admissions?|readmissions?|beds?|bed-days|calls?|complaints?|"
    r"deaths?|events?|episodes?|doses?|visits?|appointments?|referrals?|cancellations?|"
    r"breaches?|shifts?|staff|nurses?|pounds|£)"
)

# --- Deadlines ---------------------------------------------------------------------------------

_LEAD = r"(?:by|before|until|till|no later than|on or before|in|during|for)"
_DEADLINES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?\b",
        rf"\b{_MONTH_NOT_MAY}\s+{_DAY}\b(?:\s*,?\s*{_YEAR})?",
        rf"\b{_MONTH}\s+{_YEAR}\b",
        rf"\b(?:{_LEAD}|end of|the end of|end-|mid-?|start of|beginning of)\s*"
        rf"(?:the\s+)?(?:(?:end|middle|start|beginning)\s+of\s+)?{_MONTH}(?![a-z])",
        rf"\b(?:{_LEAD}|end of|mid-?|start of|beginning of)\s*(?:the\s+)?"
        rf"(?:(?:end|start|beginning|middle)\s+of\s+)?{_YEAR}\b",
        rf"\bq[1-4]\b(?:\s*(?:of\s+)?{_YEAR})?",
        r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th|final|last)\s+quarter\b",
        rf"\b(?:fy|financial year|fiscal year)\s*'?{_YEAR}",
        r"\b(?:this|next|the|current|coming)\s+(?:financial|fiscal|academic|calendar)\s+year\b",
        r"\byear[- ]?end\b",
        r"\bend\s+of\s+(?:the\s+)?(?:this\s+|next\s+|current\s+|coming\s+)?(?:year|month|quarter|financial year|"
        r"fiscal year|academic year|calendar year|winter|summer|spring|autumn)\b",
        r"\b(?:this|next|the coming)\s+(?:year|month|quarter|winter|summer|spring|autumn)\b",
        r"\b(?:by|before|until|till|in|over|during|for)\s+(?:the\s+)?(?:next\s+|coming\s+)?"
        r"(?:spring|summer|autumn|winter)\b",
        r"\b(?:christmas|easter|new year)\b",
        r"\bby\s+week\s+\d+\b",
        r"\b(?:within|in|over|during)\s+(?:the|this)\s+(?:year|quarter|month)\b",
        r"\b(?:within|in|over)\s+(?:the\s+)?(?:next|coming|following)\s+(?:year|quarter|month)\b",
    )
]
#: "by 31/12": a day and month without a year. "by 1/3" is a fraction (an amount), so only
#: day >= month counts as a date (31/12, 30/6, 15/3; not 1/3, 2/3, 1/4, 3/4).
_DAY_MONTH = re.compile(r"\b(?:by|before|until|till|on)\s+(\d{1,2})/(\d{1,2})\b(?![/\d])", re.I)
#: "within 6 months", "in the next 6 months", "over the next year", "within a year".
_DURATION = re.compile(
    rf"\b(within|in|over|during|inside)\s+(?:(the)\s+)?(?:(next|coming|following)\s+)?"
    rf"({_NUM}|a|an)\s+({_SPAN_UNITS}|{_SHORT_UNITS})\b",
    re.IGNORECASE,
)
_FROM_NOW = re.compile(
    rf"\b({_NUM}|a|an)\s+{_SPAN_UNITS}\s+(?:from\s+(?:now|today|the start|launch)|'?s?\s*time)\b"
    rf"|\bin\s+({_NUM}|a|an)\s+{_SPAN_UNITS}'?\s*time\b",
    re.IGNORECASE,
)
#: Words right before "within N units" that make the duration part of the measure.
_MEASURE_BEFORE = re.compile(
    r"(?:\b(?:to|under|below|seen|given|taken|done|made|met|wait|waits|waiting|appointment|"
    r"appointments|treatment|response|responses|review|assessment|scan|results?|reply|"
    r"replies|contact|visit|follow-up|surgery|operation|decision|discharge|return|answer|"
    r"plan|letter|letters|summary|summaries|report|reports|antibiotics|care|transfer)|"
    r"[a-z]{3,}ed)\s*$",
    re.IGNORECASE,
)
_MEASURE_AFTER = re.compile(
    r"^\s*(?:of|from|after|since|following|between)\s+(?!now\b|today\b)", re.IGNORECASE
)

# --- Not amounts --------------------------------------------------------------------------------

_NOT_AMOUNTS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # places and labels: Ward 7B, Bay 4, category 2, type 2 diabetes, Band 5, step 3
        r"\b(?:wards?|bays?|rooms?|units?|theatres?|theaters?|clinics?|floors?|levels?|beds?|"
        r"blocks?|buildings?|wings?|suites?|sites?|zones?|pods?|areas?|bands?|category|"
        r"categories|grades?|stages?|types?|class|phases?|steps?|tiers?|cohorts?|teams?|"
        r"stations?|practices?|labs?|laboratory|modules?|lessons?|versions?|routes?|desks?|"
        r"gates?|doors?|lines?|lists?|cycles?|rounds?|weeks?|months?|days?|years?|pathways?|"
        r"trials?|tests?|sprint)\s+(?:no\.?\s*)?\d+[a-z]?(?:\s*(?:and|&|,|to|-)\s*\d+[a-z]?)*\b",
        # compounds: 30-day mortality, 4-hour standard, 24/7, NEWS2, COVID-19, a 30-bed ward
        r"\b\d+\s*-\s*(?:beds?|days?|hours?|weeks?|months?|years?|minutes?|points?|items?|"
        r"steps?|hr|hrs|min|mins)\b",
        r"\b24\s*/\s*7\b",
        r"\b[a-z]+-?\d+[a-z]?\b",
        # ages: aged 65 and over, over-65s, 75 years and older, patients over 75
        r"\b(?:aged|age|ages)\s+\d+(?:\s*(?:-|to|and)\s*\d+)?(?:\s*(?:and|or)\s*(?:over|above|"
        r"older|under|younger))?",
        r"\b(?:over|under|above|below)\s*-?\s*\d+s\b",
        r"\b\d+\s*(?:years?|yrs?)\s*(?:old|of age|and over|or over|and older|or older|plus|\+)",
        r"\b\d+\s*(?:-\s*)?year-olds?\b",
        r"(?<!to )\b(?:over|under|older than|younger than)\s+\d+\b(?=\s*(?:,|\.|$|and\b|or\b|"
        r"who\b|with\b|on\b|in\b|at\b|admitted\b|living\b|years\b))",
        # times of day: 10 p.m., 11:00, before noon
        r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)(?![a-z])",
        r"\b\d{1,2}:\d{2}\b",
        # a threshold that defines the measure: "patients waiting more than 4 hours"
        rf"\b(?:waiting|waits?|staying|stays?|stay|delayed|lasting)\s+(?:for\s+)?(?:more than|"
        rf"over|longer than|beyond|at least)\s+{_NUM}\s*(?:{_SHORT_UNITS}|{_SPAN_UNITS})\b",
        # a denominator is not an amount: "per 1,000 occupied bed-days"
        rf"\bper\s+{_NUM_D}\b",
    )
]

_AMOUNTS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_NUM_D}\s*(?:%|percent\b|per cent\b|percentage points?\b)",
        rf"\b(?:{_NUM_WORDS})\s+(?:percent|per cent)\b",
        rf"[£$€]\s*{_NUM_D}",
        rf"\bfrom\s+(?:an?\s+|the\s+)?(?:(?:median|mean|average|baseline|rate|level|current|"
        rf"typical)\s+)?(?:of\s+)?(?:about\s+|around\s+|approximately\s+|roughly\s+)?{_NUM}\b"
        rf".{{0,80}}?\bto\s+(?:under\s+|below\s+|less than\s+|fewer than\s+|at least\s+|"
        rf"at most\s+|no more than\s+|about\s+|within\s+)?{_NUM}\b",
        rf"\b(?:to|under|below|fewer than|less than|more than|no more than|at most|at least|"
        rf"above|exceeding|a maximum of|a minimum of|a target of|within|maximum|minimum|"
        rf"no higher than|no lower than)\s+(?:an?\s+(?:median|mean|rate|average)\s+of\s+)?"
        rf"(?:about\s+|around\s+)?(?:{_NUM_D}\b(?!\s*(?:{_MONTH})\b)|(?:{_NUM_WORDS})(?=\s+{_QUANTITY}\b))",
        rf"\bby\s+(?:{_NUM_D}(?!\s*(?:{_MONTH})\b)(?!\s*/)|\d+/\d+|half|a half|a third|a quarter|"
        rf"a fifth|a tenth|two thirds|three quarters|(?:{_NUM_WORDS})(?=\s+{_QUANTITY}\b))",
        r"\b(?:halve|halving|halved|double|doubling|doubled|triple|tripling|tripled|treble|"
        r"quadruple|eliminate|eliminating|eradicate|eradicating|zero|nil|none|nobody|no one|"
        r"no\s+(?:avoidable|preventable|unnecessary|unplanned|patients?|falls?|harm|cases?|"
        r"episodes?|incidents?|infections?|pressure ulcers?|never events?|delays?|breaches|"
        r"errors?|deaths?|missed))\b",
        rf"\b{_NUM}\s+(?:in|out of)\s+(?:every\s+)?{_NUM}\b",
        rf"\b{_NUM}\s+or\s+(?:fewer|less|more|lower|higher|under|below|above|over)\b",
        rf"\b{_NUM}\s+(?:fewer|more|less|extra|additional)\b",
        rf"\b(?:achieve|reach|attain|maintain|sustain|hit|exceed)\s+(?:at least\s+)?{_NUM_D}\b",
        rf"\b(?:prevent|avoid|save|release|free up|cut|reduce|lose|gain)\s+(?:at least\s+)?"
        rf"(?:{_NUM_D}|(?:{_NUM_WORDS})(?=\s+{_QUANTITY}\b))",
        rf"\b{_NUM_D}\s+(?:per|a|an|each)\s+(?:\d|day|week|month|year|shift|patient|admission|"
        rf"bed|thousand|hundred)",
        r"\b(?:by|to)\s+(?:half|a third|a quarter|two thirds|three quarters)\b",
        # "reduce falls by one": a number word that quantifies the change itself
        rf"\bby\s+(?:{_NUM_WORDS})\b(?=\s*(?:[.,;]|$|per\b|a\b|each\b|every\b))",
    )
]

# --- Result and solution --------------------------------------------------------------------------

_RESULT_WORDS = re.compile(
    r"\b(?:reduc\w*|decreas\w*|lower\w*|cut|cuts|cutting|halv\w*|increas\w*|rais(?:e|es|ing)|"
    r"improv\w*|shorten\w*|eliminat\w*|eradicat\w*|prevent\w*|avoid\w*|achiev\w*|reach\w*|"
    r"attain\w*|maintain\w*|sustain\w*|doubl\w*|tripl\w*|boost\w*|grow\w*|minimi[sz]\w*|"
    r"maximi[sz]\w*|speed up|bring down|drop|lessen\w*|fewer|less|shorter|faster|quicker|"
    r"higher|zero|no more than|save|saving|free up|release|ensure\w*|meet|exceed\w*|fall to|"
    r"rise to|go up|go down|come down|get better)\b",
    re.IGNORECASE,
)
_PROCESS_TARGET = re.compile(
    rf"{_NUM_D}\s*(?:%|percent|per cent)\s+of\s+(?:all\s+|new\s+|eligible\s+|adult\s+|our\s+|"
    r"the\s+)*(?:patients|people|admissions|discharges|referrals|attendances|residents|"
    r"children|babies|women|mothers|callers|calls|prescriptions|samples|specimens|cases|"
    r"episodes|users|clients|service users|families|carers|requests|orders|invoices|jobs|"
    r"appointments|letters|results|inpatients|outpatients)\b",
    re.IGNORECASE,
)
_SOLUTION_VERBS = (
    r"install|put(?: in| up| on)?|buy|purchase|procure|implement|introduce|roll out|deploy|"
    r"launch|set up|train|hire|recruit|employ|build|develop|create|establish|adopt|fit|"
    r"equip|distribute|issue|publish|write|update|upgrade|replace|use|open|"
    r"pilot|trial|design|produce|make available|bring in|move to|switch to|mandate|embed|"
    r"organi[sz]e"
)
_SOLUTION_START = re.compile(
    rf"(?:^|[,;:]\s*|\bwe\s+will\s+|\bwill\s+|\band\s+|\bthen\s+|\bto\s+)(?:{_SOLUTION_VERBS})\b",
    re.IGNORECASE,
)
_SOLUTION_DONE = re.compile(
    r"\b(?:trained|installed|bought|purchased|procured|rolled out|implemented|introduced|"
    r"in place|fitted|deployed|launched|set up|adopted|equipped|issued|distributed|"
    r"completed (?:the |their )?training)\b",
    re.IGNORECASE,
)
#: "by introducing bed alarms": a solution written into an otherwise good aim.
_SOLUTION_MEANS = re.compile(
    r"\b(?:by|through|via|with)\s+(?:introducing|using|implementing|installing|buying|adding|"
    r"starting|putting|giving|training|rolling out|deploying|launching|providing|"
    r"purchasing|the introduction of|the use of|a new)\b",
    re.IGNORECASE,
)

# --- Direction ------------------------------------------------------------------------------------

_UP = r"increas\w*|rais(?:e|es|ing)|boost\w*|doubl\w*|tripl\w*|grow\w*|maximi[sz]\w*"
_DOWN = (
    r"reduc\w*|decreas\w*|lower\w*|cut|cuts|cutting|halv\w*|shorten\w*|minimi[sz]\w*|"
    r"eliminat\w*|eradicat\w*|bring down|lessen\w*"
)
#: Things that are better when lower (harms, waits, waste) and better when higher.
_BAD = (
    r"falls?|errors?|infections?|harm|harms|waits?|waiting|delays?|complaints?|incidents?|"
    r"readmissions?|mortality|deaths?|pressure ulcers?|ulcers|cancellations?|dnas?|"
    r"did[- ]not[- ]attend|no[- ]shows?|length of stay|missed doses?|omitted doses?|"
    r"sickness|absence|turnover|vacanc\w+|overtime|agency|costs?|spend|waste|backlog|"
    r"boarding|breaches|never events?|violence|aggression|restraint|sepsis deaths|"
    r"medication errors?|clabsi|cauti|mrsa|c\.? ?diff\w*|stillbirths?|injur\w+"
)
_GOOD = (
    r"satisfaction|compliance|uptake|vaccination|screening|adherence|survival|"
    r"hand hygiene|engagement|recommend\w*|on[- ]time|productivity|throughput|"
    r"discharges? before noon|experience"
)
_DIRECTION = re.compile(
    rf"\b(?P<verb>{_UP}|{_DOWN})\b(?P<object>(?:\s+(?!from\b|to\b|by\b|among\b|for\b|on\b|in\b|"
    rf"at\b|across\b|within\b)[\w'&.-]+){{1,6}})",
    re.IGNORECASE,
)
_FROM_TO = re.compile(
    rf"\bfrom\s+(?:an?\s+|the\s+)?(?:(?:median|mean|average|baseline|rate|level)\s+)?(?:of\s+)?"
    rf"(?:about\s+)?(?P<a>{_NUM_D})\s*%?.{{0,60}}?\bto\s+(?:under\s+|below\s+|less than\s+|"
    rf"fewer than\s+|at least\s+|at most\s+|no more than\s+|about\s+)?(?P<b>{_NUM_D})",
    re.IGNORECASE,
)

_FOR_WHOM = re.compile(
    r"\b(?:patients?|people|persons?|residents?|adults?|children|child|young people|clients?|"
    r"families|family|carers?|inpatients?|outpatients?|in-patients?|out-patients?|"
    r"service users?|users?|mothers?|women|men|babies|infants|newborns?|neonates?|older|"
    r"elderly|staff|colleagues|workforce|employees|nurses?|doctors?|midwives|therapists|"
    r"pharmacists|porters|visitors?|callers?|pupils|students|learners|ward|wards|unit|units|"
    r"clinics?|department|departments|service|services|bay|bays|theatres?|icu|itu|hdu|ed|"
    r"a&e|a & e|emergency|maternity|paediatric\w*|pediatric\w*|oncology|radiology|imaging|"
    r"endoscopy|pathology|laborator\w+|lab|labs|pharmacy|pharmacies|estates|finance|payroll|"
    r"procurement|hospital|hospitals|trust|organi[sz]ation|site|sites|practice|practices|"
    r"surgery|surgeries|gp|gps|primary care|community|population|district|region|borough|"
    r"team|teams|admissions?|discharges?|referrals?|attendances?|care homes?|homes?|school|"
    r"schools|helpline|switchboard|call centre|contact centre|ambulance|wheelchair|"
    r"diabetes|dialysis|stroke|cardiology|renal|respiratory|orthopaedic\w*|surgical|medical)\b",
    re.IGNORECASE,
)

_PARTS = {
    "result": (
        "It names a result that will change.",
        "Name the result the work should change, e.g. “reduce falls” or “shorten the wait "
        "for a first appointment”. Installing, buying, training or rolling something out is "
        "a change idea to test, not an aim: say what it should change.",
    ),
    "how much": (
        "It says how much: a number to reach.",
        "Say how much: a number you can measure, ideally from today's level, e.g. “from 12 "
        "to 6 per month”, “to 95%” or “by half”.",
    ),
    "by when": (
        "It says by when.",
        "Say by when: a date or deadline, e.g. “by 31 March 2026”, “by the end of this "
        "year” or “within the next 6 months”. A time inside the measure (“seen within 4 "
        "hours”) is not a deadline.",
    ),
    "for whom": (
        "It says for whom or where.",
        "Say for whom or where: the people or place, e.g. “for patients admitted to Ward 7”.",
    ),
}


@dataclass(frozen=True)
class AimCheck:
    """What an aim statement states, advice for each part it leaves out, and notes."""

    text: str
    how_much: bool
    by_when: bool
    for_whom: bool
    result: bool = True
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.empty

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def advice(self) -> list[str]:
        """What to add; empty when the aim states every part."""
        if self.empty:
            return ["Write an aim: what will improve, by how much, by when and for whom."]
        return [_PARTS[part][1] for part in self.missing]

    def parts(self) -> list[tuple[str, bool]]:
        return [
            ("result", self.result),
            ("how much", self.how_much),
            ("by when", self.by_when),
            ("for whom", self.for_whom),
        ]

    def messages(self) -> list[tuple[str, bool, str]]:
        """(part, stated, what to say about it) for each part."""
        return [(part, found, _PARTS[part][0 if found else 1]) for part, found in self.parts()]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _deadlines(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(deadline spans, spans of durations that belong to the measure)."""
    deadlines = [m.span() for p in _DEADLINES for m in p.finditer(text)]
    for match in _DAY_MONTH.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31 and day >= month:
            deadlines.append(match.span())
    deadlines += [m.span() for m in _FROM_NOW.finditer(text)]
    measures = []
    for match in _DURATION.finditer(text):
        _lead, the, upcoming, _number, unit = match.groups()
        before, after = text[: match.start()], text[match.end() :]
        if upcoming or (the and not _number):
            deadlines.append(match.span())
        elif (
            re.fullmatch(_SHORT_UNITS, unit, re.IGNORECASE)
            or _MEASURE_AFTER.match(after)
            or _MEASURE_BEFORE.search(before)
        ):
            measures.append(match.span())
        else:
            deadlines.append(match.span())
    return deadlines, measures


def _kept_measures(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Measure durations to blank out, except a target ("to within 4 weeks" is an amount)."""
    return [
        (start, end)
        for start, end in spans
        if not re.search(r"\b(?:to|under|below)\s*$", text[:start], re.IGNORECASE)
    ]


def _direction_note(text: str) -> str | None:
    for match in _DIRECTION.finditer(text):
        verb, obj = match.group("verb").lower(), match.group("object").lower()
        up = re.fullmatch(_UP, verb) is not None
        bad = re.search(rf"(?<!no )(?<!without )(?<!free of )\b(?:{_BAD})\b", obj)
        if up and bad:
            thing = bad.group(0)
            return (
                f"Check the direction: “{verb} … {thing}” would make things worse. "
                "Did you mean the opposite?"
            )
        if not up and re.search(rf"\b(?:{_GOOD})\b", obj):
            thing = re.search(rf"\b(?:{_GOOD})\b", obj).group(0)  # type: ignore[union-attr]
            return (
                f"Check the direction: “{verb} … {thing}” would make things worse. "
                "Did you mean the opposite?"
            )
    verbs = re.search(rf"\b(?:{_UP}|{_DOWN})\b", text, re.IGNORECASE)
    numbers = _FROM_TO.search(text)
    if verbs and numbers:
        up = re.fullmatch(_UP, verbs.group(0).lower()) is not None
        a = float(numbers.group("a").replace(",", ""))
        b = float(numbers.group("b").replace(",", ""))
        if (up and b < a) or (not up and b > a):
            return (
                f"Check the direction: the aim says “{verbs.group(0)}” but goes from "
                f"{numbers.group('a')} to {numbers.group('b')}."
            )
    return None


def check_aim(text: str) -> AimCheck:
    """Check that an aim names a result, how much, by when and for whom.

    `notes` carry advice that does not fail the aim: a solution written into a good aim, a
    result that moves the wrong way, or an aim too short to be a full sentence.
    """
    text = " ".join((text or "").replace("’", "'").replace("–", "-").replace("—", "-").split())
    deadlines, measures = _deadlines(text)
    solution = any(p.search(text) for p in (_SOLUTION_START, _SOLUTION_DONE, _SOLUTION_MEANS))
    names_result = bool(_RESULT_WORDS.search(text) or _PROCESS_TARGET.search(text))
    solution_only = solution and not names_result
    amount_text = _blank(text, deadlines + _kept_measures(text, measures))
    for pattern in _NOT_AMOUNTS:
        amount_text = pattern.sub(" ", amount_text)
    how_much = any(p.search(amount_text) for p in _AMOUNTS) and not solution_only
    found = {
        "result": not solution_only,
        "how much": how_much,
        "by when": bool(deadlines),
        "for whom": bool(_FOR_WHOM.search(text)),
    }
    notes = []
    if solution and not solution_only:
        notes.append(
            "Your aim names a solution. Keep changes out of the aim: they are ideas to test "
            "with PDSA cycles, and the team may find better ones."
        )
    direction = _direction_note(text)
    if direction:
        notes.append(direction)
    if text and len(text.split()) < 8:
        notes.append("A useful aim is usually one full sentence of 15 to 40 words.")
    return AimCheck(
        text=text,
        how_much=found["how much"],
        by_when=found["by when"],
        for_whom=found["for whom"],
        result=found["result"],
        missing=[part for part, ok in found.items() if not ok],
        notes=notes,
    )
