"""`champion content check|load|stats`: the curriculum files from the command line.

`check` and `stats` read files only: they need no database, no settings and no SECRET_KEY,
so CI (or a content author) can run them anywhere. `load` writes to the database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import champion
from champion import setup_django
from champion.learning.content.parse import read_curriculum, tier_counts


def _default_root() -> Path:
    """$CONTENT_DIR, else the repository's content/ (the same rule as settings.CONTENT_DIR)."""
    repo = Path(champion.__file__).resolve().parent.parent.parent
    return Path(os.environ.get("CONTENT_DIR") or repo / "content")


def main(args: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="champion content", description=__doc__)
    sub = parser.add_subparsers(dest="action", required=True)
    for name, help_text in (
        ("check", "validate every file; one line per problem; exit 1 if any"),
        ("load", "check, then load into the database (idempotent; keeps learners' progress)"),
        ("stats", "count modules, lessons, questions and exercises per tier"),
    ):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("--dir", type=Path, default=None, help="the content folder")
        if name == "stats":
            command.add_argument("--json", action="store_true", help="print JSON")
    options = parser.parse_args(args)

    if options.action == "check":
        root = options.dir or _default_root()
        curriculum, problems = read_curriculum(root)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
            return 1
        lessons = curriculum.lessons()
        print(
            f"Content OK: {len(lessons)} lessons, "
            f"{sum(len(lesson.questions) for lesson in lessons)} questions, "
            f"{sum(lesson.exercise is not None for lesson in lessons)} exercises."
        )
        return 0
    if options.action == "stats":
        root = options.dir or _default_root()
        curriculum, problems = read_curriculum(root)
        counts = tier_counts(curriculum)
        if options.json:
            print(json.dumps(counts))
        else:
            for tier in counts["tiers"]:
                print(
                    f"{tier['slug']:14} {tier['modules']} modules, {tier['lessons']} lessons, "
                    f"{tier['quiz_questions']} questions, {tier['exercises']} exercises"
                )
        if problems:
            print(
                f"{len(problems)} problem(s) in {root}: the counts may be incomplete "
                "(champion content check lists them).",
                file=sys.stderr,
            )
        return 0

    # load: the database, so Django and its settings; models are importable only after setup.
    setup_django()
    from champion.learning.content.load import ContentError, content_dir, load_content

    root = options.dir or content_dir()
    try:
        report = load_content(root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            "Nothing was loaded: fix the problems above (champion content check).", file=sys.stderr
        )
        return 1
    print(f"Content loaded: {report}.")
    return 0
