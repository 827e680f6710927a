"""A server-side crawl of the pages a role reaches through its links, with the forms each page shows.

The browser crawl (tests/browser/crawl.py) checks how pages look and read; this one, through Flask's test client,
is fast enough to also submit every form a role is shown, each in a savepoint rolled back afterwards.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

# Links never followed: logging out ends the session; the rest are files, not pages.
SKIPPED_PATHS = ("/deconnexion",)
SKIPPED_PREFIXES = ("/static/", "/exports/", "/donnees-ouvertes/")
SKIPPED_SUFFIXES = (".pdf", ".csv", ".xlsx", ".json", ".zip", ".png", ".svg")
# Pages of one shape (one template) are alike: a few of each are enough to see every form and label they show.
PER_SHAPE = 2
MAX_PAGES = 600


def shape(path: str) -> str:
    """The path with digit runs as ``N`` and its query's keys without their values."""
    parts = urlsplit(path)
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Form:
    """A form as the page shows it: where it goes, how, and the fields it sends with their values."""

    page: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.text: list[str] = []
        self._form: Form | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # What a screen reader reads counts as the page's words too: a chart's alt text names its months.
        self.text.extend(value for name, value in attributes.items() if name in ("alt", "title", "aria-label")
                         and value)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "a" and attributes.get("href") and "download" not in attributes:
            self.links.append(urljoin(self.page, attributes["href"]))
        elif tag == "form":
            self._form = Form(page=self.page, action=urljoin(self.page, attributes.get("action") or self.page),
                              method=(attributes.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and attributes.get("name"):
            if attributes.get("type") in ("checkbox", "radio") and "checked" not in attributes:
                return
            self._form.fields.setdefault(attributes["name"], attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@dataclass
class Page:
    """One page the crawl opened: its path, status, visible text and forms."""

    path: str
    status: int
    text: str
    forms: list[Form]


def _followable(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return None
    path = parts.path or "/"
    if path in SKIPPED_PATHS or path.startswith(SKIPPED_PREFIXES) or path.lower().endswith(SKIPPED_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: tuple[str, ...] = ("/",)) -> list[Page]:
    """Open breadth-first every HTML page reachable from ``start`` (a few of each shape), following redirects."""
    pages: list[Page] = []
    queue: deque[str] = deque()
    seen: set[str] = set()
    per_shape: dict[str, int] = {}

    def enqueue(url: str) -> None:
        path = _followable(url)
        if path is None or path in seen or per_shape.get(shape(path), 0) >= PER_SHAPE:
            return
        seen.add(path)
        per_shape[shape(path)] = per_shape.get(shape(path), 0) + 1
        queue.append(path)

    for path in start:
        enqueue(path)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path, follow_redirects=True)
        if "text/html" not in (response.content_type or ""):
            continue
        parser = _PageParser(f"http://localhost{response.request.path}")
        parser.feed(response.get_data(as_text=True))
        pages.append(Page(path=path, status=response.status_code, text=" ".join(parser.text), forms=parser.forms))
        for link in parser.links:
            enqueue(link)
    return pages
