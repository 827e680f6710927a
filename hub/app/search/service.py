"""Finding irritants, collectivities, workshops and decisions by words in French, scoped like every list.

PostgreSQL matches ``to_tsvector('french', …)`` against ``plainto_tsquery('french', …)`` through the GIN expression
indexes of migration 0015 (French stemming: « formulaires » finds « formulaire »). SQLite matches the FTS5 tables of
the same migration (accents folded by the tokenizer); FTS5 has no French stemmer, so each word is cut to its
Snowball stem and searched as a prefix (« formulaires » → ``"formulair"*``). What people type is never handed to
either query language: only the words of it, quoted, so that ``"``, ``*``, ``NEAR``, ``(``, ``-`` or ``:`` are
plain characters.

Every query selects the domain's own models, so the session's scope (``hub.core.scoping``) narrows a référent's
results exactly as it narrows their lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import snowballstemmer
import sqlalchemy as sa
from sqlmodel import Session, select
from stop_words import get_stop_words

from hub.core.models import Programme, Role
from irritants.models import Decision, DecisionIrritant, Irritant
from participants.models import Collectivity, Enrolment
from workshops.models import Workshop

KINDS = ("irritant", "collectivity", "workshop", "decision")
MAX_LENGTH = 200  # characters of a query
MAX_WORDS = 12
PER_KIND = 20  # results shown per kind; « voir plus » asks for one kind and MORE of them
MORE = 100
RANKED_CANDIDATES = 500  # the most recent matches are ranked: a bound on the work, whatever the word
MANY_COLLECTIVITIES = 500  # matched by name beyond this, their ids stay a subquery rather than a list
MIN_PREFIX = 3  # a shorter stem is searched as a whole word: « a* » would match half the index
EXCERPT = 180  # characters around the first matched word
WORD = re.compile(r"\w+")
DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so that positions in the folded text are the text's)."""
    return "".join((unicodedata.normalize("NFKD", char)[:1] or char).lower()[:1] for char in text)


_stemmer = snowballstemmer.stemmer("french")
# « l'état » is « état », « le nom de la commune » is « nom commune »: as PostgreSQL's French configuration drops them,
# so that a document without « l » or « de » is still found.
STOP_WORDS = frozenset(fold(word) for word in get_stop_words("french")) | {"d", "l", "j", "m", "n", "s", "t", "qu"}

# The words of each kind, as the PostgreSQL indexes of migration 0015 spell them (the planner matches the text).
POSTGRES_DOCUMENTS = {
    "irritant": "irritant.title || ' ' || irritant.description || ' ' || irritant.wish || ' ' || irritant.service",
    "collectivity": "collectivity.name || ' ' || coalesce(collectivity.siren, '')",
    "workshop": "workshop.place || ' ' || workshop.context || ' ' || workshop.next_steps",
    "decision": "decision.owner || ' ' || decision.rationale",
}
# Who finds which kind: the committee reads no collectivity sheet and no workshop.
KINDS_BY_ROLE = {
    Role.ADMIN: KINDS, Role.FACILITATOR: KINDS, Role.PARTICIPANT: KINDS, Role.STEERING: ("irritant", "decision"),
}


