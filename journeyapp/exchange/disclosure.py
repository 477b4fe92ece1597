"""Which counts a published report withholds, so that no small count can be worked out.

Primary suppression withholds every count from 1 to 4. That alone can be undone by subtraction
(a total minus the other rows), so secondary suppression withholds more: in every relation a
reader could use (a total and the rows that add up to it; a whole-partnership figure and the
same figure for each locality, which a coordinator can also publish), either nothing is withheld
or at least two things are, and the withheld rows add up to more than one per row (so they cannot
all be 1). The smallest other non-zero row is withheld first. Zeros are shown: a withheld count
is never 0, and that is all a reader learns about it.

Those rules are checked, not trusted: an audit solves, as an attacker would, for the smallest and
largest value each withheld count could have given everything published (an integer program over
every relation at once), and withholds more wherever the two meet, until none does.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

THRESHOLD = 5

Cell = Hashable
Relation = tuple[Cell, Sequence[Cell]]  # (a total, the cells that add up to it)


def withhold(values: dict[Cell, int], relations: Iterable[Relation]) -> set[Cell]:
    """The cells to withhold: counts from 1 to 4, and enough others that none can be solved for."""
    rules = [(total, list(parts)) for total, parts in relations]
    hidden = _by_rule(values, rules, {cell for cell, n in values.items() if 0 < n < THRESHOLD})
    for _round in range(50):
        pinned = solvable(values, rules, hidden)
        if not pinned:
            break
        for cell in pinned:
            hidden |= _one_more(values, rules, hidden, cell)
        hidden = _by_rule(values, rules, hidden)
    return hidden


def _one_more(
    values: dict[Cell, int], rules: list[tuple[Cell, list[Cell]]], hidden: set[Cell], cell: Cell
) -> set[Cell]:
    """The smallest shown non-zero count in a relation with `cell` (to withhold it as well)."""
    near = sorted(
        (values.get(i, 0), str(i), i)
        for total, parts in rules
        if cell == total or cell in parts
        for i in [total, *parts]
        if i not in hidden and values.get(i, 0)
    )
    return {near[0][2]} if near else set()


def solvable(
    values: dict[Cell, int], rules: Sequence[tuple[Cell, Sequence[Cell]]], hidden: set[Cell]
) -> list[Cell]:
    """Withheld cells whose value follows from what is shown (the attacker's integer program)."""

    unknown = sorted(hidden, key=str)
    if not unknown:
        return []
    index = {cell: i for i, cell in enumerate(unknown)}
    rows: list[list[float]] = []
    rhs: list[float] = []
    for total, parts in rules:
        coef = [0.0] * len(unknown)
        known = 0.0
        for cell, sign in [(total, -1.0), *((p, 1.0) for p in parts)]:
            if cell in index:
                coef[index[cell]] += sign
            else:
                known += sign * values.get(cell, 0)
        if any(coef):
            rows.append(coef)
            rhs.append(-known)
    if not rows:
        return []
    ceiling = float(sum(values.values()) + 1)
    pinned: list[Cell] = []
    for members, own in _components(len(unknown), rows):
        pinned += [
            unknown[i]
            for i in _pinned(members, [rows[r] for r in own], [rhs[r] for r in own], ceiling)
        ]
    return pinned


def _components(size: int, rows: list[list[float]]) -> list[tuple[list[int], list[int]]]:
    """Withheld cells linked by the relations they share: (cells, relation rows) per group."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in rows:
        cells = [i for i, c in enumerate(row) if c]
        for other in cells[1:]:
            parent[root(other)] = root(cells[0])
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(size):
        groups.setdefault(root(i), ([], []))[0].append(i)
    for r, row in enumerate(rows):
        first = next(i for i, c in enumerate(row) if c)
        groups[root(first)][1].append(r)
    return [g for g in groups.values() if g[1]]


def _pinned(
    members: list[int], rows: list[list[float]], rhs: list[float], ceiling: float
) -> list[int]:
    """Which of one group's cells take one value in every solution (an integer program each,
    skipped for cells already seen with two values in solutions found on the way)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(members)
    local = [[row[m] for m in members] for row in rows]
    constraints = LinearConstraint(local, rhs, rhs)
    bounds = Bounds([1.0] * n, [ceiling] * n)
    integral = [1] * n
    seen: list[set[int]] = [set() for _ in range(n)]

    def solve(goal: list[float]) -> float | None:
        found = milp(goal, constraints=constraints, bounds=bounds, integrality=integral)
        if found.status != 0:
            return None
        for i, v in enumerate(found.x):
            seen[i].add(round(v))
        return float(found.fun)

    solve([1.0] * n)
    solve([-1.0] * n)
    result = []
    for i in range(n):
        if len(seen[i]) > 1:
            continue
        goal = [0.0] * n
        goal[i] = 1.0
        low = solve(goal)
        goal[i] = -1.0
        high = solve(goal)
        if low is not None and high is not None and round(low) == round(-high):
            result.append(members[i])
    return result


def _by_rule(
    values: dict[Cell, int], rules: list[tuple[Cell, list[Cell]]], hidden: set[Cell]
) -> set[Cell]:
    """Secondary suppression by the two rules in the module docstring."""
    hidden = set(hidden)
    changed = True
    while changed:
        changed = False
        for total, parts in rules:
            items = [total, *parts]
            if not any(i in hidden for i in items):
                continue
            shown_total = total not in hidden
            withheld_parts = [p for p in parts if p in hidden]
            count = sum(i in hidden for i in items)
            too_few = count == 1
            # Withheld rows under a shown total: the reader knows their sum; if it is no more
            # than one per row, every one of them is 1.
            all_ones = (
                shown_total
                and withheld_parts
                and (sum(values.get(p, 0) for p in withheld_parts) <= len(withheld_parts))
            )
            if not (too_few or all_ones):
                continue
            candidates = sorted(
                (values.get(p, 0), str(p), p) for p in parts if p not in hidden and values.get(p, 0)
            )
            if candidates:
                hidden.add(candidates[0][2])
            elif shown_total and values.get(total, 0):
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden
