"""Line slots (行位) of a chain: each body line of each frame, after text wrap (绕排) has narrowed or
removed it — what the flow fills, in reading order."""
from __future__ import annotations

from ..records import record
from ..pagespec.model import PageSpec


@record
class Slot:
    """One body line of one frame of a chain (after text wrap has narrowed or removed it)."""

    frame: str
    x: float
    width: float
    line: int  # grid line (1-based)
    frame_index: int  # position of the frame in the chain


@record
class Exclusion:
    """A rectangle text wraps around (绕排): x range in pt, grid lines first..last inclusive."""

    x0: float
    x1: float
    first: int
    last: int


MIN_WRAP_EM = 4  # a line narrower than this beside a wrapped object is left empty


def _wrapped(x: float, width: float, line: int, exclusions, em: float) -> tuple[float, float] | None:
    """The widest part of a slot left beside the exclusions on its line (None: no room)."""
    parts = [(x, x + width)]
    for ex in exclusions:
        if not ex.first <= line <= ex.last:
            continue
        cut = []
        for a, b in parts:
            if ex.x1 <= a or ex.x0 >= b:
                cut.append((a, b))
                continue
            cut += [p for p in ((a, ex.x0), (ex.x1, b)) if p[1] - p[0] > 0]
        parts = cut
    if not parts:
        return None
    a, b = max(parts, key=lambda p: (p[1] - p[0], -p[0]))
    if (a, b) == (x, x + width):
        return x, width
    # a narrowed line keeps whole characters and stays flush with the frame's own edge
    chars = int((b - a) / em + 1e-6)
    if chars < MIN_WRAP_EM:
        return None
    # flush with the frame's edge when the part touches it, else with the part's far side
    return (a if b < x + width else b - chars * em), chars * em


def chain_slots(spec: PageSpec, chain: tuple[str, ...], limits: dict | None = None,
                exclusions: tuple = ()) -> list[Slot]:
    """The line slots of a chain in reading order; `limits` caps a frame's lines (balancing)."""
    slots = []
    for i, fid in enumerate(chain):
        a = spec.frames[fid].area
        lines = min(a.lines, (limits or {}).get(fid, a.lines))
        x, width = a.x(spec.grid), a.width(spec.grid)  # once per frame, not per line
        for line in range(a.line, a.line + lines):
            if not any(ex.first <= line <= ex.last for ex in exclusions):  # nothing wraps here
                slots.append(Slot(fid, x, width, line, i))
                continue
            room = _wrapped(x, width, line, exclusions, spec.grid.body)
            if room is not None:
                slots.append(Slot(fid, room[0], room[1], line, i))
    return slots
