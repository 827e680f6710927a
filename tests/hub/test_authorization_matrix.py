"""Every route × every role × own and foreign object, with the status each must answer.

A route that is not in RULES fails the suite: a new page needs its rule here.
"""

from __future__ import annotations

import re

import pytest

from tests import factories

TEAM = {"admin", "facilitator"}
ROLES = ("anonymous", "admin", "facilitator", "steering", "participant")
PUBLIC = "public"

# endpoint → {method: roles allowed (or PUBLIC)}; "scoped" marks routes whose URL names an
# object owned by a collectivity, where a référent asking for another's gets 404.
RULES = {
    "home.index": {"GET": TEAM | {"steering", "participant"}},
    "hub.login": {"GET": PUBLIC, "POST": PUBLIC},
    "hub.logout": {"POST": PUBLIC},
    "hub.set_language": {"POST": PUBLIC},
    "hub.csrf_token": {"GET": TEAM | {"steering", "participant"}},
    # Posted without a correction waiting: a bad request once the role is allowed.
    "usage.settle_correction": {"POST": TEAM, "scoped": True, "also": {400}},
    "surveys.settle_correction": {"POST": TEAM, "scoped": True, "also": {400}},
    "home.programme": {"GET": TEAM | {"steering"}},
    # The homes' full lists: the team's to-do lists, and the irritants behind a figure of the committee's dashboard.
    "home.todo_list": {"GET": TEAM},
    "home.figure_list": {"GET": TEAM | {"steering"}},
    # Public, and a made-up token is simply unknown to everyone.
    "hub.invitation": {"GET": PUBLIC, "POST": PUBLIC, "expect": {404}},
    "participants.collectivity_list": {"GET": TEAM},
    "participants.collectivity_new": {"GET": TEAM, "POST": TEAM},
    "participants.collectivity_edit": {"GET": TEAM, "POST": TEAM, "scoped": True},
    "participants.collectivity_merge": {"GET": TEAM, "POST": TEAM, "scoped": True},
    "participants.enrol": {"POST": TEAM, "scoped": True},
    "registry.search": {"GET": TEAM},
    # The search page: every logged-in role, each finding only what it may open (tests/hub/test_search.py).
    "search.search_page": {"GET": TEAM | {"steering", "participant"}},
    # A région the registry does not hold (none is loaded in the matrix's world): not found once the role is allowed.
    "registry.region_list": {"GET": TEAM, "also": {404}},
    "participants.collectivity_import": {"GET": TEAM, "POST": TEAM},
    # Posted without the previewed file it confirms: a bad request once the role is allowed.
    "participants.collectivity_import_confirm": {"POST": TEAM, "also": {400}},
    "participants.import_example": {"GET": TEAM},
    "participants.invite_referent": {"POST": TEAM, "scoped": True},
    "participants.reinvite_referent": {"POST": TEAM, "scoped": True},
    "selection.candidacies": {"GET": TEAM},
    "selection.candidacy_new": {"POST": TEAM},
    "selection.motivation_score": {"POST": TEAM, "scoped": True},
    "selection.coverage": {"GET": TEAM | {"steering"}},
    "usage.usage_page": {"GET": TEAM | {"steering", "participant"}},
    "usage.grant": {"POST": TEAM},
    "usage.record_month": {"POST": TEAM | {"participant"}},
    "usage.validate": {"POST": TEAM, "scoped": True},
    "usage.usage_import": {"GET": TEAM, "POST": TEAM},
    "usage.usage_import_confirm": {"POST": TEAM, "also": {400}},
    "usage.usage_example": {"GET": TEAM},
    "surveys.survey_page": {"GET": TEAM | {"steering", "participant"}},
    "surveys.wave_new": {"POST": TEAM},
    "surveys.record_result": {"POST": TEAM | {"participant"}},
    "surveys.import_answers": {"POST": TEAM},
    "impact.impact_page": {"GET": TEAM | {"steering", "participant"}},
    "impact.measure_new": {"POST": TEAM | {"participant"}},
    "impact.value_new": {"POST": TEAM | {"participant"}, "scoped": True},
    "impact.validate_measure": {"POST": TEAM, "scoped": True},
    "surveys.validate_result": {"POST": TEAM, "scoped": True},
    "usage.withdraw": {"POST": TEAM, "scoped": True},
    "participants.collectivity_detail": {"GET": TEAM | {"participant"}, "scoped": True},
    "participants.enrolment_status": {"POST": TEAM, "scoped": True},
    "workshops.workshop_list": {"GET": TEAM | {"participant"}},
    "workshops.workshop_detail": {"GET": TEAM | {"participant"}, "scoped": True},
    "workshops.close_workshop": {"POST": TEAM, "scoped": True},
    "workshops.calendar": {"GET": TEAM},
    "workshops.plan_workshop": {"GET": TEAM, "POST": TEAM},
    "workshops.edit_workshop": {"GET": TEAM, "POST": TEAM, "scoped": True},
    "workshops.publish_workshop": {"POST": TEAM, "scoped": True},
    "workshop_reports.workshop_report": {"GET": TEAM | {"participant"}, "scoped": True},
    "workshop_reports.workshop_report_pdf": {"GET": TEAM | {"participant"}, "scoped": True},
    "hypotheses.hypothesis_library": {"GET": TEAM | {"steering"}},
    "hypotheses.hypothesis_new": {"POST": TEAM},
    "hypotheses.record_outcome": {"POST": TEAM, "scoped": True},
    # The day's hypotheses, on site: the team's, like the capture page it is one tap from.
    "hypotheses.day_hypotheses": {"GET": TEAM, "scoped": True},
    "capture.capture_page": {"GET": TEAM, "scoped": True},
    "capture.capture_entry": {"POST": TEAM, "scoped": True},
    "irritants.irritant_list": {"GET": TEAM},
    "irritants.irritant_detail": {"GET": TEAM | {"participant", "steering"}, "scoped": True},
    "irritants.irritant_status": {"POST": TEAM, "scoped": True},
    "irritants.irritant_new": {"GET": TEAM | {"participant"}, "POST": TEAM | {"participant"}},
    "irritants.my_board": {"GET": {"participant"}},
    "irritants.programme_board": {"GET": TEAM},
    "irritants.comment": {"POST": TEAM | {"participant"}, "scoped": True},
    # An irritant's photos: added and deleted by the team, seen by whoever sees the irritant (posted empty: 422).
    "photos.upload": {"POST": TEAM, "scoped": True},
    "photos.photo_file": {"GET": TEAM | {"participant", "steering"}, "scoped": True},
    "photos.photo_delete": {"POST": TEAM, "scoped": True},
    # A programme's services list: the project team manages it; a référent only chooses from it in a proposal.
    "services.service_page": {"GET": TEAM},
    "services.service_add": {"POST": TEAM},
    "services.service_rename": {"POST": TEAM},
    "services.service_merge": {"POST": TEAM},
    "method.qualify": {"POST": TEAM, "scoped": True},
    "method.add_option": {"POST": TEAM, "scoped": True},
    "method.suggest_options": {"POST": TEAM, "scoped": True},
    "method.remove_option": {"POST": TEAM, "scoped": True},
    "options.edit_option": {"GET": TEAM, "POST": TEAM, "scoped": True},
    "method.parameters": {"GET": TEAM | {"steering"}, "POST": {"admin"}},
    "decisions.record": {"POST": TEAM, "scoped": True},
    "decisions.decision_log": {"GET": TEAM | {"steering"}},
    # --- data exports (CSV, XLSX, JSON): each with the roles of the list it comes from; the open-data
    # catalogue is public (anonymised, read through its own session).
    "data_exports.irritants": {"GET": TEAM},
    "data_exports.workshops": {"GET": TEAM | {"participant"}},
    "data_exports.decisions": {"GET": TEAM | {"steering"}},
    "data_exports.usage": {"GET": TEAM | {"steering", "participant"}},
    "data_exports.opendata_page": {"GET": PUBLIC},
    "data_exports.opendata_csv": {"GET": PUBLIC},
    "data_exports.opendata_package": {"GET": PUBLIC},
    "data_exports.opendata_version_file": {"GET": PUBLIC},
    # --- end of data exports
    "groups.group_list": {"GET": TEAM | {"steering"}},
    "groups.propose": {"POST": TEAM},
    "groups.decide": {"POST": TEAM},
    "groups.decide_group": {"POST": TEAM},
    "irritants.collectivity_board": {"GET": TEAM | {"participant"}, "scoped": True},
    "exports.report": {"GET": TEAM | {"steering"}},
    "exports.sheet_pdf": {"GET": TEAM | {"steering", "participant"}, "scoped": True},
    # Report versions: the world has version 1 published (test_matrix); publishing renders version 2.
    "publication.version_list": {"GET": TEAM | {"steering"}},
    "publication.publish": {"POST": {"admin"}},
    "publication.retry": {"POST": {"admin"}},
    "publication.progress": {"GET": {"admin"}},
    "publication.state": {"GET": {"admin"}},
    "publication.version_page": {"GET": TEAM | {"steering"}},
    "publication.version_pdf": {"GET": TEAM | {"steering"}},
    # The published report's key figures, counts only: a référent reads those of their own programme.
    "publication.key_figures": {"GET": TEAM | {"steering", "participant"}},
    # Without the version to compare from (?de=N) there is nothing to show.
    "publication.compare_versions": {"GET": TEAM | {"steering"}, "expect_allowed": {404}},
    # The report cover's logo: the admin's alone, like publishing (a POST without a file is shown again, 422).
    "report_cover.logo": {"GET": {"admin"}, "POST": {"admin"}},
    "report_cover.remove_logo": {"POST": {"admin"}},
    # Accounts and the audit log: the admin's alone; the forgotten-password pages are public (a made-up reset
    # token is unknown to everyone).
    "accounts.account_list": {"GET": {"admin"}},
    "accounts.invite": {"GET": {"admin"}, "POST": {"admin"}},
    "accounts.account_detail": {"GET": {"admin"}},
    "accounts.change_role": {"POST": {"admin"}},
    "accounts.deactivate": {"POST": {"admin"}},
    "accounts.reactivate": {"POST": {"admin"}},
    "accounts.new_link": {"POST": {"admin"}},
    "accounts.journal_page": {"GET": {"admin"}},
    "accounts.journal_csv": {"GET": {"admin"}},
    "accounts.forgot_password": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts.reset_password": {"GET": PUBLIC, "POST": PUBLIC, "expect": {404}},
    # Programmes: the admin alone creates, edits, archives and restores (a POST without fields is shown again, 422).
    "programme_admin.programme_new": {"GET": {"admin"}, "POST": {"admin"}},
    "programme_admin.programme_edit": {"GET": {"admin"}, "POST": {"admin"}},
    "programme_admin.programme_archive": {"POST": {"admin"}},
    "programme_admin.programme_restore": {"POST": {"admin"}},
    # Notifications: each person's own, for the team and the référents (the committee receives none and posts nothing);
    # notification 0 is no one's (not found). Following an irritant is scoped like the irritant itself.
    "notifications.notification_list": {"GET": TEAM | {"participant"}},
    "notifications.open_notification": {"GET": TEAM | {"participant"}, "expect_allowed": {404}},
    "notifications.mark_all_read": {"POST": TEAM | {"participant"}},
    "notifications.preferences": {"GET": TEAM | {"participant"}, "POST": TEAM | {"participant"}},
    "notifications.follow": {"POST": TEAM | {"participant"}, "scoped": True},
    "notifications.unfollow": {"POST": TEAM | {"participant"}, "scoped": True},
    # The offline shell: the manifest, the service worker and the offline page are public (a tablet shows the
    # offline page whoever is logged in); the pages to keep are asked by the team's pages (others get none).
    "offline.manifest": {"GET": PUBLIC},
    "offline.service_worker": {"GET": PUBLIC},
    "offline.offline_page": {"GET": PUBLIC},
    "offline.pages_to_keep": {"GET": TEAM | {"steering", "participant"}},
}
ALLOWED_STATUSES = {200, 302, 409, 422}
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
# Static files (the app's and the workshops' capture script) are public by design.
IGNORED_ENDPOINTS = {"static", "capture.static", "publication.static", "registry.static"}


