"""The programme form: its fields, and two editors of repeated rows (milestones, themes) that need no script.

Each editor shows the rows already saved, editable, each with a « Retirer » checkbox, and a few empty rows to add
new ones; a row left empty is ignored. Lengths and ranges follow the columns of hub/core/models.py.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hub.app.programme_admin.service import MILESTONE_KINDS, MilestoneRow, ProgrammeValues, ThemeRow
from hub.core.forms import HubForm, IntegerField, choices
from participants.rules import is_departement_code, normalise_departement

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_ROWS = 30  # rows of one editor a post may carry: more is not a programme, it is a script
EMPTY_ROWS = 3  # empty rows offered under the saved ones
MAX_OFFSET_DAYS = 3660  # a copied milestone's distance from launch day: ten years either way
# The pages read these milestones one per programme (the workshops window, the tool's access date…).
ONCE_KINDS = ("launch", "workshops", "tool_access", "final_report")
THEME_CODE = re.compile(r"[a-z0-9_]{1,60}")


def _typed(date_field: DateField) -> str:
    """What was typed in a date field, even when it is not a date (then its data is None)."""
    return "".join(raw for raw in (date_field.raw_data or ()) if isinstance(raw, str)).strip()


def _departement_list(raw: str | None) -> list[str]:
    """« 21, 25 ,2a » → ["21", "25", "2A"], repeats dropped, in the order typed."""
    codes: list[str] = []
    for part in re.split(r"[,;\s]+", raw or ""):
        code = normalise_departement(part)
        if code and code not in codes:
            codes.append(code)
    return codes


class MilestoneRowForm(HubForm):
    """One milestone: kind, label, start and end; hidden, its id and (when copied) its distance from launch day."""

    class Meta:
        csrf = False  # a row of the programme form, whose own token covers it

    id = HiddenField()
    start_offset_days = HiddenField()
    end_offset_days = HiddenField()
    kind = SelectField(_l("Type de jalon"), choices=choices(MILESTONE_KINDS.items()), default="other")
    label = StringField(_l("Intitulé du jalon"), validators=[
        Length(max=200, message=_l("L'intitulé d'un jalon compte 200 caractères au plus."))])
    starts_on = DateField(_l("Début"), format=DATE_FORMATS, validators=[Optional()])
    ends_on = DateField(_l("Fin (facultative)"), format=DATE_FORMATS, validators=[Optional()])
    remove = BooleanField(_l("Retirer ce jalon"))

    def is_blank(self) -> bool:
        """Nothing typed in the row (its kind is preselected): an empty row is ignored."""
        return not (self.label.data or "").strip() and not _typed(self.starts_on) and not _typed(self.ends_on) \
            and not self.id.data

    def validate(self, extra_validators=None) -> bool:
        """A row in use needs a label and a start (or its distance from launch day) before its end."""
        valid = super().validate(extra_validators)
        if self.is_blank() or self.remove.data:
            return valid
        if not (self.label.data or "").strip():
            self.label.errors = [*self.label.errors, _l("Indiquez l'intitulé du jalon.")]
            valid = False
        if self.starts_on.data is None and not self.starts_on.errors and self.offset("start") is None:
            self.starts_on.errors = [*self.starts_on.errors, _l("Indiquez la date de début du jalon (jj/mm/aaaa).")]
            valid = False
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [*self.ends_on.errors, _l("La fin du jalon précède son début.")]
            valid = False
        return valid

    def offset(self, which: str) -> int | None:
        """The copied row's distance in days from launch day (``start`` or ``end``), if it carries a sound one."""
        raw = (self.start_offset_days if which == "start" else self.end_offset_days).data or ""
        try:
            days = int(raw)
        except ValueError:
            return None
        return days if abs(days) <= MAX_OFFSET_DAYS else None

    def row(self) -> MilestoneRow:
        """The row for the service."""
        return MilestoneRow(kind=self.kind.data, label=" ".join((self.label.data or "").split()),
                            starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                            id=int(self.id.data) if (self.id.data or "").isdigit() else None,
                            remove=bool(self.remove.data), start_offset_days=self.offset("start"),
                            end_offset_days=self.offset("end"))


class ThemeRowForm(HubForm):
    """One theme: its label; hidden, its id, or the code of the previous programme's theme it copies."""

    class Meta:
        csrf = False

    id = HiddenField()
    code = HiddenField()
    label = StringField(_l("Intitulé de la thématique"), validators=[
        Length(max=200, message=_l("L'intitulé d'une thématique compte 200 caractères au plus."))])
    remove = BooleanField(_l("Retirer cette thématique"))

    def is_blank(self) -> bool:
        """Nothing typed in the row: an empty row is ignored."""
        return not (self.label.data or "").strip() and not self.id.data

    def validate(self, extra_validators=None) -> bool:
        """A saved theme keeps a label (to drop it, tick « Retirer »)."""
        valid = super().validate(extra_validators)
        if self.id.data and not self.remove.data and not (self.label.data or "").strip():
            self.label.errors = [*self.label.errors, _l("Indiquez l'intitulé de la thématique, ou cochez « Retirer ».")]
            valid = False
        return valid

    def row(self) -> ThemeRow:
        """The row for the service."""
        code = (self.code.data or "").strip()
        return ThemeRow(label=" ".join((self.label.data or "").split()),
                        id=int(self.id.data) if (self.id.data or "").isdigit() else None,
                        code=code if THEME_CODE.fullmatch(code) else "", remove=bool(self.remove.data))


