"""The usage export is re-importable as it was exported: nothing changes, use cases included."""

from __future__ import annotations

from sqlmodel import select

from participants.models import UsageMonth
from tests.participants.support import confirm_usage, preview_usage, usage_months

ROWS = ("collectivity_id", "month", "active_users", "requests", "use_cases", "validated")


def test_the_usage_export_imports_back_unchanged(client_as, world, db):
    own_month = db.exec(select(UsageMonth).where(UsageMonth.collectivity_id == world.own.id)).first()
    own_month.use_cases, own_month.validated = {"redaction": 120, "resume": 30}, True
    db.add(own_month)
    db.commit()
    before = usage_months(db, world, *ROWS)
    client = client_as("facilitator")
    exported = client.get(f"/exports/usage.csv?programme={world.programme.slug}")
    assert exported.status_code == 200
    page = preview_usage(client, world, exported.data).get_data(as_text=True)
    # Every month reads as already recorded, use cases included: importing the export would change nothing.
    assert page.count("Déjà enregistré à l'identique") == len(before), page
    assert "Remplace le mois enregistré" not in page and "Erreur :" not in page
    if 'name="payload"' in page:  # confirming it anyway writes nothing
        confirm_usage(client, world, page)
    assert usage_months(db, world, *ROWS) == before
