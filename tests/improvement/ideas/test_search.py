"""The ideas list's search: by the problem or the idea, any case, a page at a time; on
PostgreSQL served by trigram indexes (issue 15; migration ideas 0005)."""

import pytest
from django.db import connection

from champion.improvement.ideas.models import Idea
from tests.scale import queries


def test_the_search_finds_ideas_by_problem_or_idea_in_any_case(world, client_for):
    Idea.objects.create(unit=world.ward_a, submitted_by=world.member,
                        problem="We hunt for the bladder SCANNER.", idea="A marked home.")  # fmt: skip
    Idea.objects.create(unit=world.ward_b, submitted_by=world.member,
                        problem="Night handovers run late.", idea="Use the scanner bay.")  # fmt: skip
    Idea.objects.create(unit=world.ward_b, submitted_by=world.member,
                        problem="Fridge checks are missed.", idea="A checklist.")  # fmt: skip
    Idea.objects.create(unit=world.other_ward, submitted_by=world.outsider,
                        problem="Scanner elsewhere.", idea="Not ours.")  # fmt: skip
    client = client_for(world.member)
    _, page = queries(client, "/improve/ideas/?q=scanner")
    assert "bladder SCANNER" in page and "Night handovers" in page
    assert "Fridge checks" not in page and "Scanner elsewhere" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_postgresql_has_the_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'ideas_idea'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"ideas_idea_idea_trgm", "ideas_idea_problem_trgm"} <= names
