"""No dead ends: crawled as each role over the demo programme, no page a role reaches is refused to it, no page shows
a form its reader may not submit, and no French page names a month in English."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from hub.core.models import User
from tests.conftest import logged_in
from tests.hub.page_crawl import _PageParser, crawl, shape

DEMO_ENV = {"HUB_DEMO_PASSWORD": "mot-de-passe-demo"}
ROLES = {
    "admin": "admin@demo.hub",
    "facilitator": "equipe@demo.hub",
    "steering": "comite@demo.hub",
    "participant": "referent.chalon-sur-saone@demo.hub",
}
# Posting these changes nothing in the programme (hub.core.auth.NON_WRITING_ENDPOINTS): the session and language.
NOT_SUBMITTED = ("/deconnexion", "/langue")
ENGLISH_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                           r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


@pytest.fixture
def demo(runner, db):
    """The demo programme, loaded inside the test's transaction."""
    result = runner.invoke(args=["demo"], env=DEMO_ENV)
    assert result.exit_code == 0, result.output


def _client(app, db, role):
    user = db.exec(select(User).where(User.email == ROLES[role])).one()
    return logged_in(app, user)


def _refused_forms(client, connection, pages) -> list[str]:
    """Submit every form of a distinct target as shown (its own values), each undone afterwards; the refused ones."""
    refused, tried = [], set()
    for page in pages:
        for form in page.forms:
            target = urlsplit(form.action)
            key = (form.method, shape(target.path))
            if target.path in NOT_SUBMITTED or key in tried:
                continue
            tried.add(key)
            savepoint = connection.begin_nested()
            try:
                if form.method == "post":
                    response = client.post(target.path, data=form.fields)
                else:
                    response = client.get(target.path, query_string=form.fields)
            finally:
                savepoint.rollback()
            if response.status_code == 403:
                refused.append(f"{page.path} : {form.method.upper()} {target.path} → 403")
    return refused


@pytest.mark.parametrize("role", ROLES)
def test_a_role_crawling_its_pages_meets_no_dead_end(app, db, connection, demo, role):
    """One crawl per role (a few pages of each shape), three checks on what it found."""
    client = _client(app, db, role)
    pages = crawl(client)
    assert len(pages) > 5, [page.path for page in pages]
    refused_pages = [page.path for page in pages if page.status == 403]
    english = [f"{page.path} : {match.group(0)!r}" for page in pages
               for match in [ENGLISH_MONTH.search(page.text)] if match]
    refused_forms = _refused_forms(client, connection, pages)
    assert not refused_pages, f"pages liées mais refusées : {refused_pages}"
    assert not english, "mois en anglais sur une page en français :\n" + "\n".join(english)
    assert not refused_forms, "formulaires montrés mais refusés :\n" + "\n".join(refused_forms)


def test_the_committee_reads_the_irritant_behind_a_decision(app, db, demo):
    client = _client(app, db, "steering")
    pages = {page.path: page for page in crawl(client)}
    irritants = [path for path in pages if re.fullmatch(r"/irritants/\d+", path)]
    assert irritants, sorted(pages)
    page = pages[irritants[0]]
    assert page.status == 200 and "Historique" in page.text
    assert not [form for form in page.forms if form.method == "post" and "/langue" not in form.action
                and "/deconnexion" not in form.action]


def test_the_month_check_reads_the_words_and_the_alt_texts_of_a_page():
    """The check bites: an English month in a chart's alt text is found; French dates and « sept » are not."""
    parser = _PageParser("http://localhost/")
    parser.feed('<p>Sept collectivités, le 1er mai 2024 et le 3 sept. 2024</p><script>var m = "May";</script>')
    assert not ENGLISH_MONTH.search(" ".join(parser.text))
    parser.feed('<img alt="Usage : 6 en Oct 2024" src="x.png">')
    assert ENGLISH_MONTH.search(" ".join(parser.text)).group(0) == "Oct"
