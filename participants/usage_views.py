"""Pages of the tool's use: seats, monthly usage (entered or imported) and adoption month by month."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import altair as alt
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import programmes
from hub.core.auth import roles_required
from hub.core.charts import png_data_uri
from hub.core.db import db
from hub.core.forms import choices, handle_form
from hub.core.models import TEAM, Programme, Role
from hub.core.tables import TableRefused
from participants import usage
from participants.adoption import is_falling
from participants.forms import CorrectionForm, ImportConfirmForm, ImportForm, SeatForm, UsageMonthForm
from participants.models import Collectivity, Enrolment, ToolSeat, UsageMonth

blueprint = Blueprint("usage", __name__, template_folder="templates")


def with_enrolled_collectivities(form, programme):
    """The form with the programme's enrolled collectivities (those the session may see) to choose from."""
    rows = db().exec(select(Collectivity.id, Collectivity.name)
                     .join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                     .where(Enrolment.programme_id == programme.id, Enrolment.status == "enrolled")
                     .order_by(Collectivity.name).limit(2000)).all()
    form.collectivity_id.choices = choices(rows)
    return form


def _chart(calendar, totals) -> dict | None:
    points = [{"Mois": m.month.isoformat(), "Adoption (%)": round(m.rate * 100, 1)}
              for m in totals if m.rate is not None]
    if not points:
        return None
    spec = (alt.Chart(alt.Data(values=points)).mark_line(point=True, color="#1d4ed8")
            .encode(x=alt.X("Mois:T", title=_("Mois")), y=alt.Y("Adoption (%):Q", title=_("Adoption (%)")))
            .properties(width=520, height=220)).to_dict(validate=False)
    alt_text = _("Adoption du programme par mois : %(list)s.", list=" ; ".join(
        f"{p['Mois'][:7]} {p['Adoption (%)']} %" for p in points))
    return {"img": png_data_uri(spec), "alt": alt_text}


def _page(programme, seat_form=None, month_form=None, status: int = 200):
    calendar, names, per_collectivity, totals = usage.adoption_table(db(), programme=programme)
    grants = db().exec(select(ToolSeat, Collectivity.name)
                       .join(Collectivity, Collectivity.id == ToolSeat.collectivity_id)
                       .where(ToolSeat.programme_id == programme.id).order_by(Collectivity.name)).all()
    pending = db().exec(select(UsageMonth).where(UsageMonth.programme_id == programme.id,
                                                 UsageMonth.validated == False)  # noqa: E712
                        .order_by(UsageMonth.month)).all()
    corrected = db().exec(select(UsageMonth).where(UsageMonth.programme_id == programme.id,
                                                   UsageMonth.correction.is_not(None))
                          .order_by(UsageMonth.month)).all()
    return render_template(
        "participants/usage.html", programme=programme, calendar=calendar, names=names,
        per_collectivity=per_collectivity, totals=totals, chart=_chart(calendar, totals),
        falling={cid for cid, rows in per_collectivity.items() if is_falling(rows)}, pending=pending, grants=grants,
        corrected=corrected,
        seat_form=seat_form or (with_enrolled_collectivities(SeatForm(), programme)
                                if current_user.is_project_team else None),
        month_form=month_form or with_enrolled_collectivities(UsageMonthForm(), programme)), status


@blueprint.get("/programmes/<slug>/usages")
@roles_required(*TEAM, Role.STEERING, Role.PARTICIPANT)
def usage_page():
    """Adoption month by month; a référent sees their own collectivity only."""
    return _page(programmes.current_programme())


@blueprint.post("/programmes/<slug>/usages/droits")
@roles_required(*TEAM)
def grant():
    """Give a collectivity seats of the tool."""
    programme = programmes.current_programme()
    form = with_enrolled_collectivities(SeatForm(), programme)
    return handle_form(
        form, lambda: usage.grant_seats(db(), programme_id=programme.id, collectivity_id=form.collectivity_id.data,
                                        seats=form.seats.data, granted_on=form.granted_on.data),
        success=_("Droits d'accès enregistrés."), redirect_to=url_for("usage.usage_page"),
        failure=lambda: _page(programme, seat_form=form), default_field="seats")


def _month_recorded(recorded) -> str:
    _row, outcome = recorded
    return {"new": _("Mois enregistré."), "replaced": _("Mois remplacé."),
            "unchanged": _("Mois déjà enregistré à l'identique."),
            "correction": _("Ce mois était validé par l'équipe projet : votre correction attend son accord, et le "
                            "chiffre validé reste affiché d'ici là.")}[outcome]


