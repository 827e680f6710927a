"""Editing a remedy option: prefilled, checked like adding one, the irritant's answer recomputed, audited."""

from __future__ import annotations

from sqlmodel import select

from hub.core.models import AuditEntry
from irritants.models import Irritant, RemedyOption
from tests import factories


def _url(irritant, option) -> str:
    return f"/irritants/{irritant.id}/options/{option.id}/modifier"


def _posted(**values) -> dict:
    data = {"family": "formation", "label": "Formation", "reduction_pct": "30", "one_off_cost": "0",
            "recurring_cost": "0", "months_to_value": "0", "personal_data": "none", "shareable": "y", "ai_act_use": "",
            "confirmed_class": "", "footprint_factor": "", "footprint_source": ""}  # as a browser posts it
    data.update(values)
    return data


def test_the_irritant_page_links_each_option_to_its_edit_page(client_as, world):
    page = client_as("facilitator").get(f"/irritants/{world.own_irritant.id}").get_data(as_text=True)
    assert f'href="{_url(world.own_irritant, world.own_option)}"' in page and ">Modifier</a>" in page
    # The référent reads the options, without the team's forms.
    assert _url(world.own_irritant, world.own_option) not in client_as("participant").get(
        f"/irritants/{world.own_irritant.id}").get_data(as_text=True)


def test_the_edit_page_opens_on_what_is_saved(client_as, world):
    response = client_as("facilitator").get(_url(world.own_irritant, world.own_option))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Formation"' in page and 'value="30"' in page  # « 30 », as typed, not « 30.0 »
    assert '<option selected value="formation">' in page


def test_saving_an_edit_recomputes_the_irritant_and_is_audited(client_as, world, db):
    irritant, option = world.own_irritant, world.own_option
    before = (irritant.priority_value, irritant.version)
    client = client_as("facilitator")
    response = client.post(_url(irritant, option), data=_posted(label="Formation approfondie", reduction_pct="60"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/irritants/{irritant.id}#options")
    db.expire_all()
    saved = db.get(RemedyOption, option.id)
    assert (saved.label, saved.reduction_pct) == ("Formation approfondie", 60)
    after = db.get(Irritant, irritant.id)
    assert after.priority_value > before[0] and after.version > before[1]
    audit = db.exec(select(AuditEntry).where(AuditEntry.table_name == "remedy_option",
                                             AuditEntry.row_id == option.id, AuditEntry.action == "update")).all()
    assert audit and audit[-1].user_id == world.users["facilitator"].id
    assert "Option modifiée." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_refused_edit_keeps_what_was_typed(client_as, world, db):
    response = client_as("facilitator").post(_url(world.own_irritant, world.own_option), data=_posted(
        label="", reduction_pct="55", family="ia_generative"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nommez l&#39;option." in page and "indiquez son usage" in page
    assert 'value="55"' in page and '<option selected value="ia_generative">' in page
    db.expire_all()
    assert db.get(RemedyOption, world.own_option.id).reduction_pct == 30  # nothing saved


def test_an_ai_option_keeps_its_confirmation_and_loses_it_when_no_longer_ai(client_as, world, db):
    irritant = world.own_irritant
    client = client_as("facilitator")
    ai = {"family": "ia_generative", "label": "Assistant", "ai_act_use": "internal_assistance",
          "confirmed_class": "proposed", "human_review": "y"}
    assert client.post(f"/irritants/{irritant.id}/options", data=_posted(**ai)).status_code == 302
    option = db.exec(select(RemedyOption).where(RemedyOption.label == "Assistant")).one()
    confirmed_at = option.ai_act_confirmed_at
    page = client.get(_url(irritant, option)).get_data(as_text=True)
    assert '<option selected value="internal_assistance">' in page
    assert '<option selected value="minimal">' in page  # the confirmed class, prefilled
    assert client.post(_url(irritant, option), data=_posted(**{**ai, "confirmed_class": "minimal",
                                                                  "reduction_pct": "45"})).status_code == 302
    db.expire_all()
    option = db.get(RemedyOption, option.id)
    assert (option.reduction_pct, option.ai_act_confirmed_class, option.ai_act_confirmed_at) == (
        45, "minimal", confirmed_at)
    assert client.post(_url(irritant, option), data=_posted(label="Assistant")).status_code == 302
    db.expire_all()
    option = db.get(RemedyOption, option.id)
    assert (option.family, option.ai_act_use, option.ai_act_class, option.ai_act_confirmed_class) == (
        "formation", "", None, None)


def test_only_the_team_edits_and_only_an_option_of_that_irritant(client_as, world, db):
    own_url = _url(world.own_irritant, world.own_option)
    assert client_as("participant").get(own_url).status_code == 403
    assert client_as("steering").post(own_url, data=_posted()).status_code == 403
    mixed = _url(world.own_irritant, world.foreign_option)
    assert client_as("facilitator").get(mixed).status_code == 404
    assert client_as("facilitator").post(mixed, data=_posted()).status_code == 404
    other = factories.irritant(db, world.programme, world.own)
    db.commit()
    assert client_as("admin").get(_url(other, world.own_option)).status_code == 404
