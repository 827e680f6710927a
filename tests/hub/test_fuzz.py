"""No input breaks the hub: every page, as every role, with hostile forms and query strings, never answers 500.

The pages come from ``app.url_map`` (filled with the test world's objects); the forms from the pages themselves,
so a new form or field is fuzzed without touching this file, and the forms a valid import preview draws (its
confirmation). Each role's writes are rolled back before the next.

The fuzz checks what a form does with what is posted, not the long work it may queue: the forms that queue a
report's rendering are posted to the app with a queue no worker reads (a valid publication is saved and queued,
its report is not rendered, as in production until a worker takes it; the rendering has tests of its own).
"""

from __future__ import annotations

import base64
import io
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from irritants.models import IrritantPhoto
from tests import factories
from tests.conftest import logged_in
from tests.hub.fuzz_support import QUERY, Fuzzer, post_forms

ROLES = ("admin", "facilitator", "steering", "participant")
# Static files (the app's and every blueprint's), PDF renderings (slow and covered by their own tests) and the
# invitation (a token of its own).
SKIPPED = {"static", "hub.invitation"}
# Posts that queue a report's rendering: sent to the app whose queue no worker reads.
QUEUED = {"publication.publish", "publication.retry"}


def _args(world, db) -> dict:
    return {"collectivity_id": world.own.id, "workshop_id": world.own_workshop.id,
            "irritant_id": world.own_irritant.id, "slug": world.programme.slug,
            "enrolment_id": world.enrolment(db, world.own).id, "user_id": world.users["participant"].id,
            "option_id": world.own_option.id, "group_id": world.group.id, "usage_id": world.own_usage.id,
            "wave_id": world.wave.id, "fmt": "csv", "measure_id": world.own_measure.id,
            "result_id": world.own_result.id, "grant_id": world.own_grant.id, "number": 1,
            "collectivity_slug": world.own.slug, "name": "irritants.csv", "code": "27", "token": "jeton-inconnu",
            "notification_id": 0,
            # The fuzz world's photo (fuzz_world), or an unknown one.
            "photo_id": db.exec(select(IrritantPhoto.id).order_by(IrritantPhoto.id)).first() or 0}


def pages(app, world, db) -> list[str]:
    """Every GET route of the app, filled with the world's own objects."""
    args, urls = _args(world, db), []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" in rule.methods and rule.endpoint not in SKIPPED and not rule.endpoint.endswith(".static") \
                    and not rule.rule.endswith(".pdf"):
                urls.append(url_for(rule.endpoint, **{k: args[k] for k in rule.arguments}))
    return urls


@pytest.fixture
def fuzz_world(app, world, db):
    """The world with its workshops published, a report version and a photo, so that every page has something
    to show."""
    for workshop in (world.own_workshop, world.foreign_workshop):
        workshop.status = "published"
        db.add(workshop)
    factories.published_version(db, world.programme)
    with app.app_context():
        factories.photo(db, world.own_irritant)
    db.commit()
    return world


@pytest.fixture
def queued_app(make_app, tmp_path):
    """The app with a queue of its own that no worker reads: what a post queues waits there."""
    return make_app(JOBS_URL=f"sqlite:///{tmp_path / 'file-d-attente' / 'jobs.db'}")


def _previews(world) -> dict[str, bytes]:
    """A valid file for each import whose preview draws a confirmation form, by the preview's endpoint."""
    return {
        "participants.collectivity_import": "nom;type;departement\nCommune du fuzz;commune;71\n".encode(),
        "usage.usage_import": (f"collectivite;mois;utilisateurs_actifs;requetes;cas_usage\n"
                               f"{world.own.slug};2024-11;7;150;redaction:100\n").encode(),
    }


def _endpoint(app, url: str) -> str:
    """The endpoint a form posts to."""
    return app.url_map.bind("localhost").match(urlsplit(url).path, method="POST")[0]


class Runs:
    """One fuzzer per role on the app, and one on the queued app for the forms that queue a rendering."""

    def __init__(self, app, queued_app, world, client_as):
        self.app = app
        self.direct = {role: Fuzzer(client_as(role), role) for role in ROLES}
        self.queued = {role: Fuzzer(logged_in(queued_app, world.users[role]), role) for role in ROLES}

    def __call__(self, role: str, form) -> Fuzzer:
        """The fuzzer that posts this form as this role."""
        return (self.queued if _endpoint(self.app, form.action) in QUEUED else self.direct)[role]

    def all(self) -> list[Fuzzer]:
        """Every fuzzer, for the report."""
        return [*self.direct.values(), *self.queued.values()]


