"""One way to answer a write form (``handle_form``), one base for refusals, one programme per request.

The helper's rules are driven through a tiny route on a real table (a programme's themes) and through real pages.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from flask import render_template_string, url_for
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import StringField
from wtforms.validators import DataRequired

from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import ProgrammeTheme
from hub.core.refusals import Refused
from tests import factories
from tests.conftest import session_on
from tests.sql_statements import statements_run

PACKAGES = ("hub", "participants", "workshops", "irritants", "exports")
WRITES: list[str] = []  # the codes the tiny route's service was asked to write


class ThemeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired("Indiquez le code.")])
    label = StringField("Intitulé", validators=[DataRequired("Indiquez l'intitulé.")])


def _add_theme(programme_id: int, code: str, label: str) -> ProgrammeTheme:
    """A service as the domains write them: it refuses with a field when it knows which, without one otherwise."""
    WRITES.append(code)
    if code == "pris":
        raise Refused("Ce code est déjà pris.", field="code")
    if code == "clos":
        raise Refused("Le programme est clos : plus de thème.")
    if code == "ailleurs":
        raise Refused("Un champ que ce formulaire n'a pas.", field="absent")
    theme = ProgrammeTheme(programme_id=programme_id, code=code, label=label)
    db().add(theme)
    db().flush()
    return theme


PAGE = ("{% for category, message in get_flashed_messages(with_categories=true) %}"
        "<p class=\"flash-{{ category }}\">{{ message }}</p>{% endfor %}"
        "<input name=\"label\" value=\"{{ form.label.data or '' }}\">"
        "{% for name in ('code', 'label') %}{% for error in form[name].errors %}"
        "<span class=\"erreur-{{ name }}\">{{ error }}</span>{% endfor %}{% endfor %}")


def _theme_view(programme_id: int):
    form = ThemeForm()
    return handle_form(form, lambda: _add_theme(programme_id, form.code.data, form.label.data),
                       success="Thème ajouté.", redirect_to=lambda theme: f"/essai/themes/{theme.id}",
                       failure=lambda: render_template_string(PAGE, form=form), default_field="label")


def _theme_view_without_default_field(programme_id: int):
    form = ThemeForm()
    return handle_form(form, lambda: _add_theme(programme_id, form.code.data, form.label.data),
                       success="Thème ajouté.", redirect_to="/",
                       failure=lambda: render_template_string(PAGE, form=form))


@pytest.fixture
def app(make_app):
    """The app with a form on a programme's themes, with and without a default field."""
    app = make_app()
    app.add_url_rule("/essai/programmes/<int:programme_id>/themes", "essai_themes", _theme_view,
                     methods=["GET", "POST"])
    app.add_url_rule("/essai/programmes/<int:programme_id>/themes-sans-defaut", "essai_sans_defaut",
                     _theme_view_without_default_field, methods=["POST"])
    WRITES.clear()
    return app


def _url(world, route: str = "themes") -> str:
    return f"/essai/programmes/{world.programme.id}/{route}"


def _themes(connection, world, code: str) -> list[ProgrammeTheme]:
    with session_on(connection) as fresh:  # a new session: it sees only what was committed
        return fresh.exec(select(ProgrammeTheme).where(ProgrammeTheme.programme_id == world.programme.id,
                                                       ProgrammeTheme.code == code)).all()


# --- the helper's rules ---------------------------------------------------------------------------------------

def test_a_valid_form_is_written_committed_and_redirected_with_its_flash(client_as, world, connection):
    client = client_as("facilitator")
    response = client.post(_url(world), data={"code": "accueil", "label": "Accueil des usagers"})
    [theme] = _themes(connection, world, "accueil")
    assert theme.label == "Accueil des usagers"
    assert response.status_code == 302
    assert response.headers["Location"] == f"/essai/themes/{theme.id}"  # the created row's id
    assert '<p class="flash-success">Thème ajouté.</p>' in client.get(_url(world)).get_data(as_text=True)


