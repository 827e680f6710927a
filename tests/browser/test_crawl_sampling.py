"""The crawl's axe sampling, without a browser: which pages of a shape get the audit."""

from __future__ import annotations

from tests.browser.crawl import AXE_PAGES_PER_SHAPE, Crawl, shape


def test_pages_of_one_shape_share_it_whatever_their_numbers_and_query_values():
    """Two irritant pages, or two filtered lists, are one shape; a list and its filtered view are two."""
    assert shape("http://h/irritants/12") == shape("http://h/irritants/3456")
    assert shape("http://h/irritants?theme=rh") == shape("http://h/irritants?theme=finances")
    assert shape("http://h/irritants") != shape("http://h/irritants?theme=rh")


def test_only_the_first_pages_of_each_shape_are_audited_with_axe():
    """Each shape's first pages get axe, the later ones not, and another shape starts its own count."""
    crawl = Crawl(role="equipe", base_url="http://h")
    irritants = [crawl.audit_with_axe(f"http://h/irritants/{n}") for n in range(1, AXE_PAGES_PER_SHAPE + 3)]
    assert irritants == [True] * AXE_PAGES_PER_SHAPE + [False, False]
    assert crawl.audit_with_axe("http://h/ateliers/1")
