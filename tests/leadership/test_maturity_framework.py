"""The maturity framework file is complete, well formed, and every suggestion links to a page."""

from __future__ import annotations

import copy

import pytest
import yaml

from champion.leadership.maturity.framework import (
    PATH,
    FrameworkError,
    broken_links,
    framework,
    parse,
)


def raw():
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def test_the_framework_has_three_domains_fourteen_components_and_four_stages():
    fw = framework()
    assert [d.name for d in fw.domains] == [
        "Leadership commitment",
        "Safety culture",
        "Robust process improvement",
    ]
    assert [len(d.components) for d in fw.domains] == [6, 5, 3]
    assert fw.stage_names == ("Beginning", "Developing", "Advancing", "Approaching")
    for c in fw.components:
        assert [s.name for s in c.stages] == list(fw.stage_names)
        texts = [s.text for s in c.stages]
        assert len(set(texts)) == 4, f"{c.key} repeats a stage description"
        assert all(1 <= len(s.tries) <= 2 for s in c.stages)


def test_it_says_what_it_is_based_on_and_cites_the_paper():
    fw = framework()
    assert fw.based_on == "Based on the framework of Chassin & Loeb (2013)"
    assert fw.citation == "chassin2013"
    assert any("Milbank Q. 2013;91(3):459-490" in s for s in fw.checked)
    sources = yaml.safe_load((PATH.parents[4] / "content" / "sources.yaml").read_text())
    assert "Milbank Quarterly. 2013;91(3):459-490" in sources[fw.citation]


def test_every_suggestion_links_to_a_page_of_the_platform(db):
    assert broken_links(framework()) == []


def test_a_component_missing_a_stage_is_refused_with_its_name():
    data = raw()
    del data["domains"][1]["components"][0]["stages"]["advancing"]
    with pytest.raises(FrameworkError, match="trust needs exactly the four stages"):
        parse(data)


def test_thirteen_components_are_refused():
    data = raw()
    data["domains"][2]["components"].pop()
    with pytest.raises(FrameworkError, match="14 components"):
        parse(data)


def test_a_repeated_component_is_refused():
    data = raw()
    data["domains"][2]["components"][1] = copy.deepcopy(data["domains"][2]["components"][0])
    with pytest.raises(FrameworkError, match="methods appears twice"):
        parse(data)


def test_a_stage_without_a_suggestion_is_refused():
    data = raw()
    data["domains"][0]["components"][0]["stages"]["beginning"]["try"] = []
    with pytest.raises(FrameworkError, match="board/beginning needs one or two suggestions"):
        parse(data)
