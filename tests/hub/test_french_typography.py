"""French done right: « 1er mai », « d'Autun », decimals with a comma in forms, people named by their name."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime

from flask import session

from hub.core.forms import DecimalCommaField, HubForm
from hub.core.i18n import day, of_name
from workshops.models import WorkshopFacilitator


@contextmanager
def reading_in(app, lang: str):
    """A request whose visitor chose ``lang``."""
    with app.test_request_context():
        session["lang"] = lang
        yield


def test_the_first_of_a_month_is_an_ordinal_in_french(app):
    with reading_in(app, "fr"):
        assert day(date(2024, 5, 1)) == "1er mai 2024"
        assert day(date(2024, 5, 2)) == "2 mai 2024"
        assert day("2024-05-01") == "1er mai 2024"
        assert day(date(2024, 5, 1), "full") == "mercredi 1er mai 2024"
        assert day(date(2024, 5, 1), "medium") == "1er mai 2024"
        assert day(date(2024, 5, 1), "short") == "01/05/2024"  # two digits: no ordinal
        assert day(date(2024, 5, 1), "MMMM y") == "mai 2024"


def test_an_instant_is_dated_on_the_agency_s_clock_not_utc(app):
    """Stored instants are UTC; late in the evening in Paris it is already the next day (and the 1st is an ordinal)."""
    with reading_in(app, "fr"):
        assert day(datetime(2026, 11, 29, 23, 30)) == "30 novembre 2026"
        assert day(datetime(2026, 11, 30, 23, 30)) == "1er décembre 2026"
        assert day(datetime(2026, 7, 14, 21, 59)) == "14 juillet 2026"  # summer time: UTC+2


def test_english_dates_are_unchanged(app):
    with reading_in(app, "en"):
        assert day(date(2024, 5, 1)) == "May 1, 2024"
        assert day(date(2024, 5, 2)) == "May 2, 2024"


def test_a_day_formatted_once_is_kept_per_language(app):
    """Days are formatted once and kept (hub.core.i18n): the kept text is the reader's language's, turn by turn."""
    for lang, expected in (("fr", "1er mai 2024"), ("en", "May 1, 2024"), ("fr", "1er mai 2024")):
        with reading_in(app, lang):
            assert day(date(2024, 5, 1)) == expected
            assert day(date(2024, 5, 1), "short") == ("01/05/2024" if lang == "fr" else "5/1/24")


def test_de_is_elided_before_a_vowel_and_contracted_with_le_and_les(app):
    with reading_in(app, "fr"):
        assert of_name("Autun") == "d'Autun"
        assert of_name("Écuisses") == "d'Écuisses"
        assert of_name("Yonne") == "d'Yonne"
        assert of_name("Chéroy") == "de Chéroy"
        assert of_name("Héry") == "de Héry"  # h aspiré: no elision
        assert of_name("Le Grand Chalon") == "du Grand Chalon"
        assert of_name("Les Riceys") == "des Riceys"
        assert of_name("La Charité-sur-Loire") == "de La Charité-sur-Loire"
    with reading_in(app, "en"):
        assert of_name("Autun") == "of Autun"
        assert of_name("Le Grand Chalon") == "of Le Grand Chalon"


class _Figures(HubForm):
    share = DecimalCommaField(places=None)
    minutes = DecimalCommaField(places=None)


def _inputs(form) -> dict[str, str]:
    return {name: str(form[name]()) for name in ("share", "minutes")}


def test_a_decimal_field_shows_the_reader_s_decimals(app):
    with reading_in(app, "fr"):
        shown = _inputs(_Figures(formdata=None, data={"share": 0.25, "minutes": 30.0}))
        assert 'value="0,25"' in shown["share"] and 'value="30"' in shown["minutes"]
        # A text input: a number input shows nothing of « 0,25 ».
        assert 'type="text"' in shown["share"] and 'inputmode="decimal"' in shown["share"]
    with reading_in(app, "en"):
        shown = _inputs(_Figures(formdata=None, data={"share": 0.25, "minutes": 30.0}))
        assert 'value="0.25"' in shown["share"] and 'value="30"' in shown["minutes"]


def test_the_groups_threshold_shows_a_comma_and_a_comma_is_accepted(client_as, world, db):
    client = client_as("facilitator")
    page = client.get(f"/programmes/{world.programme.slug}/groupes").get_data(as_text=True)
    threshold = re.search(r'<input[^>]*name="threshold"[^>]*>', page).group(0)
    assert 'value="0,5"' in threshold
    for typed in ("0,5", "0.5"):
        response = client.post(f"/programmes/{world.programme.slug}/groupes/propositions", data={"threshold": typed})
        assert response.status_code == 302, typed


def test_an_option_s_saved_figures_show_without_a_trailing_zero(client_as, world, db):
    option = world.own_option
    option.one_off_cost = 3000.0
    db.add(option)
    db.commit()
    page = client_as("facilitator").get(
        f"/irritants/{world.own_irritant.id}/options/{option.id}/modifier").get_data(as_text=True)
    cost = re.search(r'<input[^>]*name="one_off_cost"[^>]*>', page).group(0)
    assert 'value="3000"' in cost


def test_a_workshop_names_its_facilitators_not_their_role(client_as, world, db):
    facilitator = world.users["facilitator"]
    facilitator.full_name = "Julien Marchand"
    unnamed = world.users["admin"]
    db.add(facilitator)
    for person in (facilitator, unnamed):
        db.add(WorkshopFacilitator(workshop_id=world.own_workshop.id, user_id=person.id,
                                   collectivity_id=world.own.id))
    db.commit()
    page = client_as("facilitator").get(f"/ateliers/{world.own_workshop.id}").get_data(as_text=True)
    line = re.search(r"Animation :[^<]*", page).group(0)
    assert "Julien Marchand" in line and unnamed.email in line  # no name: the e-mail, never an empty place


def test_a_comment_names_its_author_or_their_e_mail(client_as, world):
    client = client_as("participant")  # the world's accounts have no name: the e-mail says who wrote
    client.post(f"/irritants/{world.own_irritant.id}/commentaires", data={"body": "Toujours là"})
    page = client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert f"<strong>{world.users['participant'].email}</strong>" in page


def test_an_irritant_page_links_to_its_board_with_the_elision(client_as, world, db):
    from tests import factories

    autun = factories.collectivity(db, world.programme, name="Autun", departement_code="71")
    irritant = factories.irritant(db, world.programme, autun, title="Registre des arrêtés")
    page = client_as("facilitator").get(f"/irritants/{irritant.id}").get_data(as_text=True)
    assert "Tableau d&#39;Autun</a>" in page and "Tableau de Autun" not in page


def test_a_count_in_a_sentence_is_written_as_the_reader_writes_numbers(app):
    sentence = app.jinja_env.from_string(
        '{{ ngettext("%(num)s collectivité importée", "%(num)s collectivités importées", n) }}')
    with reading_in(app, "fr"):
        assert sentence.render(n=2000) == "2\u202f000 collectivités importées"
        assert sentence.render(n=1) == "1 collectivité importée"
    with reading_in(app, "en"):
        assert sentence.render(n=2000) == "2,000 local authorities imported"


def test_zero_takes_the_singular_in_french_and_the_plural_in_english(app):
    # French's plural starts at 2 (« 0 atelier »); gettext's default, with no French catalogue, was English's.
    from hub.core.i18n import ngettext

    sentence = app.jinja_env.from_string('{{ ngettext("%(num)s atelier", "%(num)s ateliers", n) }}')
    with reading_in(app, "fr"):
        assert [sentence.render(n=n) for n in (0, 1, 2)] == ["0 atelier", "1 atelier", "2 ateliers"]
        assert ngettext("%(num)s groupe proposé", "%(num)s groupes proposés", 0) == "0 groupe proposé"
    with reading_in(app, "en"):
        assert [sentence.render(n=n) for n in (0, 1, 2)] == ["0 workshops", "1 workshop", "2 workshops"]