@blueprint.post("/programmes/<slug>/usages/mois")
@roles_required(*TEAM, Role.PARTICIPANT)
def record_month():
    """Record a month of use; a référent's entry waits for the team's validation."""
    programme = programmes.current_programme()
    form = with_enrolled_collectivities(UsageMonthForm(), programme)
    return handle_form(
        form, lambda: usage.record_month(db(), programme_id=programme.id, collectivity_id=form.collectivity_id.data,
                                         month=usage.parse_month(form.month.data),
                                         active_users=form.active_users.data, requests=form.requests.data,
                                         validated=current_user.is_project_team, by_user_id=current_user.id),
        success=_month_recorded, redirect_to=url_for("usage.usage_page"),
        failure=lambda: _page(programme, month_form=form))


@blueprint.post("/droits/<int:grant_id>/retrait")
@roles_required(*TEAM)
def withdraw(grant_id: int):
    """Withdraw seats from a date."""
    session = db()
    grant = programmes.visible_or_404(session, ToolSeat, grant_id)
    programme = session.get(Programme, grant.programme_id)
    raw = request.form.get("withdrawn_on", "")
    try:
        day = datetime.strptime(raw, "%Y-%m-%d" if "-" in raw else "%d/%m/%Y").date()
        usage.withdraw_seats(session, grant=grant, withdrawn_on=day)
    except ValueError as refused:
        flash(str(refused) if isinstance(refused, usage.UsageRefused)
              else _("Date de retrait illisible : jj/mm/aaaa."), "error")
        return redirect(url_for("usage.usage_page", slug=programme.slug))
    session.commit()
    flash(_("Droits retirés à partir du %(date)s.", date=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("usage.usage_page", slug=programme.slug))


@blueprint.post("/usages/<int:usage_id>/validation")
@roles_required(*TEAM)
def validate(usage_id: int):
    """The team validates a month a référent entered."""
    session = db()
    row = programmes.visible_or_404(session, UsageMonth, usage_id)
    usage.validate_month(session, row=row, by_user_id=current_user.id)
    session.commit()
    flash(_("Saisie validée."), "success")
    programme = session.get(Programme, row.programme_id)
    return redirect(url_for("usage.usage_page", slug=programme.slug))


@blueprint.post("/usages/<int:usage_id>/correction")
@roles_required(*TEAM)
def settle_correction(usage_id: int):
    """The team accepts a référent's correction of a validated month (it becomes the figure) or refuses it."""
    session = db()
    row = programmes.visible_or_404(session, UsageMonth, usage_id)
    form = CorrectionForm()
    if not form.validate_on_submit() or row.correction is None:
        abort(400)
    accept = form.decision.data == "accept"
    usage.settle_correction(session, row=row, accept=accept, by_user_id=current_user.id)
    session.commit()
    flash(_("Correction acceptée : elle devient le chiffre validé.") if accept
          else _("Correction refusée : le chiffre validé reste."), "success")
    return redirect(url_for("usage.usage_page", slug=session.get(Programme, row.programme_id).slug))


@blueprint.route("/programmes/<slug>/usages/import", methods=["GET", "POST"])
@roles_required(*TEAM)
def usage_import():
    """Preview the tool's CSV export: each row new, replacing a month, unchanged, or in error."""
    programme = programmes.current_programme()
    form, rows, payload, refused = ImportForm(), None, None, None
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            rows = usage.preview_import(db(), programme_id=programme.id, data=data)
            payload = base64.b64encode(data).decode("ascii")
        except TableRefused as error:
            refused = str(error)
    status = 422 if request.method == "POST" and rows is None else 200
    return render_template("participants/usage_import.html", programme=programme, form=form, rows=rows,
                           refused=refused, confirm=ImportConfirmForm(payload=payload) if rows else None,
                           example=usage.USAGE_EXAMPLE), status


@blueprint.post("/programmes/<slug>/usages/import/confirmer")
@roles_required(*TEAM)
def usage_import_confirm():
    """Apply every valid row in one transaction, or none."""
    session, programme = db(), programmes.current_programme()
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        rows = usage.preview_import(session, programme_id=programme.id,
                                    data=base64.b64decode(form.payload.data, validate=True))
        written = usage.apply_import(session, programme_id=programme.id, rows=rows)
    except (TableRefused, binascii.Error) as error:
        session.rollback()
        flash(_("Import annulé, rien n'a été enregistré : %(why)s", why=error), "error")
        return redirect(url_for("usage.usage_import", slug=programme.slug))
    session.commit()
    flash(_("%(n)s mois enregistrés.", n=written), "success")
    return redirect(url_for("usage.usage_page", slug=programme.slug))


@blueprint.get("/programmes/<slug>/usages/exemple.csv")
@roles_required(*TEAM)
def usage_example():
    """The example file of the usage import."""
    programmes.current_programme()  # an unknown programme has no example either
    return Response("\ufeff" + usage.USAGE_EXAMPLE, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="exemple-usages.csv"'})
