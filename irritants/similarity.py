"""Similar irritants across collectivities, from their French text (scikit-learn TF-IDF, Snowball stems).

Pure functions: texts in, groups out. Accents are folded, French stop words dropped and
words reduced to their stem, so that « arrêtés anciens » and « ancien arrêté » meet.

How groups are formed, and why:

- **Every pair meets the threshold.** Taking the connected components of the « similar enough »
  graph chains: A~B, B~C, C~D put A and D together although they share nothing. Groups are
  therefore the flat clusters of a complete-linkage agglomerative clustering on the cosine distance
  (1 − similarity), a pair below the threshold counting as « too far »: complete linkage merges two
  clusters only when their farthest pair is close enough, so every pair inside a group reaches the
  threshold, and the similarity shown is the weakest pair of the group. Closest pairs merge first,
  so a text goes with the group it reads most like, not with the first one met.
- **Pairs of one collectivity count like any other.** A group is a set of irritants that read alike;
  two irritants of the same collectivity inside it must read alike too, otherwise one town's two
  different problems could meet through a neighbour's (chaining again). They may share a group when
  they do (the same pain point recorded twice), but a group is proposed only if it spans at least two
  collectivities. The price: a near-duplicate pair of one collectivity that merges first can keep
  a third irritant out when only one of the two reaches it.
- **Exactly at the threshold counts.** Cosines are float sums: 0.4 may come out as
  0.39999999999999997. A pair meets the threshold when its cosine is ≥ threshold − ``TOLERANCE``
  (10⁻⁹), and that one comparison decides both the graph below and the clusters.
- **Speed.** TF-IDF rows are L2-normalised, so the sparse product ``V @ V.T`` is the cosine. The
  pairs that reach the threshold form a sparse graph, built by blocks of rows (each against the rows
  after it) so that memory stays bounded; a complete-linkage cluster is a clique of that graph, hence
  inside one of its connected components, and the clustering runs per component, from the graph's
  pairs alone (the clusters of one run over all items, at a fraction of the cost). A component of a
  single collectivity can only give such groups: skipped. Stems are cached per word, the pure-Python
  stemmer being the slowest step otherwise.
- **Determinism.** Items are sorted by id before anything, so any order of the same items gives the
  same matrix, the same components and the same clustering; exact ties are broken by id, since
  scipy's nearest-neighbour chain keeps the first (lowest-index, hence lowest-id) of equal candidates.
  Groups are listed by collectivities, then similarity (both descending), then ids.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from stop_words import get_stop_words

DEFAULT_THRESHOLD = 0.5
MAX_ITEMS = 5000  # a component's clustering grows with the square of its size
TOLERANCE = 1e-9  # a pair exactly at the threshold meets it despite float rounding
BLOCK_ROWS = 500  # rows of the similarity computed at once: bounds memory when texts share many words
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


@lru_cache(maxsize=100_000)  # pure-Python Snowball costs ~0.2 ms a word, and irritants reuse a few thousand words
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def french_terms(text: str) -> list[str]:
    """The text's stems, accents folded and stop words dropped."""
    stop_words = _stop_words()
    return [_stem(w) for w in WORD.findall(_fold(text)) if w not in stop_words]


@dataclass(frozen=True)
class Item:
    """An irritant as the grouping sees it."""

    id: int
    collectivity_id: int
    text: str


@dataclass(frozen=True)
class ProposedGroup:
    """Irritants of several collectivities that read alike, and how alike (the weakest pair of the group)."""

    ids: tuple[int, ...]
    collectivities: int
    similarity: float


