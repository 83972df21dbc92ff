"""Which collected values join the history at once, and which wait for an editor.

A collected figure is recorded directly when it fits the metric's recent
pattern. It waits in the review queue when it:

- falls further below the last figure than the metric allows
  (``Metric.max_fall_percent``: 10 % unless an editor raised it for figures
  that go up and down, such as open issues);
- rises far beyond the recent growth: more than three times what the last
  figures' daily growth predicts for the days since, and at least a quarter
  of the last figure per year elapsed (so seven quiet years of an old figure
  do not make every honest new one look like a jump);
- comes from a moved or renamed identifier (the caller queues those).

Facts from the package index never change a framework silently: every
difference waits (``fact_changes``).

Approving and rejecting are in ``frameworks.services``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

JUMP_FACTOR = 3
JUMP_FLOOR_PER_YEAR = Decimal("0.25")
RECENT = 5  # figures that make "the recent pattern"

# The framework field each fact from the package index sets.
FACT_FIELDS = {
    "license": "license",
    "home_url": "home_url",
    "repository_url": "repository_url",
    "documentation_url": "documentation_url",
    "latest_version": "latest_version",
    "latest_release_on": "latest_release_date",
}


@dataclass(frozen=True)
class Verdict:
    reason: str  # a ReviewItem.Reason value
    explanation: str


def judge(metric, history: list[tuple[date, Decimal]], value: Decimal, as_of: date) -> Verdict | None:
    """None when ``value`` fits ``history`` (newest first, at most RECENT), else why it waits."""
    if not history:
        return None
    last_date, last = history[0]
    if last > 0 and value < last * (1 - Decimal(metric.max_fall_percent) / 100):
        fall = (last - value) / last * 100
        return Verdict(
            "fall",
            f"Fell from {metric.format(last)} to {metric.format(value)} ({fall:.0f} % down; "
            f"this metric allows {metric.max_fall_percent} %).",
        )
    days = max((as_of - last_date).days, 1)
    years = Decimal(days) / Decimal("365.25")
    allowed = max(last * JUMP_FLOOR_PER_YEAR * max(years, Decimal(1)), Decimal(10))
    if len(history) > 1:
        oldest_date, oldest = history[-1]
        span = max((last_date - oldest_date).days, 1)
        predicted = max(last - oldest, Decimal(0)) / span * days
        allowed = max(allowed, JUMP_FACTOR * predicted)
    if value - last > allowed:
        return Verdict(
            "jump",
            f"Rose from {metric.format(last)} to {metric.format(value)} in {days} day(s); "
            f"the recent pattern allows about {metric.format(last + allowed)}.",
        )
    return None


def fact_changes(framework, facts: dict) -> dict[str, tuple[str, str]]:
    """Field name → (current, collected) for every collected fact that differs from the framework's."""
    changes = {}
    for name, fact in FACT_FIELDS.items():
        collected = facts.get(fact)
        if collected in (None, ""):
            continue
        current = getattr(framework, name)
        if _comparable(name, current) != _comparable(name, collected):
            changes[name] = (_as_text(current), _as_text(collected))
    return changes


def _comparable(name: str, value) -> str:
    text = _as_text(value)
    # "https://flask.palletsprojects.com/" is the same home as ".../com".
    return text.rstrip("/").lower() if name.endswith("_url") else text


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
