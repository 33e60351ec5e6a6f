"""Pool members for the pure matching tests: one builder, everything overridable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.domain.matching import Candidate

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def cand(i: int, **kw: object) -> Candidate:
    """Person i, queued i hours after T0: an Askøy resident for a relatives group, weekday evenings."""
    base: dict[str, object] = dict(
        id=f"p{i:03d}",
        queued_at=T0 + timedelta(hours=i),
        municipality="4627",
        travel=(),
        topics=("relatives",),
        formats=("in_person",),
        times=("weekday_evening",),
        languages=("no",),
    )
    base.update(kw)
    return Candidate(**base)  # type: ignore[arg-type]