def _same(terms: list[str]) -> list[str]:
    return terms


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of the texts, in their order (an all-zero row for a text without terms)."""
    terms = [french_terms(text) for text in texts]
    if not any(terms):  # scikit-learn refuses an empty vocabulary; nothing can be alike then
        return sparse.csr_matrix((len(texts), 1))
    vectors = TfidfVectorizer(analyzer=_same).fit_transform(terms).tocsr()
    vectors.sort_indices()  # a pair's products are then summed in one order, whichever row comes first
    return vectors


def similarity_matrix(texts: list[str]) -> np.ndarray:
    """Cosine similarity of every pair of texts, with TF-IDF weights learnt from these texts."""
    vectors = _vectors(texts)
    return (vectors @ vectors.T).toarray()


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows i, columns j > i, cosines


def _close_pairs(vectors: sparse.csr_matrix, floor: float) -> Pairs:
    """The pairs i < j whose cosine reaches ``floor``, computed by blocks of rows against the rows after them."""
    found: list[Pairs] = []
    for start in range(0, vectors.shape[0], BLOCK_ROWS):
        block = (vectors[start:start + BLOCK_ROWS] @ vectors[start:].T).tocoo()
        keep = (block.data >= floor) & (block.row < block.col)
        found.append((block.row[keep] + start, block.col[keep] + start, block.data[keep]))
    return tuple(np.concatenate(part) for part in zip(*found, strict=True))


def _all_pairs(vectors: sparse.csr_matrix) -> Pairs:
    """Every pair i < j with its cosine, zeros included (the sparse product leaves them out)."""
    rows, cols = np.triu_indices(vectors.shape[0], k=1)
    return rows, cols, (vectors @ vectors.T).toarray()[rows, cols]


def _split(keys: np.ndarray, count: int) -> list[np.ndarray]:
    """Positions of ``keys`` grouped by key 0 … count − 1, ascending within each (a stable sort)."""
    return np.split(np.argsort(keys, kind="stable"), np.cumsum(np.bincount(keys, minlength=count))[:-1])


def _complete_linkage(size: int, pairs: Pairs) -> list[tuple[np.ndarray, float]]:
    """Clusters of ``size`` points (indexes, ascending) in which every pair is in ``pairs``, with their weakest."""
    rows, cols, cosines = pairs
    # A pair missing from ``pairs`` (below the floor) is at distance 2, above the cut at 1.5: the one comparison
    # that chose the pairs decides the clusters too, where a cut at 1 − threshold would meet 1 − s's rounding.
    condensed = np.full(size * (size - 1) // 2, 2.0)
    condensed[size * rows - rows * (rows + 1) // 2 + cols - rows - 1] = np.clip(1.0 - cosines, 0.0, 1.0)
    labels = fcluster(linkage(condensed, method="complete"), t=1.5, criterion="distance") - 1
    count = int(labels.max()) + 1
    inside = labels[rows] == labels[cols]
    weakest = np.full(count, np.inf)
    np.minimum.at(weakest, labels[rows][inside], cosines[inside])
    return [(members, float(weakest[label])) for label, members in enumerate(_split(labels, count))
            if len(members) > 1]


def propose_groups(items: list[Item], threshold: float = DEFAULT_THRESHOLD) -> list[ProposedGroup]:
    """Groups in which every pair reaches the threshold, each of two collectivities or more."""
    if len(items) < 2:
        return []
    if len(items) > MAX_ITEMS:
        raise ValueError(f"trop d'irritants pour une comparaison deux à deux ({len(items)} > {MAX_ITEMS})")
    ordered = sorted(items, key=lambda item: (item.id, item.collectivity_id, item.text))
    ids = np.array([item.id for item in ordered])
    owners = np.array([item.collectivity_id for item in ordered])
    vectors = _vectors([item.text for item in ordered])
    floor = threshold - TOLERANCE
    rows, cols, cosines = _close_pairs(vectors, floor) if floor > 0 else _all_pairs(vectors)
    graph = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ordered), len(ordered)))
    count, component = connected_components(graph, directed=False)
    position = np.zeros(len(ordered), dtype=np.int64)  # an item's index inside its component
    groups = []
    for members, edges in zip(_split(component, count), _split(component[rows], count), strict=True):
        if len(members) < 2 or len(np.unique(owners[members])) < 2:
            continue  # no pair, or a single collectivity: no group to propose
        position[members] = np.arange(len(members))  # members ascend, so i < j stays i < j
        local = (position[rows[edges]], position[cols[edges]], cosines[edges])
        for cluster, weakest in _complete_linkage(len(members), local):
            collectivities = len(np.unique(owners[members[cluster]]))
            if collectivities >= 2:
                groups.append(ProposedGroup(tuple(ids[members[cluster]].tolist()), collectivities, round(weakest, 3)))
    return sorted(groups, key=lambda g: (-g.collectivities, -g.similarity, g.ids))
