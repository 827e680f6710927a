"""Which figures changed between two versions of the report (or a version and today's records)."""

from __future__ import annotations

import math
from dataclasses import dataclass

SUMMARY_FIGURES = ("collectivities", "departements", "population", "workshops", "workshops_held", "agents_met",
                   "irritants", "qualified")


@dataclass(frozen=True)
class Change:
    """One figure, where it sits in the report, its value before and after."""

    section: str  # a code the template names: summary, funnel, family, theme, usage, collectivity
    key: str
    before: float | int | None
    after: float | int | None

    @property
    def delta(self) -> float | None:
        """After minus before, when both exist."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def key_figures(data: dict) -> dict[tuple[str, str], float | int | None]:
    """The report's figures worth comparing, each named by its section and key."""
    figures: dict[tuple[str, str], float | int | None] = {
        ("summary", name): data["summary"][name] for name in SUMMARY_FIGURES}
    figures[("summary", "decisions")] = len(data["decisions"])
    figures[("summary", "groups")] = len(data["groups"])
    figures.update({("funnel", row["step"]): row["count"] for row in data["funnel"]})
    figures.update({("family", family): n for family, n in data["recommendations"]["by_family"].items()})
    figures.update({("theme", row["label"]): row["count"] for row in data["irritants_by_theme"]})
    time_saved = data["usage"]["time_saved"]
    # A value stored before the forms bounded it may be infinite or NaN: shown as missing, not a 500.
    figures.update({("usage", f"time_saved_{k}"): _whole(v) for k, v in time_saved.items()})
    months = data["usage"]["months"]
    if months:
        figures[("usage", "active_users")] = months[-1]["active_users"]
    figures.update({("collectivity", annex["name"]): annex["irritants"]["count"] for annex in data["annexes"]})
    return figures


def changes(before: dict, after: dict) -> Changes:
    """Every key figure whose value differs, in the report's order (a list that also has its ``sentence``)."""
    old, new = key_figures(before), key_figures(after)
    order = list(new) + [key for key in old if key not in new]
    return Changes([Change(section, key, old.get((section, key)), new.get((section, key)))
                    for section, key in order if old.get((section, key)) != new.get((section, key))], before, after)


# The differences the "what changed" page says in words before its table, in this order; the words are the
# template's (exports/_changes_sentence.html): this module stays pure, without the hub's i18n.
COUNTED = ("irritants", "qualified", "workshops_held", "decisions", "groups")


def _whole(value: float) -> int | None:
    # A value stored before the forms bounded it may be infinite or NaN: shown as missing, not a 500.
    return round(value) if math.isfinite(value) else None


def _last_month(data: dict) -> dict:
    months = data["usage"]["months"]
    return months[-1] if months else {}


def differences(before: dict, after: dict) -> list[tuple[str, float | int | None, float | int | None]]:
    """The differences worth a sentence, each (code, before, after), only those that changed."""
    old, new = key_figures(before), key_figures(after)
    found = [(code, old.get(("summary", code)) or 0, new.get(("summary", code)) or 0) for code in COUNTED]
    # Rates compared as the reader sees them, in whole percents: a change hidden by rounding is no change.
    rates = [_last_month(data).get("rate") for data in (before, after)]
    shown = [None if rate is None else round(rate * 100) for rate in rates]
    if shown[0] != shown[1]:
        found.append(("adoption", *rates))
    found.append(("active_users", _last_month(before).get("active_users"), _last_month(after).get("active_users")))
    found.append(("time_saved_measured", _whole(before["usage"]["time_saved"]["measured"]),
                  _whole(after["usage"]["time_saved"]["measured"])))
    return [(code, was, now) for code, was, now in found if was != now]


class Changes(list):
    """The changed figures, in the report's order, with the differences the page opens with in words."""

    def __init__(self, rows: list[Change], before: dict, after: dict):
        super().__init__(rows)
        self.differences = differences(before, after)
