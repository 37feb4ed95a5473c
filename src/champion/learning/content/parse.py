"""Read and check the curriculum files against docs/content-format.md.

`read_curriculum(root)` returns the parsed curriculum and every problem found, each with
its file and line where known. `content check` prints the problems; `content load` refuses
to load while there are any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from champion.learning.content import yamlines
from champion.learning.content.figures import read_figures
from champion.learning.content.markdown import TIER_SCHEME, lesson_links, top_headings
from champion.learning.content.schema import check_exercise, check_quiz

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NUMBERED = re.compile(r"^(\d{2})-([a-z0-9-]+)$")
TIER_SLUGS = ("foundation", "practitioner", "leader")
FORBIDDEN_CREDENTIAL = re.compile(r"\b(ASQ|IHI)\b", re.IGNORECASE)

TIER_FIELDS = {"slug", "title", "summary", "order", "credential"}
MODULE_FIELDS = {"slug", "title", "summary", "order"}
LESSON_REQUIRED = {"slug", "title", "minutes", "objectives", "sources"}
LESSON_FIELDS = LESSON_REQUIRED | {"prerequisites"}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass
class LessonSpec:
    slug: str
    title: str
    order: int
    minutes: int
    objectives: list[str]
    sources: list[str]
    prerequisites: list[str]
    body: str
    path: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    exercise: dict[str, Any] | None = None
    body_line: int = 1
    figures: list[str] = field(default_factory=list)  # each ```figure block's HTML, in order


@dataclass
class ModuleSpec:
    slug: str
    title: str
    summary: str
    order: int
    lessons: list[LessonSpec] = field(default_factory=list)


@dataclass
class TierSpec:
    slug: str
    title: str
    summary: str
    order: int
    credential: str
    modules: list[ModuleSpec] = field(default_factory=list)


@dataclass
class Curriculum:
    tiers: list[TierSpec] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def lessons(self) -> list[LessonSpec]:
        return [lesson for t in self.tiers for m in t.modules for lesson in m.lessons]


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))

    def yaml_file(self, path: Path) -> Any:
        try:
            return yamlines.load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark else 0
            reason = getattr(exc, "problem", None) or str(exc)
            self.problem(path, line, f"not valid YAML: {reason}")
        except (OSError, UnicodeDecodeError) as exc:
            self.problem(path, 0, f"cannot be read: {exc}")
        return None

    def mapping(self, path: Path, data: Any, fields: set[str], required: set[str]) -> bool:
        if not isinstance(data, dict):
            self.problem(path, 1, "must be a YAML mapping of fields")
            return False
        for name in sorted(required - set(data)):
            self.problem(path, yamlines.line_in(data), f"missing field {name!r}")
        for name in sorted(set(data) - fields):
            self.problem(path, yamlines.line_in(data, name), f"unknown field {name!r}")
        return required <= set(data)

    def text_field(self, path: Path, data: dict[str, Any], name: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(path, yamlines.line_in(data, name), f"{name!r} must be non-empty text")
            return ""
        return value.strip()

    def int_field(self, path: Path, data: dict[str, Any], name: str, lo: int, hi: int) -> int:
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.problem(
                path,
                yamlines.line_in(data, name),
                f"{name!r} must be a whole number from {lo} to {hi}",
            )
            return lo
        return value

    def slug_field(self, path: Path, data: dict[str, Any], seen: dict[str, str]) -> str:
        slug = data.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            self.problem(
                path,
                yamlines.line_in(data, "slug"),
                f"slug {slug!r} must be lowercase a-z0-9 and hyphens",
            )
            return str(slug)
        if slug in seen:
            self.problem(
                path, yamlines.line_in(data, "slug"), f"slug {slug!r} is also used by {seen[slug]}"
            )
        else:
            seen[slug] = self.rel(path)
        return slug


def read_sources(reader: _Reader, root: Path) -> dict[str, str]:
    sources: dict[str, str] = {}
    where: dict[str, str] = {}
    for path in sorted(root.glob("sources*.yaml")):
        data = reader.yaml_file(path)
        if data is None:
            continue
        if not isinstance(data, dict):
            reader.problem(path, 1, "must map source keys to citations")
            continue
        for key, citation in data.items():
            line = yamlines.line_in(data, key)
            if key in sources:
                reader.problem(path, line, f"source key {key!r} is also defined in {where[key]}")
            elif not isinstance(citation, str) or not citation.strip():
                reader.problem(path, line, f"source {key!r} needs a citation")
            else:
                sources[str(key)], where[str(key)] = citation.strip(), reader.rel(path)
    if not sources:
        reader.problem(
            root / "sources.yaml", 0, "no sources: content/sources*.yaml is missing or empty"
        )
    return sources


def _front_matter(reader: _Reader, path: Path, text: str) -> tuple[Any, str, int]:
    """The YAML front matter, the body, and the line the body starts on."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        reader.problem(path, 1, "a lesson starts with YAML front matter between '---' lines")
        return None, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                data = yamlines.load("\n" + "\n".join(lines[1:end]))
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                reader.problem(
                    path, mark.line + 1 if mark else 1, f"front matter is not valid YAML: {exc}"
                )
                data = None
            return data, "\n".join(lines[end + 1 :]), end + 2
    reader.problem(path, 1, "the front matter has no closing '---' line")
    return None, text, 1


