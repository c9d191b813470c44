"""Judging a whole column (整栏评价), not one line: the flow chooses, for every paragraph of a story,
one of the settings total-fit offers (its best, or a line more or fewer) so that the story's
total cost is least.

What costs, from the worst:
- a frame that is not the chain's last left short of its foot (齐底 broken): `SHORT_COLUMN` per
  empty line — in effect a hard constraint, paid only when nothing else fits;
- a widow (寡行): a paragraph's last line alone at the next frame's top: `WIDOW` — more than a
  loose line (text.totalfit.LOOSE) or a few, so the flow re-breaks a paragraph of the story a
  line longer or shorter, letter-spacing a line if it must, rather than leave one; but less
  than a frame left short, so 齐底 is never given up for it;
- a loose or squeezed line: the paragraph's own demerits (text.totalfit), where a loose line
  costs more than any fault below;
- a section lead or sub-head ending a frame (keep with next): `LEAD_AT_FOOT`;
- a stranded first line (孤行): a paragraph's first line alone at a frame's foot: `STRANDED`;
- any other difference in spacing: the demerits of the settings chosen.

The search is a shortest path over (item, cursor): each item (a paragraph, a head) moves the
cursor by the lines it takes; at most `MAX_STATES` cursors are kept per item, so it stays linear
in the number of paragraphs.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..records import record

SHORT_COLUMN = 1e9
LEAD_AT_FOOT = 3e5
STRANDED = 1e5
WIDOW = 3e7  # 30 loose lines' worth (text.totalfit.LOOSE = 1e6)
MAX_STATES = 16


@record
class Step:
    """One way to place an item from a cursor: its cost, the cursor after it, what was chosen."""

    cost: float
    end: int
    choice: object


def best_choices(items: list, start: int, steps: Callable[[object, int], Iterable[Step]],
                 final: Callable[[int], float] | None = None) -> list:
    """The least-cost choice for each item, placing them in order from cursor `start`; `final`
    adds a cost for where the last item ends (齐底 of the chain's last frame: `Flow` with flush)."""
    states: dict[int, tuple[float, tuple | None]] = {start: (0.0, None)}
    layers = []
    for item in items:
        nxt: dict[int, tuple[float, tuple]] = {}
        for c, (cost, _) in states.items():
            for step in steps(item, c):
                total = cost + step.cost
                old = nxt.get(step.end)
                if old is None or total < old[0] - 1e-9:
                    nxt[step.end] = (total, (c, step.choice))
        states = dict(sorted(nxt.items(), key=lambda kv: (kv[1][0], kv[0]))[:MAX_STATES])
        layers.append(states)
    if not layers:
        return []
    end = min(states, key=lambda c: (states[c][0] + (final(c) if final else 0.0), c))
    choices = []
    for layer in reversed(layers):
        prev, choice = layer[end][1]
        choices.append(choice)
        end = prev
    return choices[::-1]
