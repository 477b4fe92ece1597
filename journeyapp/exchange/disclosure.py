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
every relation at once), and withholds more wherever the two meet, until none does. The count
withheld for a pinned cell is the smallest shown non-zero one nearest to it: in a relation with
it, else in a relation with one of those cells, and so on outwards.

A report's tables fit together in more ways than totals and their rows (a pipeline stage is the
sum of its journey stages; the keyworkers' caseloads add up to the parents active plus those on a
break, a figure never published): every such relation is given, with the figures they rest on
that are not published as unknowns the audit solves for too (exchange.report._protect).

A document published beside others (the funder's return, beside the programme reports for the
same time) is withheld with theirs settled: their cells, withheld or shown as they are, join the
audit, and only its own cells are withheld, until none of theirs withheld is pinned either.

That always ends, and ends with nothing pinned. Each round withholds at least one more count or
stops, and a round finds nothing to withhold only when every non-zero count linked to a pinned
cell (through relations, however far) is withheld already. Then nothing linked to it is pinned:
what is published of those relations is zeros, so twice the true counts fit them as well, and
twice any count still fits under the audit's ceiling (every count is at most half the sum of the
counts in a relation with it, and the ceiling is more than the sum of them all).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence

THRESHOLD = 5

Cell = Hashable
Relation = tuple[Cell, Sequence[Cell]]  # (a total, the cells that add up to it)


def withhold(
    values: dict[Cell, int],
    relations: Iterable[Relation],
    unpublished: Iterable[Cell] = (),
    last: Iterable[Cell] = (),
    settled: Mapping[Cell, bool] | None = None,
) -> set[Cell]:
    """The cells to withhold: counts from 1 to 4, and enough others that none can be solved for.

    `unpublished` cells are never shown but tie published ones together (the parents on the
    keyworkers' caseloads: those active plus those taking a break, and the sum of the
    caseloads): the audit treats them as unknown, and only the rules' cells are withheld for
    them, by the audit (the two rules apply to relations of published cells only). `last`
    cells (a report's number of parents reached) are withheld for another only when no other
    count linked to it is left. `settled` cells are another document's, published beside this
    one (the programme reports a funder's return goes with): withheld there (True) or shown
    (False), which is not changed here; more of this document's own cells are withheld until
    none withheld there can be worked out either. Only own cells are returned."""
    rules = [(total, list(parts)) for total, parts in relations]
    hidden_always = set(unpublished)
    fixed = frozenset(settled or {})
    linked = _linked(rules)
    plain = [(t, ps) for t, ps in rules if t not in hidden_always and hidden_always.isdisjoint(ps)]
    small = {
        cell
        for cell, n in values.items()
        if 0 < n < THRESHOLD and cell not in hidden_always and cell not in fixed
    }
    elsewhere = {cell for cell, withheld in (settled or {}).items() if withheld}
    hidden = _by_rule(values, plain, small | elsewhere, fixed) | hidden_always
    while pinned := [c for c in solvable(values, rules, hidden) if c not in hidden_always]:
        before = len(hidden)
        for cell in pinned:
            hidden |= _one_more(values, linked, hidden, cell, frozenset(last), fixed)
        hidden = _by_rule(values, plain, hidden, fixed)
        if len(hidden) == before:
            if fixed:
                # What the other documents give away with this one's zeros (which are shown):
                # theirs to withhold; every own count linked to it is withheld already.
                break
            # Cannot happen (see the module docstring): stop rather than publish a pinned count.
            raise RuntimeError(f"{len(pinned)} withheld counts could be worked out")
    return hidden - hidden_always - fixed


def _linked(rules: list[tuple[Cell, list[Cell]]]) -> dict[Cell, set[Cell]]:
    """Each cell's neighbours: the cells that share a relation with it."""
    linked: dict[Cell, set[Cell]] = {}
    for total, parts in rules:
        cells = [total, *parts]
        for cell in cells:
            linked.setdefault(cell, set()).update(cells)
    return linked


