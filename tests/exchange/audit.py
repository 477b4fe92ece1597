"""The attacker, written apart from exchange.disclosure: an integer program over everything
published that finds each withheld count's smallest and largest possible value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scipy.optimize import Bounds, LinearConstraint, milp


def recovered(
    seen: Mapping[Any, int | None],
    sums: Sequence[tuple[Any, Sequence[Any]]],
) -> list[Any]:
    """Withheld cells (None in `seen`) an integer program pins to one value, knowing every
    published count and that each total is the sum of its parts (a withheld count is at least 1:
    zeros are shown; a cell `seen` does not hold is 0)."""
    unknown = [cell for cell, value in seen.items() if value is None]
    index = {cell: i for i, cell in enumerate(unknown)}
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for total, parts in sums:
        coef: dict[int, float] = {}
        known = 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            value = seen.get(cell, 0)
            if value is None:
                coef[index[cell]] = coef.get(index[cell], 0.0) + sign
            else:
                known += sign * value
        coef = {i: c for i, c in coef.items() if c}
        if coef:
            rows.append(coef)
            rhs.append(-known)
    # Withheld cells that share no sum, directly or through others, are solved apart.
    group = list(range(len(unknown)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for row in rows:
        first, *others = row
        for other in others:
            group[root(other)] = root(first)
    pinned: list[Any] = []
    for g in sorted({root(i) for i in range(len(unknown))}):
        members = [i for i in range(len(unknown)) if root(i) == g]
        mine = [r for r, row in enumerate(rows) if root(next(iter(row))) == g]
        if not mine:
            continue  # in no sum: anything from 1 up
        pinned += [
            unknown[members[k]]
            for k in _pinned(members, [rows[r] for r in mine], [rhs[r] for r in mine])
        ]
    return pinned


def _pinned(members: list[int], rows: list[dict[int, float]], rhs: list[float]) -> list[int]:
    """Positions (in `members`) of the cells that take one value in every whole solution: each
    cell's smallest value, then whether any solution has it larger."""
    n = len(members)
    where = {cell: k for k, cell in enumerate(members)}
    matrix = [[0.0] * n for _ in rows]
    for line, row in zip(matrix, rows, strict=True):
        for cell, c in row.items():
            line[where[cell]] = c
    equal = LinearConstraint(matrix, rhs, rhs)
    values: list[set[int]] = [set() for _ in range(n)]

    def solve(goal: list[float], low: list[float]) -> float | None:
        found = milp(
            goal,
            constraints=equal,
            bounds=Bounds(low, [float("inf")] * n),
            integrality=[1] * n,
        )
        if found.status != 0:
            return None
        for k, v in enumerate(found.x):
            values[k].add(round(v))
        return float(found.fun)

    pinned = []
    for k in range(n):
        if len(values[k]) > 1:
            continue  # two solutions found on the way give it two values
        goal = [0.0] * n
        goal[k] = 1.0
        smallest = solve(goal, [1.0] * n)
        if smallest is None:
            continue
        above = [1.0] * n
        above[k] = round(smallest) + 1.0
        if solve([0.0] * n, above) is None:
            pinned.append(k)
    return pinned
