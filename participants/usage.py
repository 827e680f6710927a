"""The tool's seats and monthly usage: recorded by hand or imported from the tool's CSV export."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlmodel import Session, select

from hub.core import notifications, refusals, tables
from hub.core.models import Milestone
from participants import adoption, corrections
from participants.models import Collectivity, Enrolment, ToolSeat, UsageMonth

USAGE_COLUMNS = ("collectivite", "mois", "utilisateurs_actifs", "requetes", "cas_usage")  # the last is optional
EXPORT_USE_CASES = "cas_d_usage"
USAGE_EXAMPLE = ("collectivite;mois;utilisateurs_actifs;requetes;cas_usage\n"
                 "chalon-sur-saone;2024-10;12;340;redaction:200|resume:140\n"
                 "lormes;2024-10;2;25;\n")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_ROWS = 50_000  # months × collectivities of a regional programme, with room to spare


class UsageRefused(refusals.Refused):
    """A usage record the rules refuse, with a French reason."""


def grant_seats(session: Session, *, programme_id: int, collectivity_id: int, seats: int,
                granted_on: date) -> ToolSeat:
    """Give a collectivity seats of the programme's tool."""
    if seats < 1:
        raise UsageRefused(_l("Au moins un droit d'accès."))
    grant = ToolSeat(programme_id=programme_id, collectivity_id=collectivity_id, seats=seats, granted_on=granted_on)
    session.add(grant)
    session.flush()
    return grant


def withdraw_seats(session: Session, *, grant: ToolSeat, withdrawn_on: date) -> ToolSeat:
    """Withdraw seats from a date (not before they were given)."""
    if withdrawn_on < grant.granted_on:
        raise UsageRefused(_l("Le retrait ne peut pas précéder l'attribution."))
    grant.withdrawn_on = withdrawn_on
    session.add(grant)
    session.flush()
    return grant


def record_month(session: Session, *, programme_id: int, collectivity_id: int, month: date, active_users: int,
                 requests: int, use_cases: dict | None = None, source: str = "entered",
                 validated: bool = False, by_user_id: int | None = None) -> tuple[UsageMonth, str]:
    """Record one month; says 'new', 'replaced', 'unchanged', or 'correction' when a référent's entry changes a
    month the team validated (kept beside it for the team to accept). ``use_cases`` None keeps the month's own."""
    existing = session.exec(select(UsageMonth).where(UsageMonth.programme_id == programme_id,
                                                     UsageMonth.collectivity_id == collectivity_id,
                                                     UsageMonth.month == month)).first()
    if existing is not None:
        use_cases = existing.use_cases if use_cases is None else use_cases
        if existing.validated and not validated:
            return existing, corrections.propose(session, existing, by_user_id=by_user_id, values={
                "active_users": active_users, "requests": requests, "use_cases": use_cases})
        if (existing.active_users, existing.requests, existing.use_cases) == (active_users, requests, use_cases):
            return existing, "unchanged"
        existing.active_users, existing.requests, existing.use_cases = active_users, requests, use_cases
        existing.source, existing.validated, existing.correction = source, validated, None
        session.add(existing)
        session.flush()
        return existing, "replaced"
    use_cases = use_cases or {}
    row = UsageMonth(programme_id=programme_id, collectivity_id=collectivity_id, month=month,
                     active_users=active_users, requests=requests, use_cases=use_cases, source=source,
                     validated=validated)
    session.add(row)
    session.flush()
    return row, "new"


def validate_month(session: Session, *, row: UsageMonth, by_user_id: int | None) -> UsageMonth:
    """The team validates a month a référent entered; the collectivity's référents are told."""
    row.validated = True
    session.add(row)
    session.flush()
    _tell_referents(session, row, by_user_id=by_user_id, outcome="validated")
    return row


def settle_correction(session: Session, *, row: UsageMonth, accept: bool, by_user_id: int | None) -> UsageMonth:
    """The team accepts or refuses a référent's correction of a validated month; the référents are told which."""
    corrections.settle(session, row, accept=accept)
    _tell_referents(session, row, by_user_id=by_user_id, outcome="accepted" if accept else "refused")
    return row


def _tell_referents(session: Session, row: UsageMonth, *, by_user_id: int | None, outcome: str) -> None:
    notifications.notify(session, kind="validation", actor_id=by_user_id, referents=True,
                         target=notifications.Target("usage_month", row.id, row.collectivity_id, row.programme_id),
                         params={"what": "usage", "month": row.month.isoformat(), "outcome": outcome})


def parse_month(raw: str) -> date | None:
    """« 2024-10 » (or « 10/2024 ») → 1 October 2024; None when it is not a month."""
    raw = (raw or "").strip()
    if "/" in raw:
        parts = raw.split("/")
        raw = f"{parts[-1]}-{parts[0].zfill(2)}" if len(parts) == 2 else raw
    found = MONTH.match(raw)
    # Year 0 or 9999 is a typing slip, and date() refuses year 0 with a ValueError.
    if not found or not 1 <= int(found.group(2)) <= 12 or not 1990 <= int(found.group(1)) <= 2099:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def parse_use_cases(raw: str) -> dict[str, int]:
    """« redaction:200|resume:140 » → {"redaction": 200, "resume": 140}; raises on a malformed pair."""
    cases = {}
    for pair in filter(None, (raw or "").split("|")):
        name, _sep, count = pair.partition(":")
        if not name.strip() or not count.strip().isdigit():
            raise ValueError(pair)
        cases[slugify(name, separator="_")] = int(count)
    return cases


@dataclass
class UsageRow:
    """One line of the tool's export and what the import would do with it."""

    line: int
    raw: dict
    status: str  # new | replaced | unchanged | error
    values: dict = field(default_factory=dict)
    reason: str = ""


