"""No input breaks the hub: every page, as every role, with hostile forms and query strings, never answers 500.

The pages come from ``app.url_map`` (filled with the test world's objects); the forms from the pages themselves,
so a new form or field is fuzzed without touching this file. Each role's writes are rolled back before the next.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.hub.fuzz_support import QUERY, Fuzzer, post_forms

ROLES = ("admin", "facilitator", "steering", "participant")
# Static files, PDF renderings (slow and covered by their own tests) and the invitation (a token of its own).
SKIPPED = {"static", "capture.static", "publication.static", "hub.invitation"}


def _args(world, db) -> dict:
    return {"collectivity_id": world.own.id, "workshop_id": world.own_workshop.id,
            "irritant_id": world.own_irritant.id, "slug": world.programme.slug,
            "enrolment_id": world.enrolment(db, world.own).id, "user_id": world.users["participant"].id,
            "option_id": world.own_option.id, "group_id": world.group.id, "usage_id": world.own_usage.id,
            "wave_id": world.wave.id, "fmt": "csv", "measure_id": world.own_measure.id,
            "result_id": world.own_result.id, "grant_id": world.own_grant.id, "number": 1,
            "collectivity_slug": world.own.slug, "name": "irritants.csv"}


def pages(app, world, db) -> list[str]:
    """Every GET route of the app, filled with the world's own objects."""
    args, urls = _args(world, db), []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" in rule.methods and rule.endpoint not in SKIPPED and not rule.rule.endswith(".pdf"):
                urls.append(url_for(rule.endpoint, **{k: args[k] for k in rule.arguments}))
    return urls


@pytest.fixture
def fuzz_world(world, db):
    """The world with its workshops published and a report version, so that every page has something to show."""
    for workshop in (world.own_workshop, world.foreign_workshop):
        workshop.status = "published"
        db.add(workshop)
    factories.published_version(db, world.programme)
    db.commit()
    return world


def _report(fuzzer_runs: list[Fuzzer], started: float) -> tuple[int, list[str]]:
    failures = [failure for run in fuzzer_runs for failure in run.failures]
    requests = sum(run.requests for run in fuzzer_runs)
    print(f"\nfuzz : {requests} requêtes, {len(failures)} erreurs, {time.monotonic() - started:.1f} s")
    slowest = sum((run.seconds for run in fuzzer_runs), Counter()).most_common(5)
    print("les plus lentes : " + ", ".join(f"{path} {seconds:.1f} s" for path, seconds in slowest))
    return requests, failures


def _forms_by_role(app, world, db, client_as, connection):
    seen, found = set(), []
    urls = pages(app, world, db)
    for role in ROLES:
        client = client_as(role)
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                for form in post_forms(response.get_data(as_text=True), f"http://localhost{url}"):
                    if form.key() not in seen:
                        seen.add(form.key())
                        found.append((role, form))
    return urls, found


def test_no_form_answers_500(app, fuzz_world, db, client_as, connection):
    """Every post form of every page, as the first role that sees it, with every hostile payload per field."""
    started = time.monotonic()
    _urls, found = _forms_by_role(app, fuzz_world, db, client_as, connection)
    runs = {role: Fuzzer(client_as(role), role) for role in ROLES}
    for role, form in found:
        case = connection.begin_nested()  # each form fuzzed from the same world
        runs[role].fuzz_form(form)
        case.rollback()
    requests, failures = _report(list(runs.values()), started)
    assert len(found) >= 30, [form.action for _role, form in found]
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
STRATEGIES = {"number": NUMBERS, "date": DATES, "month": DATES, "select": st.one_of(NUMBERS, TEXTS),
              "hidden": st.one_of(NUMBERS, TEXTS), "email": TEXTS, "checkbox": TEXTS}


def test_no_generated_value_answers_500(app, fuzz_world, db, client_as, connection):
    """Hypothesis draws a form, a field and a value of the field's kind; none answers 500."""
    started = time.monotonic()
    _urls, found = _forms_by_role(app, fuzz_world, db, client_as, connection)
    runs = {role: Fuzzer(client_as(role), role) for role in ROLES}
    targets = [(role, form, f) for role, form in found for f in form.fields if f.kind != "file"]

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post_one(data):
        role, form, target = data.draw(st.sampled_from(targets), label="champ")
        value = data.draw(STRATEGIES.get(target.kind, TEXTS), label="valeur")
        case = connection.begin_nested()
        runs[role].post(form, target.name, value, repr(value)[:60])
        case.rollback()

    post_one()
    _requests, failures = _report(list(runs.values()), started)
    assert not failures, f"{len(failures)} erreurs serveur :\n" + "\n".join(failures)