def read_lesson(
    reader: _Reader, path: Path, order: int, seen: dict[str, str], sources: dict[str, str]
) -> LessonSpec | None:
    data, body, body_line = _front_matter(reader, path, path.read_text(encoding="utf-8"))
    if data is None or not reader.mapping(path, data, LESSON_FIELDS, LESSON_REQUIRED):
        return None
    slug = reader.slug_field(path, data, seen)
    title = reader.text_field(path, data, "title")
    minutes = reader.int_field(path, data, "minutes", 5, 12)
    objectives = data.get("objectives")
    if (
        not isinstance(objectives, list)
        or not 2 <= len(objectives) <= 4
        or not all(isinstance(o, str) and o.strip() and o.strip()[0].isupper() for o in objectives)
    ):
        reader.problem(
            path,
            yamlines.line_in(data, "objectives"),
            "objectives must be 2 to 4 sentences, each starting with a capitalised verb",
        )
        objectives = [str(o) for o in objectives] if isinstance(objectives, list) else []
    cited = data.get("sources")
    if not isinstance(cited, list) or not cited:
        reader.problem(
            path, yamlines.line_in(data, "sources"), "every lesson cites at least one source"
        )
        cited = []
    for index, key in enumerate(cited):
        if key not in sources:
            reader.problem(
                path,
                yamlines.line_in(cited, index),
                f"source {key!r} is not in content/sources*.yaml",
            )
    prerequisites = data.get("prerequisites") or []
    if not isinstance(prerequisites, list) or not all(isinstance(p, str) for p in prerequisites):
        reader.problem(
            path,
            yamlines.line_in(data, "prerequisites"),
            "prerequisites must be a list of lesson slugs",
        )
        prerequisites = []
    for line in top_headings(body):
        reader.problem(
            path, body_line + line - 1, "headings start at '##' (the page has the title)"
        )
    if len(body.split()) < 100:
        reader.problem(path, body_line, "the lesson body is missing or too short")
    figures = read_figures(
        body, body_line, path.parent, lambda line, msg: reader.problem(path, line, msg)
    )
    lesson = LessonSpec(
        slug,
        title,
        order,
        minutes,
        [o.strip() for o in objectives],
        [str(c) for c in cited],
        list(prerequisites),
        body,
        reader.rel(path),
        body_line=body_line,
        figures=[figure.html for figure in figures],
    )
    quiz_path = path.with_name(path.name[: -len(".md")] + ".quiz.yaml")
    if not quiz_path.exists():
        reader.problem(path, 0, f"no question bank: {quiz_path.name} is missing")
    else:
        quiz = reader.yaml_file(quiz_path)
        if quiz is not None:
            lesson.questions = check_quiz(
                quiz, lambda line, msg: reader.problem(quiz_path, line, msg)
            )
    exercise_path = path.with_name(path.name[: -len(".md")] + ".exercise.yaml")
    if exercise_path.exists():
        exercise = reader.yaml_file(exercise_path)
        if exercise is not None:
            lesson.exercise = check_exercise(
                exercise, lambda line, msg: reader.problem(exercise_path, line, msg)
            )
    return lesson


