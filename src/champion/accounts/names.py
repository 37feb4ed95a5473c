"""People's names: a given name, a family name and an optional title ("Dr", "Sister").

Greetings use the given name ("Hello, Helen"), avatars the initials of the given and family
names ("HO"), lists the full name ("Helen Okafor") and formal places the title with it
("Dr Helen Okafor"). A name typed or imported as one string is split here, once.
"""

from __future__ import annotations

#: Titles recognised at the start of a one-string name (compared without a final full stop).
TITLES = frozenset(
    {
        "dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lady",
        "lord", "rev", "revd", "sister", "matron", "nurse", "fr", "father",
    }
)  # fmt: skip


def split_name(full: str) -> tuple[str, str, str]:
    """(title, given name, family name) of a name written as one string.

    >>> split_name("Dr Helen Okafor")
    ('Dr', 'Helen', 'Okafor')
    >>> split_name("Mary Anne de la Cruz")
    ('', 'Mary', 'Anne de la Cruz')
    """
    words = full.split()
    titles: list[str] = []
    while len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        titles.append(words.pop(0))
    if not words:
        return " ".join(titles), "", ""
    return " ".join(titles), words[0], " ".join(words[1:])


def join_name(given: str, family: str) -> str:
    return " ".join(part for part in (given.strip(), family.strip()) if part)


def initials(given: str, family: str, fallback: str) -> str:
    """Up to two capital letters for an avatar: never a title's initial."""
    letters = "".join(part[:1] for part in (given.strip(), family.strip()) if part)
    return (letters or fallback[:1]).upper()