class ProgrammeForm(HubForm):
    """A programme's fields, its région (from the official registry, or typed), its milestones and themes."""

    name = StringField(_l("Nom du programme"), validators=[
        DataRequired(_l("Indiquez le nom du programme.")),
        Length(max=200, message=_l("Le nom compte 200 caractères au plus."))])
    agency = StringField(_l("Agence"), validators=[
        DataRequired(_l("Indiquez l'agence qui conduit le programme.")),
        Length(max=200, message=_l("Le nom de l'agence compte 200 caractères au plus."))])
    region_code = SelectField(_l("Région (registre officiel)"), choices=[], default="")
    region_name = StringField(_l("Nom de la région"), validators=[
        Length(max=120, message=_l("Le nom de la région compte 120 caractères au plus."))])
    departements = StringField(_l("Départements de la région (codes séparés par des virgules)"), validators=[
        Length(max=300, message=_l("La liste des départements compte 300 caractères au plus."))])
    launch_date = DateField(_l("Journée de lancement"), format=DATE_FORMATS, validators=[
        InputRequired(_l("Indiquez la date de la journée de lancement (jj/mm/aaaa)."))])
    launch_place = StringField(_l("Lieu de la journée de lancement"), validators=[
        Length(max=120, message=_l("Le lieu compte 120 caractères au plus."))])
    duration_months = IntegerField(_l("Durée (en mois)"), default=12, validators=[
        InputRequired(_l("Indiquez la durée du programme en mois.")),
        NumberRange(min=1, max=120, message=_l("La durée est comprise entre 1 et 120 mois."))])
    tool_name = StringField(_l("Outil d'IA générative mis à disposition"), validators=[
        Length(max=120, message=_l("Le nom de l'outil compte 120 caractères au plus."))])
    description = TextAreaField(_l("Description"), validators=[
        Length(max=5000, message=_l("La description compte 5 000 caractères au plus."))])
    milestones = FieldList(FormField(MilestoneRowForm), max_entries=MAX_ROWS)
    themes = FieldList(FormField(ThemeRowForm), max_entries=MAX_ROWS)

    def __init__(self, *args, regions: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code.choices = choices([("", _l("— Saisir la région à la main —")),
                                            *sorted((regions or {}).items(), key=lambda pair: pair[1])])

    def departement_codes(self) -> list[str]:
        """The départements typed, as codes."""
        return _departement_list(self.departements.data)

    def validate(self, extra_validators=None) -> bool:
        """The fields, then what ties them: a région named, sound départements, one milestone of each single kind."""
        valid = super().validate(extra_validators)
        if not self.region_code.data and not (self.region_name.data or "").strip():
            self.region_name.errors = [*self.region_name.errors,
                                       _l("Choisissez la région dans la liste ou saisissez son nom.")]
            valid = False
        if not self.region_code.data and not self.departement_codes():
            self.departements.errors = [*self.departements.errors,
                                        _l("Indiquez les codes des départements de la région, par exemple 21, 25.")]
            valid = False
        wrong = [code for code in self.departement_codes() if not is_departement_code(code)]
        if wrong:
            self.departements.errors = [*self.departements.errors, _l(
                "Code de département inconnu : %(codes)s (attendu : 01 à 95, 2A, 2B, 971 à 976).",
                codes=", ".join(wrong))]
            valid = False
        seen: set[str] = set()
        for entry in self.milestones:
            row = entry.form
            if row.is_blank() or row.remove.data or row.kind.data not in ONCE_KINDS:
                continue
            if row.kind.data in seen:
                row.kind.errors = [*row.kind.errors, _l("Un programme n'a qu'un jalon de ce type.")]
                valid = False
            seen.add(row.kind.data)
        labels: set[str] = set()
        for entry in self.themes:
            label = " ".join((entry.form.label.data or "").split()).casefold()
            if label and not entry.form.remove.data:
                if label in labels:
                    entry.form.label.errors = [*entry.form.label.errors, _l("Cette thématique figure déjà.")]
                    valid = False
                labels.add(label)
        return valid

    def values(self, region_name: str, departements: list[str]) -> ProgrammeValues:
        """The programme's own fields for the service (the région as the view resolved it)."""
        return ProgrammeValues(
            name=" ".join(self.name.data.split()), agency=" ".join(self.agency.data.split()),
            region_name=region_name, region_departements=departements, launch_date=self.launch_date.data,
            launch_place=(self.launch_place.data or "").strip(), duration_months=self.duration_months.data,
            tool_name=(self.tool_name.data or "").strip(), description=(self.description.data or "").strip())

    def milestone_rows(self) -> list[MilestoneRow]:
        """The milestone rows in use."""
        return [entry.form.row() for entry in self.milestones if not entry.form.is_blank()]

    def theme_rows(self) -> list[ThemeRow]:
        """The theme rows in use."""
        return [entry.form.row() for entry in self.themes if not entry.form.is_blank()]


class ConfirmForm(HubForm):
    """A button that posts (archive, restore): its CSRF token only."""
