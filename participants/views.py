"""Pages of the participants package: the collectivity register, its import, a collectivity's page."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from hub.core import mail, programmes, tables
from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.extension_points import collected
from hub.core.forms import choices, handle_form
from hub.core.i18n import ngettext
from hub.core.invitations import create_invitation, is_activated
from hub.core.models import TEAM, Role, User
from hub.core.pagination import page_number
from hub.core.query import clean_args, int_arg, str_arg
from hub.core.refusals import Refused
from hub.core.security import local_path
from hub.core.sorting import Sort, Sortable
from participants import csv_import, list_rows, merge, pages, registry, service
from participants.commands import create_user_command, registry_group
from participants.forms import (
    CollectivityFilterForm,
    CollectivityForm,
    EnrolFromPageForm,
    EnrolmentStatusForm,
    ImportConfirmForm,
    ImportForm,
    InviteReferentForm,
    MergeForm,
)
from participants.models import Collectivity, Enrolment
from participants.registry_views import search_results
from participants.rules import normalise_departement

blueprint = Blueprint("participants", __name__, template_folder="templates", cli_group=None)
# Its commands join the hub command itself (cli_group=None), not a sub-group named after the blueprint.
blueprint.cli.add_command(create_user_command)
blueprint.cli.add_command(registry_group)


@blueprint.get("/collectivites")
@roles_required(*TEAM)
def collectivity_list():
    """The register of collectivities, or those of one programme, filtered by kind, département, status."""
    session = db()
    slug = str_arg("programme")
    programme = programmes.programme_or_404(session, slug) if slug else None
    form = CollectivityFilterForm(clean_args())
    filters = service.CollectivityFilters(
        programme_id=programme.id if programme else None, kind=form.kind.data or None,
        departement_code=normalise_departement(form.departement.data or "") or None,
        status=(form.status.data or None) if programme else None)
    sortable = collectivity_sortable(with_enrolment=programme is not None)
    sort = sortable.read()
    page = service.collectivity_page(session, filters=filters, number=page_number(str_arg("page")),
                                     size=current_app.config["PAGE_SIZE"], order=sortable.order(sort))
    columns = collected(pages.collectivity_list, blueprint, session=session,
                        collectivity_ids=[collectivity.id for collectivity, _enrolment in page.items],
                        programme_id=programme.id if programme else None)
    args = {k: v for k, v in {"programme": programme.slug if programme else None, "kind": form.kind.data,
                              "departement": form.departement.data, "status": form.status.data}.items() if v}
    return render_template("participants/list.html", page=page, columns=columns, programme=programme, args=args,
                           form=form, sort=sort, rows_html=list_rows.rendered_rows(page.items, columns))


def collectivity_sortable(*, with_enrolment: bool) -> Sortable:
    """The register's sortable columns; the enrolment's only when a programme joins it."""
    columns = {"nom": (Collectivity.name,), "type": (Collectivity.kind, Collectivity.epci_subkind),
               "departement": (Collectivity.departement_code,), "population": (Collectivity.population,)}
    if with_enrolment:
        columns["inscription"] = (Enrolment.status,)
    return Sortable(columns, Collectivity.id, default=Sort("nom"))


@blueprint.route("/collectivites/nouvelle", methods=["GET", "POST"])
@roles_required(*TEAM)
def collectivity_new():
    """Register a collectivity; a duplicate is refused with a link to the one already there."""
    form, duplicate, from_registry = CollectivityForm(), None, None
    if request.method == "GET":
        # A registry entry chosen from the search fills the form (participants/registry_views.py).
        from_registry = registry.entry(db(), int_arg("registre"))
        if from_registry is not None:
            form = CollectivityForm(data=registry.collectivity_values(from_registry))
            found = service.find_duplicate(db(), {"name": from_registry.name, "siren": from_registry.siren,
                                                   "departement_code": from_registry.departement_code})
            duplicate = found[0] if found else None

    def register():
        nonlocal duplicate
        found = service.find_duplicate(db(), form.checked.values)
        if found is not None:
            duplicate, reason = found  # shown below the form
            raise Refused(_("Déjà enregistrée : voir la fiche ci-dessous."), field=reason)  # "siren" or "name"
        return service.register_collectivity(db(), values=form.checked.values)

    return handle_form(form, register, success=_("Collectivité enregistrée."),
                       redirect_to=lambda created: url_for("participants.collectivity_detail",
                                                           collectivity_id=created.id),
                       failure=lambda: render_template("participants/form.html", form=form, duplicate=duplicate,
                                                       from_registry=from_registry,
                                                       **search_results(str_arg("q", max_length=100))))


@blueprint.route("/collectivites/import", methods=["GET", "POST"])
@roles_required(*TEAM)
def collectivity_import():
    """Preview a CSV file: each row new, already known or in error; nothing is written yet."""
    form = ImportForm()
    rows, payload, refused = None, None, None
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            rows = csv_import.preview(db(), data)
            # Carried to the confirmation in base64: a hidden field keeps bytes, not line breaks.
            payload = base64.b64encode(tables.decode(data).encode("utf-8")).decode("ascii")
        except tables.TableRefused as error:
            refused = str(error)
    status = 422 if request.method == "POST" and rows is None else 200
    return render_template("participants/import.html", form=form, rows=rows, refused=refused,
                           confirm=ImportConfirmForm(payload=payload) if rows else None,
                           columns=csv_import.COLUMNS, required=csv_import.REQUIRED_COLUMNS,
                           regions=registry.regions(db()) if rows is None else []), status


@blueprint.post("/collectivites/import/confirmer")
@roles_required(*TEAM)
def collectivity_import_confirm():
    """Import every valid row of the previewed file in one transaction, or none."""
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    session = db()
    try:
        # Checked again: the register may have changed since the preview.
        rows = csv_import.preview(session, base64.b64decode(form.payload.data, validate=True))
        created = csv_import.apply(session, rows)
    except (tables.TableRefused, service.DuplicateCollectivity, binascii.Error) as error:
        session.rollback()
        flash(_("Import annulé, rien n'a été enregistré : %(why)s", why=error), "error")
        return redirect(url_for("participants.collectivity_import"))
    session.commit()
    skipped = sum(1 for row in rows if row.status != "new")
    # Each count agrees with its own noun (« 1 collectivité importée »).
    flash(_("%(created)s ; %(skipped)s.",
            created=ngettext("%(num)s collectivité importée", "%(num)s collectivités importées", created),
            skipped=ngettext("%(num)s ligne ignorée (déjà connue ou en erreur)",
                             "%(num)s lignes ignorées (déjà connues ou en erreur)", skipped)), "success")
    # Back to the list of the programme being worked on, not the whole register.
    return redirect(url_for("participants.collectivity_list", programme=programmes.remembered_slug()))


@blueprint.get("/collectivites/import/exemple.csv")
@roles_required(*TEAM)
def import_example():
    """The example file of the import page."""
    return Response("\ufeff" + csv_import.EXAMPLE, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="exemple-collectivites.csv"'})


@blueprint.get("/collectivites/<int:collectivity_id>")
@roles_required(*TEAM, Role.PARTICIPANT)
def collectivity_detail(collectivity_id: int):
    """A collectivity: enrolments and history, référents, then what the packages above add (workshops, irritants…)."""
    return _detail_page(programmes.visible_or_404(db(), Collectivity, collectivity_id))


def _detail_page(collectivity, submitted: EnrolmentStatusForm | None = None, status: int = 200,
                 invite: InviteReferentForm | None = None, enrol: EnrolFromPageForm | None = None):
    session = db()
    enrolments = service.enrolments(session, collectivity_id=collectivity.id)
    forms = {}
    if current_user.is_project_team:
        forms = {e.id: EnrolmentStatusForm.for_enrolment(e) for e in enrolments}
        if submitted is not None:
            forms[int(submitted.enrolment_id.data)] = submitted  # keeps what was typed, with its errors
        enrol = _enrol_choices(session, enrol or EnrolFromPageForm(), enrolments)
    html = render_template(
        "participants/detail.html", collectivity=collectivity, enrolments=enrolments,
        history=service.enrolment_history(session, enrolment_ids=[e.id for e in enrolments]),
        sections=collected(pages.collectivity_page, blueprint, session=session, collectivity=collectivity),
        forms=forms, referents=service.referents(session, collectivity_id=collectivity.id),
        invite=invite or (InviteReferentForm() if current_user.is_project_team else None),
        can_invite=any(e.status == "enrolled" for e in enrolments),
        neighbours=registry.neighbours(session, collectivity), enrol=enrol)
    return html, status


def _enrol_choices(session, form: EnrolFromPageForm, enrolments: list[Enrolment]) -> EnrolFromPageForm:
    taken = {e.programme_id for e in enrolments}
    form.programme_id.choices = choices((p.id, p.name) for p in programmes.all_programmes(session)
                                        if p.id not in taken)
    return form


@blueprint.post("/collectivites/<int:collectivity_id>/inscrire")
@roles_required(*TEAM)
def enrol(collectivity_id: int):
    """Enrol the collectivity in a programme from its page: a candidacy, which then moves along as any other."""
    session = db()
    collectivity = programmes.visible_or_404(session, Collectivity, collectivity_id)
    form = _enrol_choices(session, EnrolFromPageForm(), service.enrolments(session, collectivity_id=collectivity.id))
    return handle_form(
        form, lambda: service.add_candidacy(session, programme_id=form.programme_id.data,
                                            collectivity_id=collectivity.id, motivation=form.motivation.data,
                                            applied_on=form.applied_on.data, by_user_id=current_user.id),
        success=_("Candidature enregistrée : faites-la avancer ci-dessous."),
        redirect_to=url_for("participants.collectivity_detail", collectivity_id=collectivity.id),
        failure=lambda: _detail_page(collectivity, enrol=form), default_field="programme_id")


@blueprint.route("/collectivites/<int:collectivity_id>/modifier", methods=["GET", "POST"])
@roles_required(*TEAM)
def collectivity_edit(collectivity_id: int):
    """Correct a collectivity's identity or contact; another record with its SIREN or name is refused."""
    session = db()
    collectivity = programmes.visible_or_404(session, Collectivity, collectivity_id)
    form = CollectivityForm(obj=collectivity if request.method == "GET" else None)

    def save():
        try:
            return merge.update_collectivity(session, collectivity, form.checked.values)
        except service.DuplicateCollectivity:
            raise Refused(_("Une autre fiche porte déjà ce SIREN ou ce nom dans ce département : fusionnez-les "
                            "plutôt.")) from None

    return handle_form(form, save, success=_("Collectivité modifiée."),
                       redirect_to=url_for("participants.collectivity_detail", collectivity_id=collectivity.id),
                       failure=lambda: render_template("participants/edit.html", form=form,
                                                       collectivity=collectivity), default_field="name")