def _url_args(world, which: str) -> dict:
    owner = world.own if which == "own" else world.foreign
    workshop = world.own_workshop if which == "own" else world.foreign_workshop
    irritant = world.own_irritant if which == "own" else world.foreign_irritant
    return {"collectivity_id": owner.id, "workshop_id": workshop.id, "irritant_id": irritant.id,
            "slug": world.programme.slug, "enrolment_id": None, "token": "jeton-inconnu",
            "user_id": world.users["participant" if which == "own" else "foreign_participant"].id,
            "option_id": (world.own_option if which == "own" else world.foreign_option).id,
            "group_id": world.group.id,
            "usage_id": (world.own_usage if which == "own" else world.foreign_usage).id,
            "wave_id": world.wave.id,
            "fmt": "csv",  # the data exports' format
            "measure_id": (world.own_measure if which == "own" else world.foreign_measure).id,
            "result_id": (world.own_result if which == "own" else world.foreign_result).id,
            "grant_id": (world.own_grant if which == "own" else world.foreign_grant).id,
            "number": 1, "collectivity_slug": owner.slug, "name": "irritants.csv", "code": "27",
            "notification_id": 0}


def _cases(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                for which in ("own", "foreign"):
                    yield rule, method, role, which


def _expected(endpoint: str, method: str, role: str, which: str) -> set[int]:
    rules = RULES[endpoint]
    allowed = rules[method]
    if "expect" in rules:
        return rules["expect"]
    if allowed == PUBLIC:
        return ALLOWED_STATUSES | {400}  # a public form posted empty is a bad request, never a leak
    if role == "anonymous":
        return {302}  # to the login page
    if method != "GET" and role == "steering":
        return {403}
    if role not in allowed:
        return {403}
    if rules.get("scoped") and role == "participant" and which == "foreign":
        return {404}
    return rules.get("expect_allowed") or ALLOWED_STATUSES | rules.get("also", set())


def test_every_route_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED_ENDPOINTS
    missing = endpoints - RULES.keys()
    assert not missing, f"routes sans règle d'autorisation : {sorted(missing)}"
    for rule in app.url_map.iter_rules():
        if rule.endpoint in RULES:
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert method in RULES[rule.endpoint], f"{rule.endpoint} {method}"
    for endpoint, rules in RULES.items():
        unknown = set(rules) - {"GET", "POST", "scoped", "expect", "also", "expect_allowed"}
        assert not unknown, f"{endpoint}: {unknown}"


def test_matrix(app, world, client_as, db, connection):
    # Published workshops, so that a référent may read their own compte-rendu (drafts are
    # tested in tests/workshops: a référent gets 404 for them).
    for workshop in (world.own_workshop, world.foreign_workshop):
        workshop.status = "published"
        db.add(workshop)
    factories.published_version(db, world.programme)
    # A photo on each irritant, its bytes in the app's store. Each case is rolled back but a deletion's bytes are
    # not: photos.photo_file is declared (so visited) before photos.photo_delete.
    with app.app_context():
        photo_ids = {"own": factories.photo(db, world.own_irritant).id,
                     "foreign": factories.photo(db, world.foreign_irritant).id}
    db.commit()
    failures, titles_with_markup = [], []
    checked = 0
    for rule, method, role, which in _cases(app):
        args = _url_args(world, which)
        if "enrolment_id" in rule.arguments:
            owner = world.own if which == "own" else world.foreign
            args["enrolment_id"] = world.enrolment(db, owner).id
        if "photo_id" in rule.arguments:
            args["photo_id"] = photo_ids[which]
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **{k: args[k] for k in rule.arguments})
        # A fresh client each time (posting to the logout route must not log out the next case),
        # and each case rolled back, so that no case sees what an earlier one wrote or deleted.
        case = connection.begin_nested()
        response = client_as(role).open(url, method=method, data={})
        case.rollback()
        expected = _expected(rule.endpoint, method, role, which)
        checked += 1
        if response.status_code not in expected:
            failures.append(f"{method} {url} as {role} ({which}): {response.status_code}, expected {sorted(expected)}")
        if role == "anonymous" and response.status_code == 302 and RULES[rule.endpoint][method] != PUBLIC:
            assert "/connexion" in response.headers["Location"]
        # Every page a person can reach is visited here, so here too its title is checked: a block pasted
        # into the title once showed "Chéroy<section aria-labelledby=…" in the browser's tab.
        if response.mimetype == "text/html":
            title = TITLE.search(response.get_data(as_text=True))
            if title is not None and ("<" in title.group(1) or ">" in title.group(1)):
                titles_with_markup.append(f"{method} {url} as {role}: {title.group(1)[:120]!r}")
    assert checked >= len(RULES) * len(ROLES) * 2
    assert not failures, "\n".join(failures)
    assert not titles_with_markup, "titres contenant du balisage :\n" + "\n".join(titles_with_markup)


@pytest.mark.parametrize("role", ["participant"])
def test_referent_home_is_their_own_board(client_as, world, role):
    response = client_as(role).get("/", follow_redirects=True)
    assert response.status_code == 200
    assert world.own.name in response.get_data(as_text=True)
    assert world.foreign.name not in response.get_data(as_text=True)
