"""Small content trees written into tmp_path, and the curriculum loaded from them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from champion.learning.content.load import load_content
from champion.learning.models import Certificate, Lesson, Tier

BODY = " ".join(["Improvement is everyone's job on the ward and in the clinic."] * 20)


def question(qid: str, correct: int = 0, kind: str = "single") -> str:
    choices = "".join(
        f"""
      - text: Choice {n} of {qid}
        {"correct: true" if n == correct or (kind == "multiple" and n < 2) else "correct: false"}
        explanation: Why choice {n} is {"right" if n == correct else "not right"}."""
        for n in range(4)
    )
    return f"""
  - id: {qid}
    type: {kind}
    prompt: What about {qid}?
    choices:{choices}
"""


def write_lesson(
    folder: Path,
    name: str,
    slug: str,
    *,
    extra: str = "",
    body: str = BODY,
    questions: int = 10,
    exercise: str | None = None,
    prerequisites: str = "[]",
    sources: str = "[langley2009]",
) -> None:
    (folder / f"{name}.md").write_text(
        f"---\nslug: {slug}\ntitle: Lesson {slug}\nminutes: 6\nobjectives:\n"
        f"  - Describe the first thing\n  - Explain the second thing\nsources: {sources}\n"
        f"prerequisites: {prerequisites}\n{extra}---\n\n## Start\n\n{body}\n"
    )
    bank = "questions:" + "".join(question(f"{slug}-q{i}") for i in range(questions))
    (folder / f"{name}.quiz.yaml").write_text(bank)
    if exercise is not None:
        (folder / f"{name}.exercise.yaml").write_text(textwrap.dedent(exercise))


CATEGORISE = """
kind: categorise
title: Sort the wastes
instructions: Sort each card.
categories:
  - {key: waiting, label: Waiting}
  - {key: motion, label: Motion}
items:
  - {text: "A patient waits for transport", category: waiting, explanation: "Idle time."}
  - {text: "A nurse walks to the far store", category: motion, explanation: "The worker moves."}
pass_mark: 0.8
"""


def make_tree(root: Path) -> Path:
    """content/ with Foundation (1 module, 2 lessons), Practitioner (1 lesson), Leader (empty)."""
    content = root / "content"
    content.mkdir()
    (content / "sources.yaml").write_text(
        'langley2009: "Langley GJ et al. The Improvement Guide. 2009."\n'
        'perla2011: "Perla RJ et al. The run chart. 2011."\n'
    )
    for slug, order in (("foundation", 1), ("practitioner", 2), ("leader", 3)):
        (content / slug).mkdir()
        (content / slug / "tier.yaml").write_text(
            f"slug: {slug}\ntitle: {slug.title()} tier\nsummary: About {slug}.\norder: {order}\n"
            f"credential: PI Champion {slug.title()}\n"
        )
    module = content / "foundation" / "01-basics"
    module.mkdir()
    (module / "module.yaml").write_text(
        "slug: basics\ntitle: Basics\nsummary: The basics.\norder: 1\n"
    )
    write_lesson(module, "01-first", "first", exercise=CATEGORISE)
    write_lesson(
        module,
        "02-second",
        "second",
        prerequisites="[first]",
        body=BODY + "\n\nSee [the first lesson](lesson:first).",
    )
    practice = content / "practitioner" / "01-projects"
    practice.mkdir()
    (practice / "module.yaml").write_text(
        "slug: projects\ntitle: Projects\nsummary: Running projects.\norder: 1\n"
    )
    write_lesson(practice, "01-charter", "charter")
    return content


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


@pytest.fixture
def curriculum(db, tree: Path):
    load_content(tree)
    return {
        "foundation": Tier.objects.get(slug="foundation"),
        "practitioner": Tier.objects.get(slug="practitioner"),
        "first": Lesson.objects.get(slug="first"),
        "second": Lesson.objects.get(slug="second"),
        "charter": Lesson.objects.get(slug="charter"),
        "root": tree,
    }


@pytest.fixture
def cert(curriculum, world):
    """Mia Member's Foundation certificate."""
    return Certificate.objects.create(
        user=world.member,
        tier=curriculum["foundation"],
        recipient_name="Mia Member",
        credential="PI Champion Foundation",
        organisation_name="Testshire Health",
    )