@blueprint.route("/collectivites/<int:collectivity_id>/fusionner", methods=["GET", "POST"])
@roles_required(*TEAM)
def collectivity_merge(collectivity_id: int):
    """Merge a duplicate record into this one, keeping every row it owns."""
    session = db()
    kept = programmes.visible_or_404(session, Collectivity, collectivity_id)
    candidates = merge.possible_duplicates(session, kept)
    form = MergeForm()
    form.duplicate_id.choices = choices(
        (c.id, f"{c.name} ({c.departement_code}{', SIREN ' + c.siren if c.siren else ''})") for c in candidates)

    def fuse():
        removed = session.get(Collectivity, form.duplicate_id.data)
        if removed is None or removed.id not in {c.id for c in candidates}:
            raise Refused(_("Choisissez un des doublons proposés."), field="duplicate_id")
        moved = merge.merge(session, kept=kept, removed=removed)
        return sum(moved.values())

    return handle_form(form, fuse, success=lambda moved: _(
        "Fiches fusionnées : %(n)s éléments rattachés à cette fiche.", n=moved),
        redirect_to=url_for("participants.collectivity_detail", collectivity_id=kept.id),
        failure=lambda: render_template("participants/merge.html", form=form, collectivity=kept,
                                        candidates=candidates))


@blueprint.post("/collectivites/<int:collectivity_id>/inscriptions/<int:enrolment_id>/statut")
@roles_required(*TEAM)
def enrolment_status(collectivity_id: int, enrolment_id: int):
    """Record a step of a candidacy: selected, not selected, enrolled, withdrawn, completed."""
    session = db()
    collectivity = programmes.visible_or_404(session, Collectivity, collectivity_id)
    enrolment = session.exec(select(Enrolment).where(Enrolment.id == enrolment_id,
                                                     Enrolment.collectivity_id == collectivity.id)).first()
    if enrolment is None:
        abort(404)
    form = EnrolmentStatusForm.for_enrolment(enrolment, formdata=request.form)
    form.enrolment_id.data = str(enrolment.id)
    return handle_form(
        form, lambda: service.change_enrolment_status(session, enrolment=enrolment, to_status=form.to_status.data,
                                                      reason=form.reason.data or "", by_user_id=current_user.id),
        success=_("Statut de l'inscription mis à jour."),
        # The selection grid posts here too, and goes back to itself.
        redirect_to=local_path(form.back.data) or url_for("participants.collectivity_detail",
                                                          collectivity_id=collectivity.id),
        failure=lambda: _detail_page(collectivity, submitted=form), default_field="reason")


