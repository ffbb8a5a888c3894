"""Small-number suppression for published packs: numbers in, which figures to show out.

Pure (numpy only, no Excel, no pandas), so the rule can be tested on its own and reused by any
surface that publishes figures.

The rule
--------
*Protected* is any count from the Data sheet (one field, one month) and any sum of such counts
over a run of consecutive months, when it is more than 0 and less than `threshold`
(`suppress_below`, 6 by default: the counts 1 to 5, as DfE publishes them). Zero is shown.

Every published figure gives away a sum of one field over a run of months (its *window*):

- a count, a year-to-date total, or a rate per 10,000 (the population is public) gives away its
  numerator's window sum;
- a percentage or ratio gives away numerator ÷ denominator: that is one of the two sums as soon
  as the other is known from figures already shown (the numerator/denominator pair rule).

*Primary* suppression: a figure whose own numerator or denominator sum is protected is shown as
`c`, so a count of 3 is `c`, and so is 40% of 5.

*Secondary* suppression: safe figures can combine into a protected one. Two year-to-date totals
(64 and 69) differ by the month between them (5); a percentage times a denominator shown
elsewhere is its numerator. While any protected sum can still be worked out from the figures
left, one more figure is suppressed: the one giving away the smallest sum on the chain that
recovers it (the DfE convention of suppressing the next smallest), the oldest on ties, so the
reporting month's figures are the last to go.

Why "can be worked out" is exact here: a window sum is a difference of running totals,
S[last+1] - S[first]. Knowing some window sums, another window is determined exactly when its
two ends are connected in the graph whose edges are the known windows: along a path the
differences telescope; without one, every running total on one side can be shifted by the same
amount without changing anything known. So recoverability is a union-find question per field,
and since running totals never decrease, the smallest recoverable sum lies between neighbouring
points of a connected component.

Not covered: differences between a denominator and its numerator (the children *not* visited),
and bounds from counts being whole and non-negative, which narrow a value without fixing it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

SYMBOL = "c"  # DfE: confidential
_DECIMALS = 9  # sums judged in decimals, as for RAG: 0.1 + 0.2 is 0.3

Window = tuple[str, int, int]  # (field, first month index, last month index), inclusive
_Node = tuple[str, int]  # (field, running-total point: months before it)


@dataclass(frozen=True)
class Figure:
    """A number the pack would show, and the window sums it is computed from.

    `key` names it (a measure and month, say); the same key shown in several places is one
    figure. A ratio figure has a `denominator`; any other figure is its numerator's sum.
    """

    key: Hashable
    numerator: Window
    denominator: Window | None = None


@dataclass(frozen=True)
class Suppression:
    """The figures to show as `c`: primary (protected themselves) and secondary (would let a
    protected sum be worked out)."""

    primary: frozenset
    secondary: frozenset

    @property
    def suppressed(self) -> frozenset:
        return self.primary | self.secondary

    def __contains__(self, key: object) -> bool:
        return key in self.primary or key in self.secondary

    def show(self, key: Hashable, value: object) -> object:
        """`value`, or `c` when the figure is suppressed."""
        return SYMBOL if key in self else value


def is_protected(total: float, threshold: float) -> bool:
    """More than zero and less than the threshold: 1 to 5 for the default of 6."""
    x = round(float(total), _DECIMALS)
    return 0 < x < threshold


class _Sums:
    """Running totals of each field, so any window sum is one subtraction."""

    def __init__(self, counts: Mapping[str, Sequence[float]]) -> None:
        self.running = {
            name: np.concatenate(([0.0], np.cumsum(np.nan_to_num(np.asarray(v, dtype=float)))))
            for name, v in counts.items()
        }

    def between(self, field: str, a: int, b: int) -> float:
        r = self.running[field]
        return float(r[b] - r[a])

    def window(self, w: Window) -> float:
        return self.between(w[0], w[1], w[2] + 1)


def _ends(w: Window) -> tuple[_Node, _Node]:
    return (w[0], w[1]), (w[0], w[2] + 1)


class _Known:
    """Which window sums the shown figures give away: a union-find over running-total points,
    plus the figures behind each edge (so an edge can be removed by suppressing them)."""

    def __init__(self) -> None:
        self.parent: dict[_Node, _Node] = {}
        self.edges: dict[tuple[_Node, _Node], list[Hashable]] = defaultdict(list)

    def find(self, n: _Node) -> _Node:
        parent = self.parent
        parent.setdefault(n, n)
        root = n
        while parent[root] != root:
            root = parent[root]
        while parent[n] != root:
            parent[n], n = root, parent[n]
        return root

    def known(self, w: Window) -> bool:
        a, b = _ends(w)
        return a == b or self.find(a) == self.find(b)

    def add(self, w: Window, key: Hashable) -> None:
        a, b = _ends(w)
        self.edges[(a, b)].append(key)
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def _reveal(figures: Iterable[Figure], sums: _Sums) -> _Known:
    """Everything the figures give away, ratios included, to a fixed point."""
    known = _Known()
    pending = []
    for f in figures:
        if f.denominator is None:
            known.add(f.numerator, f.key)
        else:
            pending.append(f)
    changed = True
    while changed and pending:
        changed, rest = False, []
        for f in pending:
            den = f.denominator
            assert den is not None
            if known.known(den):
                known.add(f.numerator, f.key)
                changed = True
            elif known.known(f.numerator) and sums.window(f.numerator) != 0:
                known.add(den, f.key)  # denominator = numerator / ratio (ratio is not 0)
                changed = True
            else:
                rest.append(f)
        pending = rest
    return known


_Edge = tuple[_Node, _Node]


def _leaks(known: _Known, sums: _Sums, threshold: float) -> list[tuple[_Node, _Node]]:
    """Per connected component, the first two points whose running totals differ by a
    protected amount (components share no windows, so each can be mended independently)."""
    groups: dict[_Node, list[_Node]] = defaultdict(list)
    for node in list(known.parent):
        groups[known.find(node)].append(node)
    found = []
    for members in sorted(groups.values()):
        members.sort()
        for a, b in itertools.pairwise(members):
            if is_protected(sums.between(a[0], a[1], b[1]), threshold):
                found.append((a, b))
                break
    return found


def _adjacency(known: _Known) -> dict[_Node, list[tuple[_Node, _Edge]]]:
    adjacent: dict[_Node, list[tuple[_Node, _Edge]]] = defaultdict(list)
    for edge in known.edges:
        a, b = edge
        adjacent[a].append((b, edge))
        adjacent[b].append((a, edge))
    return adjacent


def _path(
    adjacent: dict[_Node, list[tuple[_Node, _Edge]]], start: _Node, goal: _Node
) -> list[_Edge]:
    """The edges (known windows) of a shortest chain from start to goal."""
    came: dict[_Node, tuple[_Node, _Edge] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for nxt, edge in adjacent[node]:
            if nxt not in came:
                came[nxt] = (node, edge)
                queue.append(nxt)
    path = []
    node = goal
    while (step := came[node]) is not None:
        node, edge = step
        path.append(edge)
    return path


def suppress(
    counts: Mapping[str, Sequence[float]], figures: Iterable[Figure], threshold: float
) -> Suppression:
    """Apply the module's rule: which figures must be shown as `c`.

    `counts` holds each field's monthly counts on one month axis (blank = NaN, counted as 0:
    a figure whose window has a blank is blank itself, so never shown); window indexes refer to
    that axis.
    """
    figures = list(figures)
    sums = _Sums(counts)

    def protected(f: Figure) -> bool:
        windows = (f.numerator,) if f.denominator is None else (f.numerator, f.denominator)
        return any(is_protected(sums.window(w), threshold) for w in windows)

    primary = {f.key for f in figures if protected(f)}
    secondary: set[Hashable] = set()
    while True:
        shown = [f for f in figures if f.key not in primary and f.key not in secondary]
        known = _reveal(shown, sums)
        leaks = _leaks(known, sums, threshold)
        if not leaks:
            return Suppression(frozenset(primary), frozenset(secondary))
        adjacent = _adjacency(known)
        # One mend per component a round: components share no windows. (Through a ratio, a
        # mend in one field can make another's unneeded; that costs an extra c, never a leak.)
        for leak in leaks:
            edges = _path(adjacent, *leak)
            # The smallest sum on the chain, then the oldest window, goes (next smallest).
            chosen = min(edges, key=lambda e: (sums.between(e[0][0], e[0][1], e[1][1]), e[1][1]))
            secondary.update(known.edges[chosen])
