"""What the usage, survey and correction tests post and read: a month entered, survey results, a usage import
previewed then confirmed, a row read again after the app wrote it."""

from __future__ import annotations

import io
import re

from sqlmodel import select

from participants.models import UsageMonth

USAGE_HEADER = "collectivite;mois;utilisateurs_actifs;requetes;cas_usage\n"


def enter_month(client, world, *, month: str, users: str, requests: str, collectivity=None, **options):
    """Post a month of the tool's use (the world's own collectivity unless another is given)."""
    return client.post(f"/programmes/{world.programme.slug}/usages/mois", **options,
                       data={"collectivity_id": (collectivity or world.own).id, "month": month,
                             "active_users": users, "requests": requests})


def enter_results(client, world, collectivity, respondents, positive, **options):
    """Post a collectivity's aggregated answers to the world's survey wave."""
    prefix = f"w{world.wave.id}"
    return client.post(f"/enquetes/{world.wave.id}/resultats", **options,
                       data={f"{prefix}-collectivity_id": collectivity.id, f"{prefix}-respondents": respondents,
                             f"{prefix}-positive": positive})


def import_answers(client, world, content: bytes):
    """Post a per-response file to the world's survey wave (counted whole, or refused whole)."""
    return client.post(f"/enquetes/{world.wave.id}/import", data={"file": (io.BytesIO(content), "r.csv")},
                       content_type="multipart/form-data")


def carried_payload(page: str) -> str:
    """The file an import's preview carries to its confirmation (a hidden field, in base64)."""
    return re.search(r'name="payload" type="hidden" value="([^"]+)"', page).group(1)


def preview_usage(client, world, content: bytes):
    """Post a usage file to the import's preview."""
    return client.post(f"/programmes/{world.programme.slug}/usages/import",
                       data={"file": (io.BytesIO(content), "usages.csv")}, content_type="multipart/form-data")


def confirm_usage(client, world, page: str):
    """Confirm the import the preview page shows."""
    return client.post(f"/programmes/{world.programme.slug}/usages/import/confirmer",
                       data={"payload": carried_payload(page)})


def usage_months(db, world, *columns: str) -> list[tuple]:
    """The programme's months as the database holds them now (the app wrote through its own session), sorted:
    one tuple of ``columns`` a month."""
    db.expire_all()
    return sorted(tuple(getattr(month, column) for column in columns)
                  for month in db.exec(select(UsageMonth).where(UsageMonth.programme_id == world.programme.id)))


def reload(db, row):
    """The row as the database holds it now."""
    db.expire_all()
    return db.get(type(row), row.id)
