"""Editing a remedy option: the same form, checks and recomputation as adding one, opened on what is saved."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from hub.core.auth import roles_required
from hub.core.db import db
from hub.core.forms import handle_form
from hub.core.models import TEAM
from irritants import ai_act, service
from irritants.forms import DUTY_NAMES, OptionForm
from irritants.method_views import irritant_and_option_or_404, option_values
from irritants.models import AI_FAMILIES, RemedyOption

blueprint = Blueprint("options", __name__, template_folder="templates")


def saved_form(option: RemedyOption) -> OptionForm:
    """The option form filled with what is saved, including what the option stores under other names."""
    use = option.ai_act_use or ""
    # Profiling is not stored: it is what turned a derogation's class into « haut risque ».
    profiling = (option.family in AI_FAMILIES and option.ai_act_class == "high_risk"
                 and ai_act.classify(use, human_review=option.human_review).klass != "high_risk"
                 and ai_act.classify(use, profiling=True, human_review=option.human_review).klass == "high_risk")
    done = set(option.ai_act_duties or ())
    form = OptionForm(formdata=None, obj=option, profiling=profiling,
                      confirmed_class=option.ai_act_confirmed_class or "",
                      **{f"duty_{name}": name in done for name in DUTY_NAMES})
    return form  # its number fields show « 30 » and « 0,25 » themselves (hub.core.forms.DecimalCommaField)


@blueprint.route("/irritants/<int:irritant_id>/options/<int:option_id>/modifier", methods=["GET", "POST"])
@roles_required(*TEAM)
def edit_option(irritant_id: int, option_id: int):
    """Edit a remedy option; the irritant's figures and priority are recomputed as when adding one."""
    session = db()
    irritant, option = irritant_and_option_or_404(session, irritant_id, option_id)
    form = OptionForm() if request.method == "POST" else saved_form(option)
    return handle_form(
        form, lambda: service.update_option(session, irritant=irritant, option=option, values=option_values(form)),
        success=_("Option modifiée."),
        redirect_to=url_for("irritants.irritant_detail", irritant_id=irritant.id) + "#options",
        failure=lambda: render_template("irritants/option_edit.html", irritant=irritant, option=option,
                                        option_form=form))
