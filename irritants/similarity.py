"""Similar irritants across collectivities, from their French text (scikit-learn TF-IDF, Snowball stems).

Pure functions: texts in, groups out. Accents are folded, French stop words dropped and
words reduced to their stem, so that « arrêtés anciens » and « ancien arrêté » meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel
from stop_words import get_stop_words

DEFAULT_THRESHOLD = 0.5
MAX_ITEMS = 5000  # pairwise similarity grows with the square of the number of irritants
WORD = re.compile(r"[a-z0-9]{2,}")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(_fold(word) for word in get_stop_words("french"))


@cache
def _stemmer():
    return snowballstemmer.stemmer("french")


def french_terms(text: str) -> list[str]:
    """The text's stems, accents folded and stop words dropped."""
    words = [w for w in WORD.findall(_fold(text)) if w not in _stop_words()]
    return _stemmer().stemWords(words)


@dataclass(frozen=True)
class Item:
    """An irritant as the grouping sees it."""

    id: int
    collectivity_id: int
    text: str


@dataclass(frozen=True)
class ProposedGroup:
    """Irritants of several collectivities that read alike, and how alike (the weakest link kept)."""

    ids: tuple[int, ...]
    collectivities: int
    similarity: float


def propose_groups(items: list[Item], threshold: float = DEFAULT_THRESHOLD) -> list[ProposedGroup]:
    """Link irritants of different collectivities whose similarity reaches the threshold; groups are the linked sets."""
    if len(items) < 2:
        return []
    if len(items) > MAX_ITEMS:
        raise ValueError(f"trop d'irritants pour une comparaison deux à deux ({len(items)} > {MAX_ITEMS})")
    matrix = TfidfVectorizer(analyzer=french_terms).fit_transform([item.text for item in items])
    similarity = linear_kernel(matrix)  # rows are L2-normalised: this is the cosine
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    weakest: dict[tuple[int, int], float] = {}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i].collectivity_id != items[j].collectivity_id and similarity[i, j] >= threshold:
                parent[root(i)] = root(j)
                weakest[(i, j)] = float(similarity[i, j])
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    groups = []
    for indexes in members.values():
        collectivities = {items[i].collectivity_id for i in indexes}
        if len(collectivities) < 2:
            continue
        links = [value for (i, j), value in weakest.items() if i in indexes and j in indexes]
        groups.append(ProposedGroup(tuple(sorted(items[i].id for i in indexes)), len(collectivities),
                                    round(min(links), 3)))
    return sorted(groups, key=lambda g: (-g.collectivities, -g.similarity, g.ids))