def _numbered(reader: _Reader, path: Path) -> int | None:
    stem = path.name.split(".")[0] if path.is_file() else path.name
    match = NUMBERED.match(stem)
    if not match:
        reader.problem(path, 0, "file and folder names start with a two-digit number, e.g. 01-slug")
        return None
    return int(match.group(1))


def read_curriculum(root: Path) -> tuple[Curriculum, list[Problem]]:
    """Parse everything under `root` (the content/ folder) and check it."""
    reader = _Reader(root)
    curriculum = Curriculum()
    if not root.is_dir():
        reader.problem(root, 0, "the content folder does not exist")
        return curriculum, reader.problems
    curriculum.sources = read_sources(reader, root)
    module_slugs: dict[str, str] = {}
    lesson_slugs: dict[str, str] = {}
    tier_dirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "tier.yaml").exists())
    for tier_dir in tier_dirs:
        path = tier_dir / "tier.yaml"
        data = reader.yaml_file(path)
        if data is None or not reader.mapping(path, data, TIER_FIELDS, TIER_FIELDS):
            continue
        slug = data.get("slug")
        if slug not in TIER_SLUGS:
            reader.problem(
                path,
                yamlines.line_in(data, "slug"),
                f"tier slug must be one of {', '.join(TIER_SLUGS)}",
            )
        elif slug != tier_dir.name:
            reader.problem(
                path, yamlines.line_in(data, "slug"), f"tier {slug!r} must live in content/{slug}/"
            )
        credential = reader.text_field(path, data, "credential")
        if FORBIDDEN_CREDENTIAL.search(credential):
            reader.problem(
                path,
                yamlines.line_in(data, "credential"),
                "a credential is never called an ASQ or IHI certification",
            )
        tier = TierSpec(
            str(slug),
            reader.text_field(path, data, "title"),
            reader.text_field(path, data, "summary"),
            reader.int_field(path, data, "order", 0, 99),
            credential,
        )
        if any(t.slug == tier.slug for t in curriculum.tiers):
            reader.problem(path, 1, f"tier {tier.slug!r} is defined twice")
        curriculum.tiers.append(tier)
        for module_dir in sorted(p for p in tier_dir.iterdir() if p.is_dir()):
            module_path = module_dir / "module.yaml"
            if not module_path.exists():
                reader.problem(module_dir, 0, "a module folder needs a module.yaml")
                continue
            _numbered(reader, module_dir)
            data = reader.yaml_file(module_path)
            if data is None or not reader.mapping(module_path, data, MODULE_FIELDS, MODULE_FIELDS):
                continue
            module = ModuleSpec(
                reader.slug_field(module_path, data, module_slugs),
                reader.text_field(module_path, data, "title"),
                reader.text_field(module_path, data, "summary"),
                reader.int_field(module_path, data, "order", 0, 99),
            )
            tier.modules.append(module)
            for lesson_path in sorted(module_dir.glob("*.md")):
                order = _numbered(reader, lesson_path)
                lesson = read_lesson(
                    reader, lesson_path, order or 0, lesson_slugs, curriculum.sources
                )
                if lesson is not None:
                    module.lessons.append(lesson)
            for extra in sorted(module_dir.glob("*.yaml")):
                base = extra.name.split(".")[0]
                if extra.name != "module.yaml" and not (module_dir / f"{base}.md").exists():
                    reader.problem(extra, 0, f"no lesson {base}.md for this file")
    for slug in TIER_SLUGS:
        if not any(t.slug == slug for t in curriculum.tiers):
            reader.problem(root / slug / "tier.yaml", 0, f"tier {slug!r} is missing")
    _check_links(reader, root, curriculum)
    return curriculum, reader.problems