def _share_link(user, token: str) -> None:
    link = url_for("hub.invitation", token=token, _external=True)
    sent = mail.send(to=user.email, subject=_("Votre accès au hub d'expérimentation IA"),
                     body=_("Bonjour,\n\nChoisissez votre mot de passe avec ce lien, valable 7 jours :\n%(link)s\n",
                            link=link))
    flash(_("Lien à transmettre à %(email)s (valable 7 jours, utilisable une fois) : %(link)s",
            email=user.email, link=link), "invitation")
    if sent:
        flash(_("Le lien a aussi été envoyé par courriel."), "info")


@blueprint.post("/collectivites/<int:collectivity_id>/referents")
@roles_required(*TEAM)
def invite_referent(collectivity_id: int):
    """Create a référent's account and a one-time link to set its password."""
    session = db()
    collectivity = programmes.visible_or_404(session, Collectivity, collectivity_id)
    form = InviteReferentForm()
    return handle_form(
        form, lambda: service.invite_referent(session, collectivity=collectivity, email=form.email.data,
                                              full_name=form.full_name.data or "", by_user_id=current_user.id),
        # The link is shared once the account is saved; it says itself what was done.
        success=lambda invited: _share_link(*invited),
        redirect_to=url_for("participants.collectivity_detail", collectivity_id=collectivity.id),
        failure=lambda: _detail_page(collectivity, invite=form), default_field="email")


