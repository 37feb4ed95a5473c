"""The tools' pictures keep every word a person typed: text wraps, boxes grow, nothing is cut.

The SVG is parsed and each label's lines are checked against the box or canvas that holds
them, with a character width that errs on the wide side for the fonts we name.
"""

import re
import xml.etree.ElementTree as ET

import pytest

from champion.improvement.tools.svg import Node, driver_svg, fishbone_svg, process_map_svg

NS = {"s": "http://www.w3.org/2000/svg"}
LONG = (
    "Agency and bank staff who do not know the ward's falls bundle or where the "
    "low-rise beds and sensor mats are kept"
)


def words(text):
    return re.findall(r"[\w'-]+", text)


def texts(svg):
    """(x, y, anchor, size, weight, lines) for every <text> in the picture."""
    root = ET.fromstring(svg)
    found = []
    for node in root.iter("{http://www.w3.org/2000/svg}text"):
        lines = [span.text or "" for span in node.findall("s:tspan", NS)]
        found.append(
            (
                float(node.get("x")),
                float(node.get("y")),
                node.get("text-anchor"),
                float(node.get("font-size")),
                node.get("font-weight"),
                lines,
            )
        )
    return root, found


def shown(svg):
    """Everything written in the picture, without its <title>/<desc> (which hold the full text)."""
    return " ".join(" ".join(lines) for *_, lines in texts(svg)[1])


def width_of(line, size, weight):
    return len(line) * size * (0.62 if weight == "bold" else 0.56)


def canvas(root):
    return float(root.get("width")), float(root.get("height"))


def test_a_fishbone_keeps_every_word_of_long_causes_categories_and_effects():
    effect = "Patients fall at night on Ward 7 when they walk to the toilet alone after midnight"
    rows = [
        {"category": "People", "cause": LONG},
        {"category": "Environment and the physical layout of the ward", "cause": "Dim lights"},
        {"category": "Methods", "cause": "Risk assessment not repeated after a ward transfer"},
    ]
    svg = fishbone_svg(effect, rows)
    text = shown(svg)
    assert "…" not in text
    for phrase in (LONG, effect, rows[1]["category"], rows[2]["cause"]):
        assert all(w in text.split() or w in text for w in words(phrase)), phrase


def test_fishbone_labels_stay_on_the_picture_and_never_overlap():
    rows = [{"category": f"Category {i}", "cause": LONG} for i in range(6)]
    rows += [{"category": "Category 0", "cause": f"Cause {k} {LONG}"} for k in range(4)]
    svg = fishbone_svg("Falls", rows)
    root, found = texts(svg)
    width, height = canvas(root)
    shift = re.search(r"translate\((\d+),0\)", svg)
    dx = float(shift.group(1)) if shift else 0.0
    boxes = []
    for x, y, anchor, size, weight, lines in found:
        longest = max(width_of(line, size, weight) for line in lines)
        left = x + dx - (longest if anchor == "end" else longest / 2 if anchor == "middle" else 0)
        assert left >= 0, (lines, left)
        assert x + dx <= width and y <= height, lines
        boxes.append((left, y - size, left + longest, y + size * 1.3 * (len(lines) - 1) + 3, lines))
    for i, (l1, t1, r1, b1, lines1) in enumerate(boxes):
        for l2, t2, r2, b2, lines2 in boxes[i + 1 :]:
            apart = r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1
            assert apart, (lines1, lines2)


@pytest.mark.parametrize(
    "step,owner",
    [
        ("Wait for the TTO to be written by the junior doctor after the ward round", "Doctor"),
        ("Pharmacy dispenses", "Pharmacy technician and pharmacist on the ward together"),
    ],
)
def test_process_map_boxes_grow_to_hold_long_steps_and_owners(step, owner):
    svg = process_map_svg(
        "Discharge", [{"step": step, "owner": owner, "minutes": 90, "value": "va"}]
    )
    root, found = texts(svg)
    assert "…" not in shown(svg) and all(w in shown(svg) for w in words(step + " " + owner))
    box = root.find("s:rect[@rx='10']", NS)
    top, bottom = float(box.get("y")), float(box.get("y")) + float(box.get("height"))
    right = float(box.get("x")) + float(box.get("width"))
    for x, y, _anchor, size, weight, lines in found:
        if lines[0].startswith("1 steps"):
            continue  # the summary under the map
        assert top < y and y + size * 1.3 * (len(lines) - 1) < bottom, lines
        assert all(x + width_of(line, size, weight) <= right for line in lines), lines


def test_driver_diagram_boxes_grow_and_every_word_of_a_long_aim_and_change_idea_shows():
    aim = (
        "Reduce inpatient falls on Ward 7 from 6.5 to 4 per 1,000 bed days by 31 March 2027 "
        "and hold it there for six months, measured on the U chart"
    )
    change = (
        "Falls checklist in the admission pack, also used for every transfer in from another ward"
    )
    svg = driver_svg(
        aim,
        [
            Node(
                "Reliable risk assessment",
                [Node("On admission", [Node(change, note="2 PDSA cycles")])],
            )
        ],
    )
    text = shown(svg)
    assert "…" not in text
    assert all(w in text for w in words(aim)) and all(w in text for w in words(change))
    root, found = texts(svg)
    _, height = canvas(root)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("rx") == "8"]
    change_box = max(rects, key=lambda r: float(r.get("x")))
    bottom = float(change_box.get("y")) + float(change_box.get("height"))
    (note,) = [t for t in found if t[5] == ["2 PDSA cycles"]]
    (idea_text,) = [t for t in found if t[5][0].startswith("Falls checklist")]
    last_line_y = idea_text[1] + idea_text[3] * 1.3 * (len(idea_text[5]) - 1)
    assert last_line_y < note[1] - 10 and note[1] < bottom  # the note sits under the wrapped text
    assert all(y <= height for _, y, *_ in found)
