"""How two service names are compared: folded (case, accents, spaces, punctuation), and as likely duplicates.

Pure functions, no database: the programme's services list (``workshops.service_list``), its page and the
migration that built it from free text compare names the same way.

- ``fold``: « État civil », « etat-civil » and « ETAT CIVIL » are one name. The list never holds two names equal
  once folded, and a posted or imported value is read as the list's name it folds to.
- ``duplicate_key``: looser, for suggestions a person confirms: it also sets aside a leading « service »,
  « direction », « pôle »… with its article, the spaces, and expands the few abbreviations of ``ABBREVIATIONS``
  (« RH », « Service RH » and « Direction des ressources humaines » meet). A suggestion is only offered: two
  services of different collectivities may share a name and not a job, so merging stays a person's choice.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import TypeVar

# The abbreviations of French local government that the project team met in the workshops, and what they stand
# for, folded. Deliberately short: an abbreviation that names two things (« EC », « CP ») is left out, since a
# wrong suggestion costs more than a missed one.
ABBREVIATIONS = {
    "rh": "ressources humaines",
    "drh": "ressources humaines",
    "grh": "ressources humaines",
    "dsi": "systemes d information",
    "si": "systemes d information",
    "ccas": "centre communal d action sociale",
    "cias": "centre intercommunal d action sociale",
    "dgs": "direction generale des services",
    "st": "services techniques",
    "pm": "police municipale",
    "ads": "autorisations du droit des sols",
}
# Words that open a service's name without telling which service it is (« Service accueil », « Pôle RH »).
LEADING_WORDS = ("service", "services", "direction", "pole", "cellule", "mission", "bureau")
ARTICLES = ("de", "des", "du", "d", "la", "le", "les", "l")

T = TypeVar("T")


def fold(name: str) -> str:
    """The name without case, accents, punctuation or repeated spaces: « État-civil » → « etat civil »."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def _without_leading_words(words: list[str]) -> list[str]:
    # « direction des ressources humaines » → « ressources humaines », but « services » alone stays itself.
    if len(words) > 1 and words[0] in LEADING_WORDS:
        rest = words[1:]
        while len(rest) > 1 and rest[0] in ARTICLES:
            rest = rest[1:]
        return rest
    return words


def duplicate_key(name: str) -> str:
    """What two names share when they likely name one service: folded, leading word and spaces aside, abbreviations
    expanded."""
    words = _without_leading_words(fold(name).split())
    expanded = ABBREVIATIONS.get(" ".join(words))
    if expanded is not None:
        words = _without_leading_words(expanded.split())
    return "".join(words)


def likely_duplicates(entries: Iterable[tuple[T, str]]) -> list[list[T]]:
    """The groups of two or more entries (an id or a row, and its name) whose names share a ``duplicate_key``.

    In the order the entries came, each group too.
    """
    groups: dict[str, list[T]] = defaultdict(list)
    for entry, name in entries:
        key = duplicate_key(name)
        if key:
            groups[key].append(entry)
    return [group for group in groups.values() if len(group) > 1]