@dataclass(frozen=True)
class Terms:
    """The words of a query, ready for each database."""

    text: str
    words: tuple[str, ...]
    stems: tuple[str, ...]
    day: date | None = None

    @classmethod
    def parse(cls, raw: str) -> "Terms":
        """The words of what was typed (at most ``MAX_WORDS``), their stems, and a date written dd/mm/yyyy."""
        text = " ".join(raw.split())
        every = tuple(dict.fromkeys(word.lower() for word in WORD.findall(text.replace("_", " "))))
        # Stop words are left out, unless they are all there is (« La Poste »… is then searched as typed).
        words = (tuple(word for word in every if fold(word) not in STOP_WORDS) or every)[:MAX_WORDS]
        stems = tuple(_stemmer.stemWord(word) for word in words)
        day = None
        if found := DATE.search(text):
            try:
                day = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
            except ValueError:
                day = None
        return cls(text=text, words=words, stems=stems, day=day)

    @property
    def fts(self) -> str:
        """The FTS5 expression: every word, quoted, as a prefix of its stem when that is long enough."""
        parts = []
        for word, stem in zip(self.words, self.stems):
            parts.append(f'"{stem}"*' if len(stem) >= MIN_PREFIX else f'"{word}"')
        return " ".join(parts)

    def pattern(self) -> re.Pattern:
        """The words as they start a word of a folded text (their stems, accents folded)."""
        stems = sorted({fold(stem) for stem in self.stems if stem}, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*")

    def only(self, index: int) -> "Terms":
        """The terms of one word alone."""
        return Terms(text=self.words[index], words=self.words[index:index + 1], stems=self.stems[index:index + 1])

    @property
    def plain(self) -> str:
        """The words alone, for ``plainto_tsquery``: nothing else of what was typed reaches PostgreSQL."""
        return " ".join(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)


@dataclass(frozen=True)
class Hit:
    """One result: what it is, its title, where it sits, and an excerpt cut around a matched word."""

    kind: str
    id: int
    title: str
    context: str
    excerpt: list[tuple[str, bool]]  # (text, matched) pieces: the template marks the matched ones
    link_id: int  # the row its link opens: a decision opens the page of the irritant it covers
    day: date | None = None
    status: str | None = None


@dataclass
class Results:
    """The hits of one search, per kind, with how many there are in all."""

    terms: Terms
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every hit of every kind."""
        return sum(self.totals.values())


def excerpt(text: str, terms: Terms, length: int = EXCERPT) -> list[tuple[str, bool]]:
    """A piece of ``text`` around the first word that matches, split into (text, matched) pieces."""
    text = " ".join(text.split())
    if not text:
        return []
    folded = fold(text)
    if not any(terms.stems):
        return [(text[:length], False)]
    pattern = terms.pattern()
    first = pattern.search(folded)
    start = 0 if first is None or first.start() < length // 3 else first.start() - length // 3
    end = min(len(text), start + length)
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    cursor = start
    for found in pattern.finditer(folded, start, end):
        if found.start() > cursor:
            pieces.append((text[cursor:found.start()], False))
        pieces.append((text[found.start():min(found.end(), end)], True))
        cursor = min(found.end(), end)
    if cursor < end:
        pieces.append((text[cursor:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return pieces


# What a row is ranked on: its title, then the rest of its words.
RANKED_TEXT = {
    "irritant": (Irritant.title, (Irritant.description, Irritant.wish, Irritant.service)),
    "collectivity": (Collectivity.name, (Collectivity.siren,)),
    "workshop": (Workshop.place, (Workshop.context, Workshop.next_steps)),
    "decision": (Decision.owner, (Decision.rationale,)),
}
# The FTS5 tables of migration 0015 (SQLite), one object each: a statement naming one twice would join it to itself.
FTS_TABLES = {kind: sa.table(f"search_{kind}", sa.column("rowid"), sa.column("rank"), sa.column(f"search_{kind}"))
              for kind in KINDS}


class _Matcher:
    """The words' condition on one table, and the rank of a few rows, for this database."""

    def __init__(self, session: Session, terms: Terms):
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.terms = terms

    def _fts(self, kind: str) -> sa.TableClause:
        return FTS_TABLES[kind]

    def _fts_match(self, kind: str, terms: Terms | None = None) -> sa.ColumnElement:
        table = self._fts(kind)
        return table.c[f"search_{kind}"].op("MATCH")((terms or self.terms).fts)

    def _postgres(self, kind: str, terms: Terms | None = None) -> tuple[sa.ColumnElement, sa.ColumnElement]:
        # The document spelled as the index of migration 0015 spells it: the planner matches the expression.
        document = sa.literal_column(f"to_tsvector('french'::regconfig, {POSTGRES_DOCUMENTS[kind]})")
        return document, sa.func.plainto_tsquery(sa.literal_column("'french'::regconfig"), (terms or self.terms).plain)

    def condition(self, kind: str, model, terms: Terms | None = None) -> sa.ColumnElement:
        """The rows of ``kind`` with all the words: through the GIN expression index, or the FTS5 table's rowids."""
        if self.postgres:
            document, query = self._postgres(kind, terms)
            return document.op("@@")(query)
        table = self._fts(kind)
        return model.id.in_(select(table.c.rowid).where(self._fts_match(kind, terms)))

    def owned_condition(self, kind: str, model, owners: dict[int, list | sa.Select]) -> sa.ColumnElement:
        """The rows of ``kind`` where each word is in their own words or in their collectivity's name.

        « arrêtés Autun » finds Autun's irritants about arrêtés; ``owners`` gives, for each word (by its index),
        the collectivities whose name holds it.
        """
        if not owners:
            return self.condition(kind, model)
        parts = []
        for index in range(len(self.terms.words)):
            own_words = self.condition(kind, model, self.terms.only(index))
            parts.append(sa.or_(own_words, model.collectivity_id.in_(owners[index])) if index in owners else own_words)
        return sa.and_(*parts)

    def ranks(self, kind: str, model, ids: list[int]) -> dict[int, float]:
        """Minus the score of each row: its words found, thrice in its title; the same on both databases.

        Computed here on a few hundred rows rather than by the database: FTS5 runs its whole query again for each
        rowid it is given, and ts_rank reads each row's text anyway.
        """
        if not ids:
            return {}
        title, body = RANKED_TEXT[kind]
        pattern = self.terms.pattern()
        scores = {}
        for row_id, heading, *rest in self.session.execute(select(model.id, title, *body).where(model.id.in_(ids))):
            found_in_title = len(pattern.findall(fold(heading or "")))
            found_in_body = sum(len(pattern.findall(fold(text or ""))) for text in rest)
            scores[row_id] = -float(3 * found_in_title + found_in_body)
        return scores

    def collectivity_ids(self) -> dict[int, list | sa.Select]:
        """For each word (by its index), the collectivities whose name or SIREN holds it, if any."""
        owners = {}
        for index in range(len(self.terms.words)):
            found = select(Collectivity.id).where(self.condition("collectivity", Collectivity, self.terms.only(index)))
            ids = list(self.session.exec(found.limit(MANY_COLLECTIVITIES + 1)))
            if ids:
                owners[index] = found if len(ids) > MANY_COLLECTIVITIES else ids
        return owners


def _ranked(session: Session, matcher: _Matcher, kind: str, model, conditions: list, columns: tuple, joins,
            where: list, limit: int) -> tuple[list, int]:
    """The best ``limit`` rows matching any of ``conditions`` (scoped by the session), and how many match in all.

    The latest ``RANKED_CANDIDATES`` matches are ranked by ``_Matcher.ranks``, the best first; the rows found only
    through another table (a collectivity's name, a date) score nothing of their own and come after.
    """
    matched = select(model.id).where(sa.or_(*conditions) if len(conditions) > 1 else conditions[0], *where)
    total = session.exec(select(sa.func.count()).select_from(matched.subquery())).one()
    if not total:
        return [], 0
    # « id + 0 »: ordered by the id's index, PostgreSQL would walk the whole table backwards computing each row's
    # words until it has enough (350 ms for a word in 7 % of 100,000 irritants); this way it takes the GIN index's
    # matches, then sorts them (25 ms).
    candidates = list(session.exec(matched.order_by((model.id + 0).desc()).limit(RANKED_CANDIDATES)))
    ranks = matcher.ranks(kind, model, candidates)
    best = sorted(candidates, key=lambda row_id: (ranks.get(row_id, 0.0), -row_id))[:limit]
    statement = select(*columns).where(model.id.in_(best))
    for target, on in joins:
        statement = statement.join(target, on)
    rows = {row[0]: row for row in session.exec(statement)}
    return [rows[row_id] for row_id in best if row_id in rows], total


def _irritants(session, matcher, terms, names, programme_id, limit):
    conditions = [matcher.owned_condition("irritant", Irritant, names)]
    where = [Irritant.programme_id == programme_id] if programme_id else []
    rows, total = _ranked(session, matcher, "irritant", Irritant, conditions,
                          (Irritant.id, Irritant.title, Irritant.description, Irritant.wish, Irritant.status,
                           Collectivity.name),
                          [(Collectivity, Collectivity.id == Irritant.collectivity_id)], where, limit)
    return [Hit("irritant", row[0], row[1], row[5], excerpt(row[2] or row[3], terms), row[0], status=row[4])
            for row in rows], total


def _collectivities(session, matcher, terms, names, programme_id, limit):
    where = []
    if programme_id:
        where.append(Collectivity.id.in_(select(Enrolment.collectivity_id)
                                         .where(Enrolment.programme_id == programme_id)))
    rows, total = _ranked(session, matcher, "collectivity", Collectivity,
                          [matcher.condition("collectivity", Collectivity)],
                          (Collectivity.id, Collectivity.name, Collectivity.siren, Collectivity.departement_code),
                          [], where, limit)
    return [Hit("collectivity", row[0], row[1], row[3], excerpt(row[2] or "", terms), row[0]) for row in rows], total


def _workshops(session, matcher, terms, names, programme_id, limit):
    conditions = [matcher.owned_condition("workshop", Workshop, names)]
    if terms.day is not None:
        conditions.append(Workshop.held_on == terms.day)
    where = [Workshop.programme_id == programme_id] if programme_id else []
    rows, total = _ranked(session, matcher, "workshop", Workshop, conditions,
                          (Workshop.id, Workshop.place, Workshop.context, Workshop.next_steps, Workshop.held_on,
                           Workshop.status, Collectivity.name),
                          [(Collectivity, Collectivity.id == Workshop.collectivity_id)], where, limit)
    return [Hit("workshop", row[0], row[6], row[1], excerpt(row[2] or row[3], terms), row[0], day=row[4],
                status=row[5]) for row in rows], total


def _decisions(session, matcher, terms, names, programme_id, limit):
    # A decision is reached through an irritant it covers: the scope of that link narrows a référent's decisions.
    covered = select(DecisionIrritant.decision_id.label("decision_id"),
                     sa.func.min(DecisionIrritant.irritant_id).label("irritant_id")) \
        .group_by(DecisionIrritant.decision_id).subquery()
    where = [Decision.id.in_(select(DecisionIrritant.decision_id))]
    if programme_id:
        where.append(Decision.programme_id == programme_id)
    rows, total = _ranked(session, matcher, "decision", Decision, [matcher.condition("decision", Decision)],
                          (Decision.id, Decision.kind, Decision.rationale, Decision.decided_on, covered.c.irritant_id,
                           Decision.owner),
                          [(covered, covered.c.decision_id == Decision.id)], where, limit)
    return [Hit("decision", row[0], row[1], row[5], excerpt(row[2], terms), row[4], day=row[3]) for row in rows], total


FINDERS = {"irritant": _irritants, "collectivity": _collectivities, "workshop": _workshops, "decision": _decisions}


def programme_by_slug(session: Session, slug: str) -> Programme | None:
    """The programme a search is narrowed to, if the slug names one."""
    if not slug:
        return None
    return session.exec(select(Programme).where(Programme.slug == slug)).first()


def search(session: Session, *, query: str, role: str, programme_id: int | None = None,
           kinds: tuple[str, ...] = KINDS, limit: int = PER_KIND) -> Results:
    """The hits of ``query`` per kind the role may open (``kinds`` narrows them), at most ``limit`` each."""
    terms = Terms.parse(query[:MAX_LENGTH])
    results = Results(terms=terms)
    if not terms:
        return results
    matcher = _Matcher(session, terms)
    wanted = [kind for kind in KINDS if kind in kinds and kind in KINDS_BY_ROLE.get(role, ())]
    names = matcher.collectivity_ids() if {"irritant", "workshop"} & set(wanted) else {}
    for kind in wanted:
        results.hits[kind], results.totals[kind] = FINDERS[kind](session, matcher, terms, names, programme_id, limit)
    return results
