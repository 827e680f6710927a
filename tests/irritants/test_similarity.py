"""Similarity groups: every pair of a group reaches the threshold, whatever the order the irritants come in."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from irritants.similarity import TOLERANCE, Item, propose_groups, similarity_matrix

# Each word in exactly two texts of five words, so every word weighs the same and a cosine is shared words / 5:
# 1–2 and 3–4 share one word (0.2), every other pair two (0.4); in floats 0.19999999999999998 and 0.39999999999999997.
SQUARE = ["courrier arrêtés paie facture signature", "courrier convocation cimetière subvention mission",
          "arrêtés paie convocation cimetière urbanisme", "facture signature subvention mission urbanisme"]
PHRASES = ["courrier", "arrêtés anciens", "état civil", "ordres de mission", "signature", "paie", "factures",
           "convocation du conseil", "recherche", "archives", "délibérations", "cimetière", "urbanisme"]


def test_a_chain_of_look_alikes_does_not_join_its_two_ends():
    # 1~2 and 3~4 at 0.438, 2~3 at 0.5, 1 and 4 share no word: the linked set would be 1, 2, 3, 4.
    texts = ["signature courrier", "courrier arrêté", "arrêté paie", "paie facture"]
    cosines = similarity_matrix(texts)
    assert cosines[0, 1] > 0.3 and cosines[1, 2] > 0.3 and cosines[2, 3] > 0.3 and cosines[0, 3] == 0
    groups = propose_groups([Item(i, i, text) for i, text in enumerate(texts, start=1)], threshold=0.3)
    assert [(g.ids, g.similarity) for g in groups] == [((2, 3), 0.5)]
    assert not any({1, 4} <= set(g.ids) for g in groups)


def test_a_pair_exactly_at_the_threshold_meets_it_and_exact_ties_go_by_id():
    cosines = similarity_matrix(SQUARE)
    assert cosines[0, 1] < 0.2 and cosines[0, 2] < 0.4  # float rounding falls just short of the exact value
    items = [Item(i, i, text) for i, text in enumerate(SQUARE, start=1)]
    assert [(g.ids, g.similarity) for g in propose_groups(items, threshold=0.2)] == [((1, 2, 3, 4), 0.2)]
    # At 0.4 the pairs 1–3, 1–4, 2–3, 2–4 all tie: the lowest id takes its lowest-id partner, in any input order.
    expected = [((1, 3), 0.4), ((2, 4), 0.4)]
    assert [(g.ids, g.similarity) for g in propose_groups(items, threshold=0.4)] == expected
    assert [(g.ids, g.similarity) for g in propose_groups(items[::-1], threshold=0.4)] == expected


def test_irritants_of_one_collectivity_group_only_with_another_collectivity():
    alike = [Item(1, 7, "Recherche d'anciens arrêtés"), Item(2, 7, "Recherche des anciens arrêtés")]
    assert propose_groups(alike, threshold=0.5) == []
    groups = propose_groups([*alike, Item(3, 8, "Rechercher un ancien arrêté")], threshold=0.5)
    assert [(g.ids, g.collectivities) for g in groups] == [((1, 2, 3), 2)]


def test_texts_without_any_term_group_nothing():
    assert propose_groups([Item(1, 1, "le la les"), Item(2, 2, "")], threshold=0.1) == []


irritants = st.lists(st.tuples(st.integers(1, 4), st.lists(st.sampled_from(PHRASES), max_size=4)), max_size=24)


@settings(max_examples=80, deadline=None)
@given(rows=irritants, threshold=st.floats(0.05, 1.0), data=st.data())
def test_every_pair_of_every_group_meets_the_threshold_in_any_order(rows, threshold, data):
    ids = data.draw(st.lists(st.integers(1, 10_000), min_size=len(rows), max_size=len(rows), unique=True))
    items = [Item(i, owner, " ".join(words)) for i, (owner, words) in zip(ids, rows, strict=True)]
    groups = propose_groups(items, threshold)
    cosines = similarity_matrix([item.text for item in items])
    index = {item.id: n for n, item in enumerate(items)}
    owner = {item.id: item.collectivity_id for item in items}
    seen: set[int] = set()
    for group in groups:
        assert list(group.ids) == sorted(group.ids) and not seen & set(group.ids)
        seen |= set(group.ids)
        assert group.collectivities == len({owner[i] for i in group.ids}) >= 2
        weakest = min(cosines[index[a], index[b]] for a, b in combinations(group.ids, 2))
        assert weakest >= threshold - TOLERANCE and group.similarity == round(weakest, 3)
    assert groups == sorted(groups, key=lambda g: (-g.collectivities, -g.similarity, g.ids))
    assert propose_groups(data.draw(st.permutations(items)), threshold) == groups
