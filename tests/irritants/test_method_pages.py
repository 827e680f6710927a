"""Qualifying an irritant, its options with the AI Act proposal, comments, and versioned parameters."""

from __future__ import annotations

from sqlmodel import select

from irritants.method_parameters import DEFAULT_PARAMETERS
from irritants.models import Comment, Irritant, RemedyOption, ScoringParameters


def _qualification(version, **values):
    data = {"version": version, "evidence_level": "2", "occurrences_per_month": "40", "minutes_per_occurrence": "15",
            "agents_affected": "3", "actionability": "3"}
    data.update(values)
    return data


def test_qualifying_recomputes_hours_and_says_why(client_as, world, db):
    irritant = world.own_irritant
    response = client_as("facilitator").post(f"/irritants/{irritant.id}/qualification",
                                             data=_qualification(irritant.version))
    assert response.status_code == 302
    db.expire_all()
    saved = db.get(Irritant, irritant.id)
    assert saved.hours_per_year == 360  # 40 × 12 × 15 / 60 × 3
    page = client_as("facilitator").get(f"/irritants/{irritant.id}").get_data(as_text=True)
    assert ("Le problème est majeur : il fait perdre 360 heures par an, au moins les 100 heures qui font un problème "
            "majeur.") in page


def test_a_stale_qualification_is_refused_and_both_versions_are_shown(client_as, world):
    irritant = world.own_irritant
    old = irritant.version
    assert client_as("facilitator").post(f"/irritants/{irritant.id}/qualification",
                                         data=_qualification(old)).status_code == 302
    second = client_as("admin").post(f"/irritants/{irritant.id}/qualification",
                                     data=_qualification(old, occurrences_per_month="5"))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "360 h par an" in page  # what is saved
    assert 'value="5"' in page  # what this person typed, kept in the form


def test_an_ai_option_gets_its_ai_act_class_from_its_use(client_as, world, db):
    url = f"/irritants/{world.own_irritant.id}/options"
    client = client_as("facilitator")
    option = {"family": "ia_generative", "label": "Tri des candidatures", "reduction_pct": "50", "one_off_cost": "0",
              "recurring_cost": "0", "months_to_value": "0", "personal_data": "personal", "human_review": "y",
              "sovereign_tool": "y"}
    missing = client.post(url, data=option)
    assert missing.status_code == 422 and "indiquez son usage" in missing.get_data(as_text=True)
    assert client.post(url, data={**option, "ai_act_use": "hr_decisions"}).status_code == 302
    saved = db.exec(select(RemedyOption).where(RemedyOption.label == "Tri des candidatures")).one()
    assert (saved.ai_act_class, saved.ai_act_confirmed_class) == ("high_risk", None)
    page = client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True).replace("&#39;", "'")
    assert "obligations du déployeur non remplies" in page and "annexe III, point 4" in page
    assert "<details class=\"ai-act\">" in page


def test_a_person_confirms_the_class_and_ticks_the_duties(client_as, world, db):
    url = f"/irritants/{world.own_irritant.id}/options"
    client = client_as("facilitator")
    option = {"family": "ia_generative", "label": "Comptage par drone", "reduction_pct": "50", "one_off_cost": "0",
              "recurring_cost": "0", "months_to_value": "0", "personal_data": "none", "human_review": "y",
              "sovereign_tool": "y", "ai_act_use": "other"}
    refused = client.post(url, data={**option, "confirmed_class": "proposed"})
    assert refused.status_code == 422 and "choisissez-en une" in refused.get_data(as_text=True)
    duties = {"duty_fria": "y", "duty_oversight": "y", "duty_logs": "y", "duty_inform_workers": "y", "duty_dpia": "y"}
    assert client.post(url, data={**option, "confirmed_class": "high_risk", **duties}).status_code == 302
    saved = db.exec(select(RemedyOption).where(RemedyOption.label == "Comptage par drone")).one()
    assert (saved.ai_act_class, saved.ai_act_confirmed_class) == ("to_classify", "high_risk")
    assert saved.ai_act_confirmed_by_id is not None and saved.ai_act_confirmed_at is not None
    assert set(saved.ai_act_duties) == {"fria", "oversight", "logs", "inform_workers", "dpia"}


def test_starting_options_follow_the_theme_once(client_as, world, db):
    url = f"/irritants/{world.own_irritant.id}/options/suggestions"
    client = client_as("facilitator")
    client.post(url)
    client.post(url)
    labels = [o.label for o in db.exec(select(RemedyOption).where(RemedyOption.irritant_id == world.own_irritant.id))]
    assert labels.count("Plan de classement partagé et recherche existante") == 1
    assert "Recherche sémantique dans les documents" in labels


def test_removing_an_option_recomputes_the_priority(client_as, world, db):
    response = client_as("facilitator").post(
        f"/irritants/{world.own_irritant.id}/options/{world.own_option.id}/suppression")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Irritant, world.own_irritant.id).priority_value is None


def test_a_referent_comments_on_their_irritant(client_as, world, db):
    client = client_as("participant")
    empty = client.post(f"/irritants/{world.own_irritant.id}/commentaires", data={"body": ""})
    assert empty.status_code == 422 and "Écrivez votre commentaire." in empty.get_data(as_text=True)
    assert client.post(f"/irritants/{world.own_irritant.id}/commentaires",
                       data={"body": "Toujours d'actualité"}).status_code == 302
    comment = db.exec(select(Comment)).one()
    assert (comment.author_id, comment.collectivity_id) == (world.users["participant"].id, world.own.id)
    assert "Toujours d&#39;actualité" in client.get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)


def _parameters(**values):
    """The parameters form as the admin posts it: every default, in French, at 40 € an hour."""
    data = {name: str(value).replace(".", ",") for name, value in DEFAULT_PARAMETERS.items()}
    data.update({"loaded_hourly_cost": "40", "note": "Coût horaire mesuré par la DRH", **values})
    return data


def test_only_the_admin_changes_parameters_and_each_change_is_a_version(client_as, world, db):
    url = f"/programmes/{world.programme.slug}/parametres"
    assert client_as("facilitator").post(url, data=_parameters()).status_code == 403
    assert client_as("admin").post(url, data=_parameters(note="")).status_code == 422
    assert client_as("admin").post(url, data=_parameters()).status_code == 302
    assert client_as("admin").post(url, data=_parameters(loaded_hourly_cost="45")).status_code == 302
    versions = db.exec(select(ScoringParameters).order_by(ScoringParameters.version)).all()
    assert [(v.version, v.values["loaded_hourly_cost"]) for v in versions] == [(1, 40.0), (2, 45.0)]
    page = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert "Paramètres du programme, version 2." in page


def test_the_parameters_page_names_each_risk_and_why_and_the_admin_changes_one(client_as, world, db):
    url = f"/programmes/{world.programme.slug}/parametres"
    page = client_as("steering").get(url).get_data(as_text=True)
    # Every risk factor is a parameter with its reason, frugal delivery risks included.
    assert "mise en œuvre d'une formation" in page
    assert "une partie des agents formés ne change pas ses habitudes" in page
    assert "France Stratégie" in page and "Horizon de calcul en vigueur" in page
    assert client_as("admin").post(url, data=_parameters(delivery_formation="0,7", discount_rate="0,045",
                                                         horizon_months="24")).status_code == 302
    saved = db.exec(select(ScoringParameters)).one()
    assert (saved.values["delivery_formation"], saved.values["discount_rate"], saved.values["horizon_months"]) == (
        0.7, 0.045, 24)
    assert "horizon_default_months" not in saved.values  # today's default is computed, never saved
