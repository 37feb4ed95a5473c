"""The maturity framework as data: domains, components, stages and "what to try next".

The framework is `framework.yaml` beside this module, checked when it is first loaded
(three domains, fourteen components, four stages with a description and one or two
suggestions each). A mistake in the file stops the first page that uses it with a message
naming the component, rather than showing a half-empty questionnaire.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.urls import NoReverseMatch, reverse

PATH = Path(__file__).with_name("framework.yaml")

#: The four stages, in order; a stage is stored as its number (1 = beginning).
STAGE_KEYS = ("beginning", "developing", "advancing", "approaching")
COMPONENTS = 14

#: A round's scope, fixed when it starts (see `leadership.maturity.rounds.scope_of`):
#: an organisation-level round asks every component; a local round (a division, department,
#: ward, team or service) leaves out the components about the board and the executive and
#: asks the questions that speak of "the organisation" about its own unit.
ORGANISATION = "organisation"
LOCAL = "local"


class FrameworkError(ValueError):
    """framework.yaml is not a complete, well-formed framework."""


@dataclass(frozen=True)
class Suggestion:
    text: str
    link: str  # "<url name>" or "<url name> <argument>"

    @property
    def url(self) -> str:
        name, _, arg = self.link.partition(" ")
        return reverse(name, args=[arg] if arg else [])


@dataclass(frozen=True)
class StageText:
    number: int
    key: str
    name: str
    text: str
    tries: tuple[Suggestion, ...]


@dataclass(frozen=True)
class Component:
    key: str
    name: str
    question: str
    domain_key: str
    domain_name: str
    stages: tuple[StageText, ...]  # four, in order
    organisation_only: bool = False  # about the board or executive: left out of a local round
    local_question: str = ""  # the question reworded for a local round ("" = the same)

    def stage(self, number: int) -> StageText:
        return self.stages[number - 1]


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    summary: str
    components: tuple[Component, ...]


@dataclass(frozen=True)
class Framework:
    title: str
    based_on: str
    citation: str
    checked: tuple[str, ...]
    stage_names: tuple[str, ...]  # "Beginning", ... in order
    domains: tuple[Domain, ...]

    @property
    def components(self) -> list[Component]:
        return [c for d in self.domains for c in d.components]

    def component(self, key: str) -> Component | None:
        return next((c for c in self.components if c.key == key), None)

    def stage_name(self, number: int) -> str:
        return self.stage_names[number - 1]

    @property
    def stage_choices(self) -> list[tuple[int, str]]:
        return list(enumerate(self.stage_names, start=1))

    def for_scope(self, scope: str) -> Framework:
        """The framework a round of this scope asks: all of it for an organisation-level
        round; for a local round, without the board and executive components and with the
        local wording of the questions. An unknown scope is refused, not guessed."""
        if scope == ORGANISATION:
            return self
        if scope != LOCAL:
            raise FrameworkError(f"unknown round scope {scope!r}")
        domains = tuple(
            dataclasses.replace(
                d,
                components=tuple(
                    dataclasses.replace(c, question=c.local_question or c.question)
                    for c in d.components
                    if not c.organisation_only
                ),
            )
            for d in self.domains
        )
        return dataclasses.replace(self, domains=tuple(d for d in domains if d.components))


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise FrameworkError(f"{PATH.name}: {message}")


def _text(value: Any, where: str) -> str:
    _need(isinstance(value, str) and bool(value.strip()), f"{where} needs some text")
    return str(value).strip()


def parse(data: Any) -> Framework:
    """Build and check a Framework from the YAML's data; FrameworkError names what is wrong."""
    _need(isinstance(data, dict), "the file must be a mapping")
    stages = data.get("stages") or []
    _need(
        [s.get("key") for s in stages] == list(STAGE_KEYS),
        f"stages must be {', '.join(STAGE_KEYS)}, in that order",
    )
    stage_names = tuple(_text(s.get("name"), f"stage {s['key']}") for s in stages)
    domains: list[Domain] = []
    seen: set[str] = set()
    for d in data.get("domains") or []:
        dkey = _text(d.get("key"), "a domain's key")
        dname = _text(d.get("name"), f"domain {dkey}'s name")
        components = []
        for c in d.get("components") or []:
            key = _text(c.get("key"), f"a component of {dkey}")
            _need(key not in seen, f"component {key} appears twice")
            seen.add(key)
            texts = c.get("stages") or {}
            _need(set(texts) == set(STAGE_KEYS), f"component {key} needs exactly the four stages")
            stage_texts = []
            for number, skey in enumerate(STAGE_KEYS, start=1):
                tries = texts[skey].get("try") or []
                _need(1 <= len(tries) <= 2, f"{key}/{skey} needs one or two suggestions")
                stage_texts.append(
                    StageText(
                        number=number,
                        key=skey,
                        name=stage_names[number - 1],
                        text=_text(texts[skey].get("text"), f"{key}/{skey}"),
                        tries=tuple(
                            Suggestion(
                                text=_text(t.get("text"), f"{key}/{skey} suggestion"),
                                link=_text(t.get("link"), f"{key}/{skey} suggestion link"),
                            )
                            for t in tries
                        ),
                    )
                )
            components.append(
                Component(
                    key=key,
                    name=_text(c.get("name"), f"component {key}'s name"),
                    question=_text(c.get("question"), f"component {key}'s question"),
                    domain_key=dkey,
                    domain_name=dname,
                    stages=tuple(stage_texts),
                    organisation_only=bool(c.get("organisation_only", False)),
                    local_question=str(c.get("local_question") or "").strip(),
                )
            )
        domains.append(Domain(dkey, dname, _text(d.get("summary"), dkey), tuple(components)))
    _need(len(domains) == 3, "there must be three domains")
    _need(len(seen) == COMPONENTS, f"there must be {COMPONENTS} components (found {len(seen)})")
    return Framework(
        title=_text(data.get("title"), "title"),
        based_on=_text(data.get("based_on"), "based_on"),
        citation=_text(data.get("citation"), "citation"),
        checked=tuple(_text(s, "a checked source") for s in data.get("checked") or []),
        stage_names=stage_names,
        domains=tuple(domains),
    )


@functools.cache
def framework() -> Framework:
    """The framework, loaded once per process."""
    return parse(yaml.safe_load(PATH.read_text(encoding="utf-8")))


@functools.cache
def framework_for(scope: str) -> Framework:
    """The framework a round of `scope` asks (see `Framework.for_scope`), once per process."""
    return framework().for_scope(scope)


def broken_links(fw: Framework) -> list[str]:
    """Suggestions whose link does not resolve to a page of the platform."""
    broken = []
    for c in fw.components:
        for s in c.stages:
            for t in s.tries:
                try:
                    t.url  # noqa: B018 (resolving is the check)
                except NoReverseMatch:
                    broken.append(f"{c.key}/{s.key}: {t.link}")
    return broken
