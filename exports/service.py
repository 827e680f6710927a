"""The programme report's data: one assembly, plain values, for the HTML view, the PDF and snapshots."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from hub import service as hub_service
from hub.models import Programme
from irritants.models import Irritant
from participants.models import Collectivity, Enrolment


def assemble_report(session: Session, programme: Programme, *, as_of: date | None = None) -> dict:
    """Everything the report prints, drawn from the records, as JSON-ready values."""
    summary = hub_service.summary(session, programme.id)
    participants = session.exec(
        select(Collectivity.name, Collectivity.kind, Collectivity.epci_subkind, Collectivity.departement_code,
               Collectivity.population)
        .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
        .where(Enrolment.programme_id == programme.id, Enrolment.status.in_(("enrolled", "completed")))
        .order_by(Collectivity.departement_code, Collectivity.name)).all()
    themes = hub_service.themes(session, programme.id)
    by_theme = session.exec(
        select(Irritant.theme, sa.func.count(Irritant.id), sa.func.coalesce(sa.func.sum(Irritant.hours_per_year), 0))
        .where(Irritant.programme_id == programme.id).group_by(Irritant.theme)).all()
    by_departement: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    for row in participants:
        by_departement[row.departement_code] = by_departement.get(row.departement_code, 0) + 1
        by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
    return {
        "programme": {
            "slug": programme.slug, "name": programme.name, "agency": programme.agency,
            "region_name": programme.region_name, "region_departements": list(programme.region_departements),
            "launch_date": programme.launch_date.isoformat(), "launch_place": programme.launch_place,
            "duration_months": programme.duration_months, "is_demo": programme.is_demo,
        },
        "as_of": (as_of or date.today()).isoformat(),
        "summary": asdict(summary),
        "participants": [
            {"name": r.name, "kind": r.kind, "epci_subkind": r.epci_subkind,
             "departement_code": r.departement_code, "population": r.population} for r in participants
        ],
        "by_departement": dict(sorted(by_departement.items())),
        "missing_departements": [d for d in programme.region_departements if d not in by_departement],
        "by_kind": by_kind,
        "irritants_by_theme": sorted(
            ({"theme": code, "label": themes.get(code, code or "—"), "count": count, "hours": round(float(hours))}
             for code, count, hours in by_theme), key=lambda row: (-row["count"], row["label"])),
    }


def report_charts(data: dict) -> list[dict]:
    """The report's charts as images, each with an alt text that carries its numbers."""
    from exports.charts import bar_chart, png_data_uri

    charts = []
    if data["irritants_by_theme"]:
        rows = [{"Thématique": r["label"], "Irritants": r["count"]} for r in data["irritants_by_theme"]]
        alt_text = "Irritants par thématique : " + " ; ".join(f"{r['label']} {r['count']}"
                                                               for r in data["irritants_by_theme"]) + "."
        spec = bar_chart(rows, category="Thématique", value="Irritants", category_title="Thématique",
                         value_title="Irritants")
        charts.append({"key": "themes", "img": png_data_uri(spec), "alt": alt_text})
    if data["by_departement"]:
        rows = [{"Département": code, "Collectivités": n} for code, n in data["by_departement"].items()]
        alt_text = "Collectivités par département : " + " ; ".join(
            f"{code} {n}" for code, n in data["by_departement"].items()) + "."
        spec = bar_chart(rows, category="Département", value="Collectivités", category_title="Département",
                         value_title="Collectivités")
        charts.append({"key": "departements", "img": png_data_uri(spec), "alt": alt_text})
    return charts


def render_report_pdf(data: dict) -> bytes:
    """The report's PDF; needs an app and request context for templates and translations."""
    from flask import current_app, render_template

    from exports.pdf import render_pdf

    html = render_template("exports/report_pdf.html", report=data,
                           charts={c["key"]: c for c in report_charts(data)})
    return render_pdf(html, static_folder=current_app.static_folder)
