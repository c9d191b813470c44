"""Reading a spec's `makeup:` (自动组版): the free area the engine fills, the stories in rank order
and the house style (版式规范). Called by `pagespec.load.load_spec`; the engine is layout/makeup*.py.

Every mistake is located (file, line, column) with a fix, like the rest of the spec."""
from __future__ import annotations

from .. import units
from .checker import Checker, show, style_ref, suggest, type_name
from .keys import HEAD_PARTS, HOUSE_KEYS, KEYS, MAKEUP_KEYS
from .model import Grid, House, Makeup, StorySpec
from .page import check_area

DEFAULT_HEADS = {p: p for p in HEAD_PARTS}  # kicker: kicker, headline: headline, …


def _span_pair(ck: Checker, value, path: tuple, grid: Grid, what: str) -> tuple[int, int] | None:
    if not (isinstance(value, list) and len(value) == 2):
        ck.fail(path, f"{what} must be [fewest, most] columns, not {type_name(value)}", "write e.g. [2, 4]")
        return None
    lo, hi = (ck.integer(v, path + (i,), f"{what} ({('fewest', 'most')[i]})", maximum=40) for i, v in enumerate(value))
    if lo is None or hi is None:
        return None
    if lo > hi:
        ck.fail(path, f"{what} {show(value)} runs backwards", f"write [{hi}, {lo}]")
        return None
    return lo, hi


def _heads(ck: Checker, value, path: tuple, styles: set, declared: set) -> tuple | None:
    """Head styles per rank: a list of mappings head part → style."""
    if value is None:
        got = {p: s for p, s in DEFAULT_HEADS.items() if s in styles}
        if "headline" not in got:
            ck.fail(path[:-1], "makeup needs headline styles: no house heads are given and no style named "
                    "'headline' is defined", "add house: {heads: [{headline: lead_head}, {headline: head}]}")
            return None
        return (got,)
    if not isinstance(value, list) or not value:
        ck.fail(path, f"heads must be a list of head styles by rank, not {type_name(value)}",
                "write e.g. heads: [{headline: lead_head, byline: byline}, {headline: head}]")
        return None
    out = []
    for i, entry in enumerate(value):
        m = ck.mapping(entry, path + (i,), HEAD_PARTS, f"heads of rank {i + 1}", "{headline: head, byline: byline}")
        if isinstance(entry, dict) and "headline" not in m:
            ck.fail(path + (i,), f"heads of rank {i + 1} name no headline style", "add headline: <style>")
        names = {p: style_ref(ck, s, path + (i, p), declared, f"{p} of rank {i + 1}") for p, s in m.items()}
        out.append({p: names[p] for p in HEAD_PARTS if names.get(p)})
    return tuple(out)


def _house(ck: Checker, raw, path: tuple, grid: Grid, styles: set, declared: set) -> House | None:
    h = ck.mapping(raw, path, HOUSE_KEYS, "house", "{heads: [{headline: lead_head}], spans: [1, 4]}")
    K = KEYS["house"]
    ctx = units.Context(em=grid.body, line=grid.pitch, column=grid.column_width, gutter=grid.gutter)
    got: dict = {"heads": _heads(ck, h.get("heads"), path + ("heads",), styles, declared)}
    for key in ("spans", "lead_span"):
        if key in h:
            got[key] = _span_pair(ck, h[key], path + (key,), grid, key)
    got.setdefault("spans", tuple(K["spans"].default))
    got.setdefault("lead_span", got["spans"])
    for key in ("space", "head_space", "rule", "lead"):
        got[key] = ck.typed(h[key] if key in h else K[key].default, path + (key,), K[key], key, ctx)
    c = h.get("copyfit", list(K["copyfit"].default))
    if not (isinstance(c, list) and len(c) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                        for x in c)) or not (-0.5 <= c[0] <= 0 <= c[1] <= 0.5):
        ck.fail(path + ("copyfit",), f"copyfit must be [tighter ≤ 0, looser ≥ 0] in em, not {show(c)}",
                "write e.g. copyfit: [-0.03, 0.03]")
        got["copyfit"] = None
    else:
        got["copyfit"] = (float(c[0]), float(c[1]))
    if None in got.values():
        return None
    return House(**got)


def _order(ck: Checker, value, path: tuple, placed: list[str], known: set) -> tuple[str, ...] | None:
    """The stories in rank order: every story without a chain, once; others are refused."""
    if value is None:
        return tuple(placed)
    if not isinstance(value, list):
        ck.fail(path, f"order must be a list of story names, not {type_name(value)}", "write e.g. order: [lead, second]")
        return None
    ok, seen = True, []
    for i, sid in enumerate(value):
        if sid not in known:
            ck.fail(path + (i,), f"order names story {show(sid)}, which is not defined", suggest(sid, sorted(known)))
            ok = False
        elif sid not in placed:
            ck.fail(path + (i,), f"story {sid!r} has a chain, so make-up does not place it",
                    "remove it from order, or remove its chain: to let make-up place it")
            ok = False
        elif sid in seen:
            ck.fail(path + (i,), f"story {sid!r} is named twice in order", "name each story once")
            ok = False
        else:
            seen.append(sid)
    return tuple(seen) + tuple(s for s in placed if s not in seen) if ok else None


def check_makeup(ck: Checker, raw: dict, grid: Grid | None, stories: tuple[StorySpec, ...], known: set,
                 styles: dict, declared_styles: set) -> Makeup | None:
    """The page's `makeup:` section, or None when it has none (or it is wrong: reported)."""
    if "makeup" not in raw:
        return None
    path = ("makeup",)
    m = ck.mapping(raw["makeup"], path, MAKEUP_KEYS, "makeup", "{area: {col: 1, span: 8, line: 7, lines: 93}}")
    if "area" not in m:
        ck.fail(path, "makeup has no area: the part of the type area the engine fills",
                "add area: {col: 1, span: 8, line: 7, lines: 93}")
    if grid is None or "area" not in m:
        return None
    area, _ = check_area(ck, m["area"], path + ("area",), grid, "the makeup area",
                         keys=("col", "span", "line", "lines"))
    placed = [s.id for s in stories if not s.chain]
    for s in stories:
        if not s.chain and len(s.articles) > 1 and not s.heads:
            ck.fail(("stories", s.id), f"story {s.id!r} has {len(s.articles)} articles and is placed by make-up, "
                    "but says no heads: for the articles after the first", "add heads: {headline: <style>} "
                    "(each article's head is then set in the flow), or give each article its own story")
    order = _order(ck, m.get("order"), path + ("order",), placed, known)
    house = _house(ck, m.get("house"), path + ("house",), grid, set(styles), declared_styles)
    if not placed and order is not None:
        ck.fail(path, "makeup has no story to place: every story has a chain",
                "remove chain: from the stories make-up should place")
    if area is None or order is None or house is None:
        return None
    return Makeup(area, order, house)