@blueprint.post("/collectivites/<int:collectivity_id>/referents/<int:user_id>/lien")
@roles_required(*TEAM)
def reinvite_referent(collectivity_id: int, user_id: int):
    """A new link for a référent whose link expired or was lost; older links stop working."""
    session = db()
    collectivity = programmes.visible_or_404(session, Collectivity, collectivity_id)
    user = session.exec(select(User).where(User.id == user_id, User.scope_collectivity_id == collectivity.id)).first()
    if user is None:
        abort(404)
    back = redirect(url_for("participants.collectivity_detail", collectivity_id=collectivity.id))
    if is_activated(session, user):
        # Its owner chose a password: a link shown here would let the team set another and act under their name.
        # A new one goes to the owner's own address only, never on this page.
        if not mail.enabled():
            flash(_("%(email)s a déjà choisi son mot de passe : un nouveau lien ne peut lui être envoyé qu'à son "
                    "adresse, et aucun serveur de courriel n'est configuré. Il s'adresse à l'administrateur du hub.",
                    email=user.email), "error")
            return back
        # A reset link, not an invitation: it leaves the account « opened », so no later click here shows one.
        token = create_invitation(session, user=user, by_user_id=current_user.id, purpose="reset")
        session.commit()
        mail.send(to=user.email, subject=_("Votre accès au hub d'expérimentation IA"),
                  body=_("Bonjour,\n\nUn nouveau mot de passe a été demandé pour votre compte. Choisissez-le avec ce "
                         "lien, valable une heure :\n%(link)s\n\nSi vous n'avez rien demandé, ignorez ce message : "
                         "votre mot de passe actuel reste valable.\n",
                         link=url_for("accounts.reset_password", token=token, _external=True)))
        flash(_("Un lien pour choisir un nouveau mot de passe a été envoyé à %(email)s ; il n'est pas affiché ici.",
                email=user.email), "success")
        return back
    token = create_invitation(session, user=user, by_user_id=current_user.id)
    session.commit()
    _share_link(user, token)
    return back
