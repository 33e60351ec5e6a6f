"""No suppressed value can be derived from a published total (hypothesis, brute force)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.suppression import PRIMARY, SECONDARY, single, suppress


def possible_values(
    cells: tuple[str, ...], total: str | None, true_values: list[int]
) -> dict[int, set[int]]:
    """Everything an outsider can infer: each hidden cell's set of values consistent with what is shown."""
    hidden = [i for i, c in enumerate(cells) if c in (PRIMARY, SECONDARY)]
    published = sum(int(c) for c in cells if c not in (PRIMARY, SECONDARY))
    ranges = []
    upper = sum(true_values) + 10 if total is None or not total.isdigit() else int(total)
    for i in hidden:
        ranges.append(range(1, 5) if cells[i] == PRIMARY else range(5, max(6, upper + 1)))
    seen: dict[int, set[int]] = {i: set() for i in hidden}
    for combo in itertools.product(*ranges):
        if total is not None and total.isdigit() and published + sum(combo) != int(total):
            continue
        for i, v in zip(hidden, combo, strict=True):
            seen[i].add(v)
    return seen


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=14), min_size=1, max_size=5))
def test_no_suppressed_cell_is_derivable(values: list[int]) -> None:
    table = suppress(values, sum(values))
    for i, v in enumerate(values):
        if 0 < v < 5:
            assert table.cells[i] == PRIMARY  # every small count is hidden
        if table.cells[i].isdigit():
            assert int(table.cells[i]) == v  # published numbers are true
    for i, options in possible_values(table.cells, table.total, values).items():
        assert values[i] in options
        assert len(options) >= 2, (values, table)


def test_examples() -> None:
    assert suppress([1, 1, 10], 12).cells == (PRIMARY, PRIMARY, SECONDARY)
    assert suppress([2, 5], 7).cells == (PRIMARY, SECONDARY)
    assert suppress([6, 7, 0], 13).cells == ("6", "7", "0")
    t = suppress([3], 3)
    assert t.cells == (PRIMARY,) and t.total == PRIMARY
    t = suppress([3, 0], 9)  # (the other 6 are elsewhere) nothing left to hide: the total goes
    assert t.total == SECONDARY
    assert single(0) == "0" and single(4) == PRIMARY and single(5) == "5"
