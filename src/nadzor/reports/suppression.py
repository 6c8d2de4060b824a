"""Small-count suppression for published tables, with complementary (secondary) suppression.

A table is published with its row and column totals. Every count from 1 to k-1 is hidden
(primary). Then more cells are hidden until no hidden cell can be worked out from the
published totals. The table with its margins is a grid in which every cell lies in exactly
one row equation and one column equation; hidden cells are the edges of a bipartite graph
(rows, columns). A hidden cell's value is determined by the equations exactly when its edge
is a bridge of that graph (on no cycle); on a cycle it can move by +t/-t alternately
around the cycle without changing any total. So: while a hidden cell is a bridge, hide the
smallest visible cell of its row or column (preferring non-zero ones).

Pure: no I/O, no framework. `pytauargus` (Tau-Argus with HiGHS, `OPT(1)`, `FREQ(5,0)`)
was tried and passed the same recovery test on random tables, but its high-level API
protects tables built from microdata (one input row per counted item, written to a file
for every table of every report), while a report's counts come out of the database
already tabulated; and it would bring a native library. This rule is exact for the only
tables published: two-dimensional, with margins.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Mark", "add_margins", "suppress"]


class Mark(StrEnum):
    SHOWN = ""
    PRIMARY = "primary"
    SECONDARY = "secondary"


def add_margins(table: list[list[int]]) -> list[list[int]]:
    """The table with a total column on the right and a total row at the bottom."""
    width = len(table[0]) if table else 0
    rows = [[*row, sum(row)] for row in table]
    totals = [sum(row[j] for row in rows) for j in range(width + 1)]
    return [*rows, totals]


def suppress(grid: list[list[int]], k: int) -> list[list[Mark]]:
    """Marks for a grid that already holds its margins (last row and column are totals)."""
    height, width = len(grid), len(grid[0]) if grid else 0
    marks = [
        [Mark.PRIMARY if 1 <= grid[i][j] < k else Mark.SHOWN for j in range(width)]
        for i in range(height)
    ]
    while True:
        weak = _first_bridge(marks) or _first_tight(grid, marks, k)
        if weak is None:
            return marks
        i, j = weak
        candidates = [(i, c) for c in range(width) if marks[i][c] is Mark.SHOWN]
        candidates += [(r, j) for r in range(height) if marks[r][j] is Mark.SHOWN]
        if not candidates:
            candidates = [
                (r, c) for r in range(height) for c in range(width) if marks[r][c] is Mark.SHOWN
            ]
        r, c = min(candidates, key=lambda rc: (grid[rc[0]][rc[1]] == 0, grid[rc[0]][rc[1]], rc))
        marks[r][c] = Mark.SECONDARY


def _first_tight(grid: list[list[int]], marks: list[list[Mark]], k: int) -> tuple[int, int] | None:
    """A hidden cell pinned by the bounds alone: in its row or column the hidden counts sum to
    their least possible total (every `<k` is 1, every `x` is 0) or, with no `x`, to their
    greatest (every `<k` is k-1), given its published total. Such a cell could be read off
    without any cycle."""
    height, width = len(grid), len(grid[0]) if grid else 0
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    for line in lines:
        *inner, (ti, tj) = line  # the last cell of a line is its total
        hidden = [(i, j) for i, j in inner if marks[i][j] is not Mark.SHOWN]
        if not hidden or marks[ti][tj] is not Mark.SHOWN:
            continue
        total = sum(grid[i][j] for i, j in hidden)
        primaries = sum(marks[i][j] is Mark.PRIMARY for i, j in hidden)
        secondaries = len(hidden) - primaries
        if total <= primaries or (not secondaries and total >= primaries * (k - 1)):
            return min(hidden)
    return None


def _first_bridge(marks: list[list[Mark]]) -> tuple[int, int] | None:
    """A hidden cell on no cycle of hidden cells (Tarjan's bridges), in row-major order."""
    height = len(marks)
    width = len(marks[0]) if marks else 0
    # nodes: rows 0..height-1, columns height..height+width-1; edge id = (i, j)
    adjacent: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for i in range(height):
        for j in range(width):
            if marks[i][j] is not Mark.SHOWN:
                adjacent.setdefault(i, []).append((height + j, (i, j)))
                adjacent.setdefault(height + j, []).append((i, (i, j)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: list[tuple[int, int]] = []
    for root in sorted(adjacent):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(root, None, 0)]
        while stack:
            node, via, index = stack[-1]
            edges = adjacent[node]
            if index < len(edges):
                stack[-1] = (node, via, index + 1)
                nxt, edge = edges[index]
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, edge, 0))
            else:
                stack.pop()
                if stack and via is not None:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.append(via)
    return min(bridges) if bridges else None