def _report(fuzzer_runs: list[Fuzzer], started: float) -> tuple[int, list[str]]:
    failures = [failure for run in fuzzer_runs for failure in run.failures]
    requests = sum(run.requests for run in fuzzer_runs)
    print(f"\nfuzz : {requests} requêtes, {len(failures)} erreurs, {time.monotonic() - started:.1f} s")
    slowest = sum((run.seconds for run in fuzzer_runs), Counter()).most_common(5)
    print("les plus lentes : " + ", ".join(f"{path} {seconds:.1f} s" for path, seconds in slowest))
    return requests, failures


def _forms_by_role(app, world, db, client_as, connection):
    seen, found = set(), []
    urls, previews = pages(app, world, db), _previews(world)

    def keep(role, html: str, page: str) -> None:
        for form in post_forms(html, page):
            if form.key() not in seen:
                seen.add(form.key())
                found.append((role, form))

    for role in ROLES:
        client = client_as(role)
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                keep(role, response.get_data(as_text=True), f"http://localhost{url}")
    # An import's confirmation is drawn by a valid preview only: preview a valid file, keep the forms it draws.
    for role, form in list(found):
        content = previews.get(_endpoint(app, form.action))
        if content is not None:
            case = connection.begin_nested()
            data = {**form.baseline(), **{f.name: (io.BytesIO(content), "essai.csv") for f in form.fields
                                          if f.kind == "file"}}
            response = client_as(role).post(form.action, data=data, content_type="multipart/form-data")
            case.rollback()
            assert response.status_code == 200, (form.action, response.status_code)
            keep(role, response.get_data(as_text=True), form.action)
    return urls, found


def _confirmations(found) -> set[str]:
    return {urlsplit(form.action).path for _role, form in found if form.action.endswith("/import/confirmer")}


def test_no_form_answers_500(app, queued_app, fuzz_world, db, client_as, connection):
    """Every post form of every page, as the first role that sees it, with every hostile payload per field."""
    started = time.monotonic()
    _urls, found = _forms_by_role(app, fuzz_world, db, client_as, connection)
    runs = Runs(app, queued_app, fuzz_world, client_as)
    for role, form in found:
        case = connection.begin_nested()  # each form fuzzed from the same world
        runs(role, form).fuzz_form(form)
        case.rollback()
    requests, failures = _report(runs.all(), started)
    assert len(found) >= 30, [form.action for _role, form in found]
    assert _confirmations(found) == {"/collectivites/import/confirmer",
                                     f"/programmes/{fuzz_world.programme.slug}/usages/import/confirmer"}
    # A valid publication was posted too: saved and queued, not rendered.
    assert queued_app.extensions["hub.jobs"][0].pending_count() >= 1
    assert requests >= 1000
    assert not failures, f"{len(failures)} erreurs serveur :\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_no_query_string_answers_500(app, fuzz_world, db, client_as, role):
    """Every GET route with every parameter hostile, together and one by one."""
    started = time.monotonic()
    fuzzer = Fuzzer(client_as(role), role)
    for url in pages(app, fuzz_world, db):
        fuzzer.fuzz_query(url, QUERY)
    _requests, failures = _report([fuzzer], started)
    assert not failures, f"{len(failures)} erreurs serveur :\n" + "\n".join(failures)


NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str), st.floats().map(repr),
    st.integers(min_value=-(10 ** 40), max_value=10 ** 40).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=8))
TEXTS = st.one_of(st.text(max_size=50), st.text(min_size=150, max_size=400),
                  st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=4))
DATES = st.one_of(st.dates().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
                  st.from_regex(r"\A[0-9]{4}-[0-9]{2}(-[0-9]{2})?\Z"))
CARRIED_FILES = st.one_of(TEXTS, st.binary(max_size=300).map(lambda raw: base64.b64encode(raw).decode("ascii")))
STRATEGIES = {"number": NUMBERS, "date": DATES, "month": DATES, "select": st.one_of(NUMBERS, TEXTS),
              "hidden": st.one_of(NUMBERS, TEXTS), "email": TEXTS, "checkbox": TEXTS, "carried": CARRIED_FILES}


def test_no_generated_value_answers_500(app, queued_app, fuzz_world, db, client_as, connection):
    """Hypothesis draws a form, a field and a value of the field's kind; none answers 500."""
    started = time.monotonic()
    _urls, found = _forms_by_role(app, fuzz_world, db, client_as, connection)
    runs = Runs(app, queued_app, fuzz_world, client_as)
    targets = [(role, form, f) for role, form in found for f in form.fields if f.kind != "file"]

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post_one(data):
        role, form, target = data.draw(st.sampled_from(targets), label="champ")
        value = data.draw(STRATEGIES.get(target.kind, TEXTS), label="valeur")
        case = connection.begin_nested()
        runs(role, form).post(form, target.name, value, repr(value)[:60])
        case.rollback()

    post_one()
    _requests, failures = _report(runs.all(), started)
    assert not failures, f"{len(failures)} erreurs serveur :\n" + "\n".join(failures)
