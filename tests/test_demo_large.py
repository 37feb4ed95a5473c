"""`champion demo --scale large` at its test size (`SMALL`): the generated system is complete,
repeatable, written without audit entries, and keeps the five demo accounts' roles."""

from __future__ import annotations

from champion.accounts.models import Membership, Role, Unit, User
from champion.core.models import AuditEvent
from champion.improvement.ideas.models import Idea
from champion.improvement.models import PDSACycle, Project, Tool
from champion.leadership.models import Answer
from champion.learning.models import LessonProgress, QuizAttempt
from champion.measures.models import DataPoint, Measure
from champion.web.demo_large import HOSPITALS, SMALL, load_large


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Unit, User, Measure, DataPoint, Project, Tool, PDSACycle, Idea, Answer)
    )


def test_the_large_demo_loads_once_and_keeps_the_demo_roles(db):
    load_large(SMALL)
    audit_after_load = AuditEvent.objects.count()
    org_units = Unit.objects.filter(name__in=HOSPITALS[: SMALL.hospitals])
    assert org_units.count() == SMALL.hospitals
    assert User.objects.filter(organisation__name="Riverside Health").count() == SMALL.people
    # Five levels: the root, hospitals, divisions, departments, wards (depth 0 to 4).
    assert set(
        Unit.objects.filter(path__startswith=org_units[0].path).values_list("depth", flat=True)
    ) == {1, 2, 3, 4}
    generated = Measure.objects.filter(
        unit__path__startswith=org_units[0].path.rsplit("/", 2)[0] + "/"
    )
    assert generated.count() >= SMALL.measures
    big = Measure.objects.exclude(summary_at=None).filter(unit__depth=4).first()
    assert big is not None and big.summary.n == SMALL.points  # analysed by the bulk path
    assert Project.objects.count() >= SMALL.projects
    assert Idea.objects.count() >= SMALL.ideas
    records = LessonProgress.objects.count() + QuizAttempt.objects.count()
    assert records >= SMALL.learning_records * 0.8
    assert Answer.objects.count() >= SMALL.maturity_answers
    executive = Membership.objects.get(user__email="executive@riverside.example")
    assert executive.role == Role.LEADER and executive.unit.parent_id is None
    for email, role in [
        ("member@riverside.example", Role.MEMBER),
        ("leader@riverside.example", Role.LEADER),
        ("coach@riverside.example", Role.COACH),
        ("admin@riverside.example", Role.ADMIN),
    ]:
        assert Membership.objects.get(user__email=email).role == role
    # Only the five demo accounts can sign in.
    assert not User.objects.filter(email__contains=".0").exclude(password="!").exists()
    counts = _counts()
    load_large(SMALL)  # idempotent
    assert _counts() == counts
    assert AuditEvent.objects.count() == audit_after_load
