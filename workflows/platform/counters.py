"""Anonymous monthly counters per municipality (or "digital" / "centre"): every transition that a
report counts increments one, in the same transaction; the reports read these and nothing else."""

from __future__ import annotations

from datetime import date, datetime


def month_path(month: str, key: str) -> str:
    """stats/{YYYY-MM}_{key}"""
    return f"stats/{month}_{key}"


def stats_path(when: datetime | date, key: str) -> str:
    return month_path(f"{when:%Y-%m}", key)