def preview_import(session: Session, *, programme_id: int, data: bytes) -> list[UsageRow]:
    """Each row as new, replacing the month recorded, unchanged, or in error with its reason; nothing written."""
    # The hub's own export heads its column « Cas d'usage » (cas_d_usage): read as the import's cas_usage, so that
    # an export imports back as it was, use cases included, instead of wiping them.
    table = tables.read_table(data, required=USAGE_COLUMNS[:4], optional=(*USAGE_COLUMNS[4:], EXPORT_USE_CASES),
                              max_rows=MAX_ROWS)
    enrolled = {}
    for collectivity in session.exec(select(Collectivity).join(Enrolment, Enrolment.collectivity_id == Collectivity.id)
                                     .where(Enrolment.programme_id == programme_id)):
        for key in (collectivity.slug, slugify(collectivity.name), collectivity.siren):
            if key:
                enrolled[key] = collectivity
    rows, seen = [], set()
    for table_row in table:
        raw = table_row.values
        row = UsageRow(line=table_row.line, raw=raw, status="error")
        collectivity = enrolled.get(slugify(raw.get("collectivite", ""))) or enrolled.get(raw.get("collectivite", ""))
        month = parse_month(raw.get("mois", ""))
        users, requests = raw.get("utilisateurs_actifs", ""), raw.get("requetes", "")
        try:
            cases = parse_use_cases(raw.get("cas_usage") or raw.get(EXPORT_USE_CASES) or "")
        except ValueError as bad:
            cases, row.reason = None, str(_l("Cas d'usage illisible : « %(pair)s » (attendu nom:nombre).", pair=bad))
        if collectivity is None:
            row.reason = str(_l("Collectivité inconnue dans ce programme : « %(name)s ».",
                                name=raw.get("collectivite", "")))
        elif month is None:
            row.reason = str(_l("Mois illisible : « %(month)s » (attendu AAAA-MM).", month=raw.get("mois", "")))
        elif not users.isdigit() or not requests.isdigit():
            row.reason = str(_l("Utilisateurs actifs et requêtes sont des nombres entiers positifs."))
        elif (collectivity.id, month) in seen:
            row.reason = str(_l("Ce mois de cette collectivité figure déjà plus haut dans le fichier."))
        elif cases is not None:
            seen.add((collectivity.id, month))
            row.values = {"collectivity_id": collectivity.id, "month": month, "active_users": int(users),
                          "requests": int(requests), "use_cases": cases}
            existing = session.exec(select(UsageMonth).where(UsageMonth.programme_id == programme_id,
                                                             UsageMonth.collectivity_id == collectivity.id,
                                                             UsageMonth.month == month)).first()
            if existing is None:
                row.status = "new"
            elif (existing.active_users, existing.requests, existing.use_cases) == (int(users), int(requests), cases):
                row.status = "unchanged"
            else:
                row.status = "replaced"
        rows.append(row)
    return rows


def apply_import(session: Session, *, programme_id: int, rows: list[UsageRow]) -> int:
    """Record every valid row; the caller commits once (all or nothing). Returns the rows written."""
    written = 0
    for row in rows:
        if row.status in ("new", "replaced"):
            record_month(session, programme_id=programme_id, source="imported", validated=True, **row.values)
            written += 1
    return written


def usage_rows(session: Session, *, programme_id: int) -> list[tuple[UsageMonth, str]]:
    """Every month of use the session may see, with its collectivity's name, for the exports."""
    return list(session.exec(select(UsageMonth, Collectivity.name)
                             .join(Collectivity, Collectivity.id == UsageMonth.collectivity_id)
                             .where(UsageMonth.programme_id == programme_id)
                             .order_by(Collectivity.name, UsageMonth.month)))


def adoption_table(session: Session, *, programme, months: int = 12, as_of: date | None = None):
    """Each visible collectivity's months from the tool access date, and the programme's totals (up to ``as_of``)."""
    access = session.exec(select(Milestone.starts_on).where(Milestone.programme_id == programme.id,
                                                            Milestone.kind == "tool_access")).first()
    calendar = adoption.months_between(access or programme.launch_date, months)
    seats = select(ToolSeat).where(ToolSeat.programme_id == programme.id)
    used = select(UsageMonth).where(UsageMonth.programme_id == programme.id)
    if as_of is not None:
        # A report frozen on a date knows only the months begun, the seats given and the usage recorded by then.
        calendar = [month for month in calendar if month <= as_of]
        seats = seats.where(ToolSeat.granted_on <= as_of)
        used = used.where(UsageMonth.month <= as_of)
    grants: dict[int, list] = {}
    for seat in session.exec(seats):
        # A withdrawal after the date was not known on it: the seats were still held then.
        withdrawn = seat.withdrawn_on if as_of is None or (seat.withdrawn_on and seat.withdrawn_on <= as_of) else None
        grants.setdefault(seat.collectivity_id, []).append(adoption.SeatGrant(seat.seats, seat.granted_on, withdrawn))
    usage: dict[int, dict] = {}
    for row in session.exec(used):
        usage.setdefault(row.collectivity_id, {})[row.month] = (row.active_users, row.requests)
    names = {c.id: c.name for c in session.exec(select(Collectivity).where(Collectivity.id.in_(
        set(grants) | set(usage))))} if (grants or usage) else {}
    per_collectivity = {cid: adoption.series(calendar, grants.get(cid, []), usage.get(cid, {}))
                        for cid in sorted(names, key=names.get)}
    return calendar, names, per_collectivity, adoption.programme_series(list(per_collectivity.values()))
