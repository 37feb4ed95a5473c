"""Golden API summaries: the falls measure (two years, a drop after a PDSA cycle) read by each
rule set an organisation can choose, through `GET /api/v1/measures/{id}/summary`.

The files in `golden/` were written by the API and read by a person before being kept: a
change to any word, period, grouping or the phase offer shows here. Regenerate only on
purpose (GOLDEN_WRITE=1)."""

import datetime
import json
import os
from pathlib import Path

import pytest

from champion.core.models import ApiToken
from champion.measures import analysis
from champion.measures.models import Annotation

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
SETS = ("anhoej", "ihi", "western-electric", "nelson", "mdc")


@pytest.mark.parametrize("rule_set", SETS)
def test_the_summary_of_each_rule_set_is_as_kept(client, world, measure, rule_set):
    world.org.rule_set = rule_set
    world.org.save()
    Annotation.objects.create(
        measure=measure, period=datetime.date(2023, 11, 1), text="PDSA 1: Falls huddle"
    )
    analysis.refresh(measure)
    token = ApiToken.issue(world.member, "golden")[1]
    response = client.get(
        f"/api/v1/measures/{measure.pk}/summary", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    got = response.json()
    path = GOLDEN / f"summary-{rule_set}.json"
    if os.environ.get("GOLDEN_WRITE"):
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n")
    assert got == json.loads(path.read_text())
    assert got["rule_set"] == rule_set and got["enough_data"] is True
