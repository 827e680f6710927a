"""A breadth-first, GET-only crawl of the pages a browser session can reach through its links."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from tests.browser.pages import Console, check_page

# Every page a role reaches is visited, each irritant, workshop and collectivity included (the demo holds a few
# hundred); the cap only stops a runaway crawl, and a capped crawl fails.
MAX_PAGES = 1500
# Paths never followed: logging out would end the session; the rest are files, not pages.
SKIPPED_PATHS = ("/deconnexion",)
SKIPPED_PREFIXES = ("/static/",)
SKIPPED_PARTS = ("/exports/",)
SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".zip", ".png", ".svg")
# axe-core takes most of a page's visit; pages of one shape (see ``shape``) come from one template with other
# rows, so the first few of each shape are audited and the rest still get their status, CSP and menu checks.
AXE_PAGES_PER_SHAPE = 3
# Shapes (see ``shape``) whose pages answer something other than 200 on purpose; none so far.
EXPECTED_STATUS: dict[str, int] = {}
LINKS_SCRIPT = "() => Array.from(document.querySelectorAll('a[href]:not([download])'), a => a.href)"


def shape(url: str) -> str:
    """The URL's path with digit runs as ``N`` and its query's keys without their values."""
    parts = urlsplit(url)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def _followable(url: str, base_url: str) -> str | None:
    """The same-origin page URL to visit (fragment dropped), or None for anything not to follow."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = parts.path or "/"
    if (path in SKIPPED_PATHS or path.startswith(SKIPPED_PREFIXES) or any(part in path for part in SKIPPED_PARTS)
            or path.lower().endswith(SKIPPED_SUFFIXES)):
        return None
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


@dataclass
class Crawl:
    """What one role's crawl saw: the pages visited in order, the failures, what it left aside."""

    role: str
    base_url: str
    visited: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    not_pages: list[str] = field(default_factory=list)
    capped: list[str] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    audited: dict[str, int] = field(default_factory=dict)

    def audit_with_axe(self, url: str) -> bool:
        """Whether this page gets the axe audit: the first ``AXE_PAGES_PER_SHAPE`` pages of its shape do."""
        key = shape(url)
        self.audited[key] = self.audited.get(key, 0) + 1
        return self.audited[key] <= AXE_PAGES_PER_SHAPE

    def paths(self) -> set[str]:
        """Visited pages without the origin, each both with its query and without, for membership checks."""
        found = {url.removeprefix(self.base_url) for url in (*self.visited, *self.redirects)}
        return found | {path.partition("?")[0] for path in found}

    def summary(self) -> str:
        """The visited pages, one a line, for a failure message or the test's output."""
        lines = [f"{self.role} : {len(self.visited)} page(s) visitée(s), "
                 f"{sum(min(n, AXE_PAGES_PER_SHAPE) for n in self.audited.values())} passée(s) à axe-core"]
        lines += [f"  {url.removeprefix(self.base_url)}" for url in self.visited]
        lines += [f"  (redirection : {source.removeprefix(self.base_url)} → {target.removeprefix(self.base_url)})"
                  for source, target in self.redirects.items()]
        if self.not_pages:
            lines.append("  non visités (téléchargements ou pas du HTML) : "
                         + ", ".join(url.removeprefix(self.base_url) for url in self.not_pages))
        if self.capped:
            lines.append(f"  laissés de côté (plafond de {MAX_PAGES} pages atteint) : {len(self.capped)}")
        return "\n".join(lines)


def _visit(page, console: Console, crawl: Crawl, url: str, inspect) -> list[str]:
    """Open one page, record what is wrong with it, and return the links it holds."""
    from playwright.sync_api import Error

    console.clear()
    try:
        response = page.goto(url)
    except Error as error:
        # A link the browser turns into a download is a file, not a page: nothing to check.
        if "Download is starting" in str(error):
            crawl.not_pages.append(url)
            return []
        crawl.failures.append(f"{url} : ne s'ouvre pas ({error})")
        return []
    if response is None:
        crawl.failures.append(f"{url} : aucune réponse")
        return []
    if "text/html" not in (response.headers.get("content-type") or ""):
        crawl.not_pages.append(url)
        return []
    if page.url != url:  # a redirect: the final page is the one checked, and whose links count
        crawl.redirects[url] = page.url
        if page.url in crawl.visited:
            return []
    crawl.visited.append(page.url)
    expected = EXPECTED_STATUS.get(shape(url), 200)
    if response.status != expected:
        crawl.failures.append(f"{url} : HTTP {response.status}, attendu {expected}")
    try:
        check_page(page, console, axe=crawl.audit_with_axe(page.url))
        if inspect is not None:
            inspect(page)
    except AssertionError as failure:
        crawl.failures.append(str(failure))
    return page.evaluate(LINKS_SCRIPT) if response.status == 200 else []


def crawl(page, console: Console, *, role: str, base_url: str, start: tuple[str, ...] = ("/",),
          inspect=None) -> Crawl:
    """Visit breadth-first every page reachable from ``start``; ``inspect(page)`` may assert more on each."""
    result = Crawl(role=role, base_url=base_url)
    queue: deque[str] = deque()
    seen: set[str] = set()

    def enqueue(url: str) -> None:
        followable = _followable(urljoin(base_url, url), base_url)
        if followable is None or followable in seen:
            return
        seen.add(followable)
        queue.append(followable)

    for url in start:
        enqueue(url)
    while queue:
        if len(result.visited) >= MAX_PAGES:
            result.capped.extend(queue)
            result.failures.append(f"plafond de {MAX_PAGES} pages atteint : {len(queue)} page(s) non visitée(s)")
            break
        url = queue.popleft()
        if url in result.visited:  # already reached as the target of a redirect
            continue
        links = _visit(page, console, result, url, inspect)
        seen.add(page.url)  # a redirect's target needs no second visit
        for link in links:
            enqueue(link)
    return result