def _one_more(
    values: dict[Cell, int],
    linked: dict[Cell, set[Cell]],
    hidden: set[Cell],
    cell: Cell,
    last: frozenset[Cell] = frozenset(),
    fixed: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """The smallest shown non-zero count nearest to `cell` (to withhold it as well): in a
    relation with it; where there is none, in a relation with one of those cells, and so on
    outwards; one of the `last` only when no other is left; never a `fixed` one (another
    document's). Empty when no count linked to it is left to withhold."""
    for avoid in (last, frozenset()):
        seen = {cell}
        ring = {cell}
        while ring:
            ring = {near for c in ring for near in linked.get(c, ())} - seen
            seen |= ring
            shown = sorted(
                (values.get(i, 0), str(i), i)
                for i in ring
                if i not in hidden and i not in avoid and i not in fixed and values.get(i, 0)
            )
            if shown:
                return {shown[0][2]}
    return set()


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
        group_rows, group_rhs = [rows[r] for r in own], [rhs[r] for r in own]
        moves: dict[str, set[int]] = {}
        found = _pinned_by_moves(
            members,
            group_rows,
            group_rhs,
            [values.get(unknown[i], 0) for i in members],
            ceiling,
            moves,
        )
        if found is None:  # the integer program decides, for the cells the moves left open
            found = _pinned(members, group_rows, group_rhs, ceiling, **moves)
        pinned += [unknown[i] for i in found]
    return pinned


def _pinned_by_moves(
    members: list[int],
    rows: list[list[float]],
    rhs: list[float],
    truth: list[int],
    ceiling: float,
    known: dict[str, set[int]] | None = None,
) -> list[int] | None:
    """`_pinned`'s answer found without an integer program where that is certain, else None.

    The true counts are one solution. A cell no change of the others can move (its column is
    not in the null space of the relations) takes one value in every solution: pinned. A cell
    that an integer move along the null space changes, from the true counts to other counts
    still between 1 and the ceiling, has two values: not pinned. Only when some cell is
    neither does the integer program have to decide (so scipy is loaded only then); `known`
    is then told which cells (positions in `members`) were found to move ("moved") and which
    cannot ("still"), so that it decides only the others.
    """
    n = len(members)
    if not all(float(row[m]).is_integer() for row in rows for m in members):
        return None
    local = [[int(row[m]) for m in members] for row in rows]
    if any(
        sum(c * t for c, t in zip(r, truth, strict=True)) != b
        for r, b in zip(local, rhs, strict=True)
    ):
        return None  # the counts do not satisfy the relations: leave it to the solver
    if any(not 1 <= t <= ceiling for t in truth):
        return None
    # The largest counts as pivots: each move then adds 1 to one (free) cell and takes what it
    # must from cells large enough to give it.
    moves = _null_space(local, n, sorted(range(n), key=lambda i: (-truth[i], i)))
    movable = {i for move in moves for i, c in enumerate(move) if c}
    moved: set[int] = set()

    def tried(move: list[int]) -> None:
        for sign in (1, -1):
            if all(1 <= t + sign * c <= ceiling for t, c in zip(truth, move, strict=True)):
                moved.update(i for i, c in enumerate(move) if c)
                return

    for move in moves:
        tried(move)
    if moved != movable and len(moves) <= 40:
        for a, first in enumerate(moves):
            for second in moves[a + 1 :]:
                for sign in (1, -1):
                    tried([x + sign * y for x, y in zip(first, second, strict=True)])
                if moved == movable:
                    break
    if moved != movable:
        if known is not None:
            known["moved"] = moved
            known["still"] = set(range(n)) - movable
        return None
    return [members[i] for i in range(n) if i not in movable]


def _null_space(
    rows: list[list[int]], n: int, order: Sequence[int] | None = None
) -> list[list[int]]:
    """A basis of the integer vectors d with rows . d = 0, each as small whole numbers; columns
    taken as pivots in `order` (the others are the free ones, each +1 in its own vector).

    Gauss-Jordan elimination in whole numbers (no fractions module, and no fraction made per
    step): each row is kept as a non-zero multiple of the row the same steps give in fractions,
    so the same entries are zero, the same pivots are taken, and each reduced entry is the
    quotient of two of its whole numbers."""
    matrix = [list(r) for r in rows]
    pivots: list[int] = []
    rank = 0
    for col in order if order is not None else range(n):
        found = next((r for r in range(rank, len(matrix)) if matrix[r][col] != 0), None)
        if found is None:
            continue
        matrix[rank], matrix[found] = matrix[found], matrix[rank]
        pivot_row = matrix[rank]
        lead = pivot_row[col]
        for r in range(len(matrix)):
            if r != rank and matrix[r][col] != 0:
                factor = matrix[r][col]
                row = [lead * v - factor * w for v, w in zip(matrix[r], pivot_row, strict=True)]
                divisor = math.gcd(*row)  # kept small: a multiple of the same row
                matrix[r] = [v // divisor for v in row] if divisor > 1 else row
        pivots.append(col)
        rank += 1
    basis = []
    for free in (c for c in range(n) if c not in pivots):
        # The vector in fractions, each entry as (numerator, denominator) in lowest terms.
        numerators, denominators = [0] * n, [1] * n
        numerators[free] = 1
        for r, col in enumerate(pivots):
            top, bottom = -matrix[r][free], matrix[r][col]
            if bottom < 0:
                top, bottom = -top, -bottom
            common = math.gcd(top, bottom)
            numerators[col], denominators[col] = top // common, bottom // common
        scale = math.lcm(*denominators)
        whole = [v * (scale // d) for v, d in zip(numerators, denominators, strict=True)]
        divisor = math.gcd(*whole)
        basis.append([v // divisor for v in whole])
    return basis


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
    members: list[int],
    rows: list[list[float]],
    rhs: list[float],
    ceiling: float,
    moved: set[int] | None = None,
    still: set[int] | None = None,
) -> list[int]:
    """Which of one group's cells take one value in every solution (an integer program each,
    skipped for cells already seen with two values in solutions found on the way, or known to
    move (`moved`) or to be pinned (`still`) already: positions in `members`)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(members)
    local = [[row[m] for m in members] for row in rows]
    constraints = LinearConstraint(local, rhs, rhs)
    bounds = Bounds([1.0] * n, [ceiling] * n)
    integral = [1] * n
    seen: list[set[int]] = [set() for _ in range(n)]
    for i in moved or ():
        seen[i].update((0, 1))  # two values already, from a move of the true counts

    def solve(goal: list[float]) -> float | None:
        found = milp(goal, constraints=constraints, bounds=bounds, integrality=integral)
        if found.status != 0:
            return None
        for i, v in enumerate(found.x):
            seen[i].add(round(v))
        return float(found.fun)

    result = [members[i] for i in sorted(still or ())]
    if all(len(seen[i]) > 1 or i in (still or ()) for i in range(n)):
        return result
    solve([1.0] * n)
    solve([-1.0] * n)
    for i in range(n):
        if len(seen[i]) > 1 or i in (still or ()):
            continue
        goal = [0.0] * n
        goal[i] = 1.0
        low = solve(goal)
        goal[i] = -1.0
        high = solve(goal)
        if low is not None and high is not None and round(low) == round(-high):
            result.append(members[i])
    return sorted(result)


def _by_rule(
    values: dict[Cell, int],
    rules: list[tuple[Cell, list[Cell]]],
    hidden: set[Cell],
    fixed: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """Secondary suppression by the two rules in the module docstring (never of a `fixed`
    cell: another document's)."""
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
                (values.get(p, 0), str(p), p)
                for p in parts
                if p not in hidden and p not in fixed and values.get(p, 0)
            )
            if candidates:
                hidden.add(candidates[0][2])
            elif shown_total and total not in fixed and values.get(total, 0):
                hidden.add(total)
            else:
                continue
            changed = True
    return hidden


def released(
    values: dict[Cell, int],
    relations: Iterable[Relation],
    hidden: set[Cell],
    candidates: Iterable[Cell],
) -> set[Cell]:
    """`hidden` less those of `candidates` (5 and over, withheld only for others) that can be
    shown again, one at a time, largest first: withholding adds a count for the first cell
    pinned, and later ones may make it needless. One is shown again only when the rules still
    hold and the audit pins nothing."""
    rules = [(total, list(parts)) for total, parts in relations]
    hidden = set(hidden)
    for cell in sorted(
        (c for c in candidates if c in hidden and values.get(c, 0) >= THRESHOLD),
        key=lambda c: (-values.get(c, 0), str(c)),
    ):
        trial = hidden - {cell}
        if _by_rule(values, rules, trial) == trial and not solvable(values, rules, trial):
            hidden = trial
    return hidden