def test_a_refusal_lands_on_its_field_with_422_and_keeps_what_was_typed(client_as, world, connection):
    response = client_as("facilitator").post(_url(world), data={"code": "pris", "label": "Mon intitulé"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<span class="erreur-code">Ce code est déjà pris.</span>' in page
    assert 'value="Mon intitulé"' in page
    assert "flash-" not in page and not _themes(connection, world, "pris")


def test_a_refusal_without_a_field_goes_on_the_default_field(client_as, world):
    for code, message in (("clos", "Le programme est clos : plus de thème."),
                          ("ailleurs", "Un champ que ce formulaire n&#39;a pas.")):  # a field the form lacks
        response = client_as("facilitator").post(_url(world), data={"code": code, "label": "Intitulé"})
        assert response.status_code == 422
        assert f'<span class="erreur-label">{message}</span>' in response.get_data(as_text=True)


def test_a_refusal_with_no_field_to_go_on_is_shown_as_an_error(client_as, world, connection):
    response = client_as("facilitator").post(_url(world, "themes-sans-defaut"),
                                             data={"code": "clos", "label": "Intitulé gardé"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="flash-error">Le programme est clos : plus de thème.</p>' in page
    assert 'value="Intitulé gardé"' in page and not _themes(connection, world, "clos")


def test_an_invalid_form_is_422_without_calling_the_service(client_as, world):
    response = client_as("facilitator").post(_url(world), data={"code": "", "label": "Intitulé gardé"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert WRITES == []
    assert "Indiquez le code." in page and 'value="Intitulé gardé"' in page


def test_a_get_shows_the_form_with_200(client_as, world):
    response = client_as("facilitator").get(_url(world))
    assert response.status_code == 200 and WRITES == []


def test_several_fields_refused_at_once_each_get_their_message():
    refused = Refused.on_fields({"held_on": "Date hors de la période.", "facilitator_ids": "Déjà en atelier."})
    assert refused.errors == {"held_on": "Date hors de la période.", "facilitator_ids": "Déjà en atelier."}
    assert str(refused) == "Date hors de la période. Déjà en atelier." and refused.field == "held_on"


# --- real pages -------------------------------------------------------------------------------------------------

def test_a_real_refusal_lands_on_its_field_and_keeps_the_typed_text(client_as, world):
    client = client_as("facilitator")
    url = f"/programmes/{world.programme.slug}/hypotheses"
    statement = "Retrouver un ancien arrêté prend plus de dix minutes."
    assert client.post(url, data={"statement": statement, "theme": ""}).status_code == 302
    response = client.post(url, data={"statement": statement.upper(), "theme": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<small id="statement-error" class="field-error">Cette hypothèse est déjà dans la bibliothèque '
            "du programme. </small>") in page
    assert f'value="{statement.upper()}"' in page


def _capture_with_evidence(client, world, evidence_level: str):
    return client.post(f"/ateliers/{world.own_workshop.id}/saisie", data=factories.capture_entry(
        title="Titre tapé gardé", service="Service tapé gardé", evidence_level=evidence_level))


def test_a_select_posted_with_a_value_that_is_not_a_number_says_so_in_the_hubs_words(client_as, world):
    # evidence_level is a select of integers (coerce=int) with no « required » rule that would speak first.
    client = client_as("facilitator")
    response = _capture_with_evidence(client, world, "abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ('<small id="evidence_level-error" class="field-error">Choisissez l&#39;une des valeurs proposées. '
            "</small>") in page
    assert "could not coerce" not in page and "ne peut pas être converti" not in page
    assert 'value="Titre tapé gardé"' in page and 'value="Service tapé gardé"' in page
    # An integer the select does not offer gets the same message (not WTForms' « Not a valid choice »).
    unknown = _capture_with_evidence(client, world, "99").get_data(as_text=True)
    assert "Choisissez l&#39;une des valeurs proposées." in unknown and "choix valide" not in unknown
    # In English, the catalogue's translation.
    client.post("/langue", data={"lang": "en"})
    english = _capture_with_evidence(client, world, "abc").get_data(as_text=True)
    assert "Choose one of the values offered." in english and "Invalid Choice" not in english


# --- one base for every refusal -----------------------------------------------------------------------------------

def _refusal_classes() -> dict[str, type]:
    found = {}
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            module = importlib.import_module(module_info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if name.endswith("Refused") and issubclass(cls, Exception) and cls.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = cls
    return found


def test_every_refusal_is_a_refused():
    classes = _refusal_classes()
    assert len(classes) >= 12, sorted(classes)  # the domains' and the ground floor's, at least
    assert not [name for name, cls in classes.items() if not issubclass(cls, Refused)]
    refused = classes["irritants.service.IrritantRefused"]("Indiquez l'intitulé.", field="title")
    assert (str(refused), refused.message, refused.field) == ("Indiquez l'intitulé.", "Indiquez l'intitulé.", "title")
    assert isinstance(refused, ValueError)  # callers that caught ValueError still do


# --- the programme of a /programmes/<slug>/… URL -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["hypotheses", "rapport/comparer?de=1&a=1"])
def test_a_programme_page_reads_its_programme_once(client_as, world, db, connection, path):
    factories.published_version(db, world.programme)
    db.commit()
    client = client_as("admin")
    with statements_run(connection) as statements:
        response = client.get(f"/programmes/{world.programme.slug}/{path}")
    assert response.status_code == 200
    lookups = [statement for statement in statements if re.search(r"\bFROM programme\b", statement)]
    assert len(lookups) == 1, lookups  # the comparison once read it three times: the view, then each version


def test_an_unknown_programme_is_404_for_the_team_and_asks_others_who_they_are_first(client_as, world):
    assert client_as("facilitator").get("/programmes/inconnu/hypotheses").status_code == 404
    assert client_as("facilitator").post("/programmes/inconnu/hypotheses", data={}).status_code == 404
    anonymous = client_as("anonymous").get("/programmes/inconnu/hypotheses")
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]
    assert client_as("participant").get("/programmes/inconnu/hypotheses").status_code == 403


def test_links_on_a_programme_page_keep_its_slug_unless_another_is_given(app):
    from flask import g

    with app.test_request_context():
        g.programme_slug = "arnia-2024"  # as on a page under /programmes/arnia-2024/…
        assert url_for("hypotheses.hypothesis_library") == "/programmes/arnia-2024/hypotheses"
        assert url_for("hypotheses.hypothesis_library", slug="autre") == "/programmes/autre/hypotheses"
        assert url_for("workshops.workshop_detail", workshop_id=3) == "/ateliers/3"  # no slug in that URL


def test_a_required_menu_opens_on_an_empty_choice_and_keeps_a_chosen_value(app):
    from wtforms import SelectField, SelectMultipleField

    from hub.core.forms import HubForm, choices

    class Menus(HubForm):
        class Meta:
            csrf = False

        required = SelectField("Obligatoire", choices=choices([("a", "A"), ("b", "B")]), validators=[DataRequired()])
        optional = SelectField("Facultatif", choices=choices([("a", "A"), ("b", "B")]))
        several = SelectMultipleField("Plusieurs", choices=choices([("a", "A")]), validators=[DataRequired()])

    with app.test_request_context():
        empty = Menus()
        required = str(empty.required())
        assert re.search(r'<select[^>]*required[^>]*><option value="">— Choisir —</option><option value="a">', required)
        assert "— Choisir —" not in str(empty.optional()) and "— Choisir —" not in str(empty.several())
        chosen = str(Menus(data={"required": "b"}).required())
        assert chosen.index('value=""') < chosen.index('selected value="b"')
    with app.test_request_context(method="POST", data={"required": ""}):
        posted = Menus()
        assert not posted.validate() and posted.required.errors == ["Ce champ est requis."]
