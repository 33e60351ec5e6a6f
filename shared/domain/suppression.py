"""Small-count suppression for municipal reports, with secondary suppression.

Primary: a count of 1–4 is shown as "<5". Secondary: if a suppressed count could still be worked out
from the table's published total (the sum of the suppressed cells is known, and each suppressed
cell's range is known: 1–4 for "<5", at least 5 for "x"), the smallest further non-zero cell is
suppressed too ("x"), until every suppressed cell has at least two possible values; if no cell is
left to suppress, the total is suppressed instead. Zeros are published: a zero reveals no person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

PRIMARY: Final = "<5"
SECONDARY: Final = "x"


@dataclass(frozen=True)
class Table:
    cells: tuple[str, ...]  # shown values: digits, "<5" or "x"
    total: str | None


def _ranges(
    values: Sequence[int], primary: set[int], secondary: set[int], threshold: int, remainder: int
) -> dict[int, tuple[int, int]]:
    r = {i: (1, threshold - 1) for i in primary}
    r.update({i: (threshold, max(threshold, remainder)) for i in secondary})
    return r


def derivable(
    values: Sequence[int], primary: set[int], secondary: set[int], total: int, threshold: int
) -> bool:
    """True if some suppressed cell has exactly one value consistent with the published total."""
    hidden = primary | secondary
    if not hidden:
        return False
    remainder = total - sum(v for i, v in enumerate(values) if i not in hidden)
    ranges = _ranges(values, primary, secondary, threshold, remainder)
    lo_sum = sum(lo for lo, _ in ranges.values())
    hi_sum = sum(hi for _, hi in ranges.values())
    for lo, hi in ranges.values():
        low = max(lo, remainder - (hi_sum - hi))
        high = min(hi, remainder - (lo_sum - lo))
        if low >= high:
            return True
    return False


def suppress(values: Sequence[int], total: int | None = None, threshold: int = 5) -> Table:
    values = list(values)
    primary = {i for i, v in enumerate(values) if 0 < v < threshold}
    secondary: set[int] = set()
    total_shown: str | None = None if total is None else str(total)
    if total is not None and 0 < total < threshold:
        total_shown = PRIMARY
    elif total is not None:
        while derivable(values, primary, secondary, total, threshold):
            left = [i for i, v in enumerate(values) if v > 0 and i not in primary | secondary]
            if not left:
                total_shown = SECONDARY
                break
            secondary.add(min(left, key=lambda i: (values[i], i)))
    cells = tuple(
        PRIMARY if i in primary else SECONDARY if i in secondary else str(v)
        for i, v in enumerate(values)
    )
    return Table(cells, total_shown)


def single(value: int, threshold: int = 5) -> str:
    """A lone published count (no total it belongs to)."""
    return PRIMARY if 0 < value < threshold else str(value)
