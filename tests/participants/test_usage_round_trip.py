"""The usage export is re-importable as it was exported: nothing changes, use cases included."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from participants.models import UsageMonth


def _usage_rows(db, world):
    db.expire_all()
    return sorted((u.collectivity_id, u.month, u.active_users, u.requests, u.use_cases, u.validated)
                  for u in db.exec(select(UsageMonth).where(UsageMonth.programme_id == world.programme.id)))


def test_the_usage_export_imports_back_unchanged(client_as, world, db):
    own_month = db.exec(select(UsageMonth).where(UsageMonth.collectivity_id == world.own.id)).first()
    own_month.use_cases, own_month.validated = {"redaction": 120, "resume": 30}, True
    db.add(own_month)
    db.commit()
    before = _usage_rows(db, world)
    client = client_as("facilitator")
    exported = client.get(f"/exports/usage.csv?programme={world.programme.slug}")
    assert exported.status_code == 200
    page = client.post(f"/programmes/{world.programme.slug}/usages/import",
                       data={"file": (io.BytesIO(exported.data), "usage.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    # Every month reads as already recorded, use cases included: importing the export would change nothing.
    assert page.count("Déjà enregistré à l'identique") == len(before), page
    assert "Remplace le mois enregistré" not in page and "Erreur :" not in page
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', page)
    if payload is not None:  # confirming it anyway writes nothing
        client.post(f"/programmes/{world.programme.slug}/usages/import/confirmer", data={"payload": payload.group(1)})
    assert _usage_rows(db, world) == before