_TIER_WORDS = r"(?:tier|path|course|level|programme|program|certificate|pathway)s?"


def empty_tiers(curriculum: Curriculum) -> list[TierSpec]:
    """Tiers with no lessons: the catalogue hides them, so nothing may send learners there."""
    return [t for t in curriculum.tiers if not any(m.lessons for m in t.modules)]


def _check_dead_ends(reader: _Reader, root: Path, curriculum: Curriculum) -> None:
    empty = empty_tiers(curriculum)
    offered = {t.slug for t in curriculum.tiers} - {t.slug for t in empty}
    for lesson in curriculum.lessons():
        path = root.parent / lesson.path
        for target, line in lesson_links(lesson.body, TIER_SCHEME):
            if target not in offered:
                reader.problem(
                    path,
                    lesson.body_line + line - 1,
                    f"link to tier:{target}, which has no lessons: a dead end for the learner",
                )
        mentions = [
            (tier, match)
            for tier in empty
            for match in re.finditer(
                rf"\b{re.escape(tier.slug.capitalize())}\s+(?i:{_TIER_WORDS})\b", lesson.body
            )
        ]
        for tier, match in mentions:
            line = lesson.body.count("\n", 0, match.start()) + lesson.body_line
            reader.problem(
                path,
                line,
                f"sends learners to the {tier.slug} tier ({match.group(0)!r}), which has no "
                "lessons yet: a dead end; teach it here or leave the pointer out",
            )


def _check_links(reader: _Reader, root: Path, curriculum: Curriculum) -> None:
    _check_dead_ends(reader, root, curriculum)
    lessons = {lesson.slug: lesson for lesson in curriculum.lessons()}
    for lesson in lessons.values():
        path = root.parent / lesson.path
        for target, line in lesson_links(lesson.body):
            if target not in lessons:
                reader.problem(
                    path,
                    lesson.body_line + line - 1,
                    f"link to lesson:{target} but no lesson has that slug",
                )
        for prerequisite in lesson.prerequisites:
            if prerequisite == lesson.slug:
                reader.problem(path, 0, "a lesson cannot be its own prerequisite")
            elif prerequisite not in lessons:
                reader.problem(path, 0, f"prerequisite {prerequisite!r} is not a lesson slug")
    # Prerequisite cycles would lock lessons forever.
    state: dict[str, int] = {}

    def visit(slug: str, trail: list[str]) -> None:
        state[slug] = 1
        for nxt in lessons[slug].prerequisites:
            if nxt not in lessons:
                continue
            if state.get(nxt) == 1:
                reader.problem(
                    root.parent / lessons[slug].path,
                    0,
                    "prerequisites form a cycle: " + " -> ".join([*trail, nxt]),
                )
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[slug] = 2

    for slug in lessons:
        if slug not in state:
            visit(slug, [slug])


TIER_SLUGS = ("foundation", "practitioner", "leader")


def tier_counts(curriculum: Curriculum) -> dict[str, Any]:
    """`{"tiers": [{"slug", "modules", "lessons", "quiz_questions", "exercises"}, ...]}`.

    One record per tier, always all three, in curriculum order (a tier without files counts 0).
    """
    by_slug = {t.slug: t for t in curriculum.tiers}
    tiers = []
    for slug in TIER_SLUGS:
        tier = by_slug.get(slug)
        lessons = [lesson for m in tier.modules for lesson in m.lessons] if tier else []
        tiers.append(
            {
                "slug": slug,
                "modules": len(tier.modules) if tier else 0,
                "lessons": len(lessons),
                "quiz_questions": sum(len(lesson.questions) for lesson in lessons),
                "exercises": sum(lesson.exercise is not None for lesson in lessons),
            }
        )
    return {"tiers": tiers}
