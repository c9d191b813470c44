"""Reading a spec's type: `colors:`, `styles:` (with `based_on` inheritance), `composition:` (the
rules of setting, also a story's override) and `fonts:` (face overrides per role).
Called by `pagespec.load.load_spec`."""
from __future__ import annotations

from .. import units
from ..errors import FontError
from ..fonts.fallback import FONT_ROLES
from ..fonts.roles import ROLES, FaceOverride, read_family
from ..text.measure import Composition
from .checker import Checker, Files, color_fix, show, suggest, type_name
from .keys import COMPOSITION_KEYS, FALLBACK_BODY, FONT_KEYS, KEYS, MAX_STYLES, STYLE_KEYS
from .model import Spot, Style


def check_colors(ck: Checker, raw: dict) -> dict:
    out: dict[str, Spot | tuple[float, ...]] = {"black": (0.0, 0.0, 0.0, 1.0), "white": (0.0, 0.0, 0.0, 0.0)}
    for name, v in ck.names(raw.get("colors"), ("colors",), "colors", MAX_STYLES).items():
        spot = None
        if isinstance(v, dict) and set(v) == {"spot", "cmyk"}:  # a spot colour and its CMYK alternate
            spot, v = v["spot"], v["cmyk"]
            if not (isinstance(spot, str) and 0 < len(spot.strip()) <= 120 and spot.isprintable()):
                ck.fail(("colors", name, "spot"), f"spot colour {name!r} needs its ink's name (printable text, no control "
                        f"characters), not {show(spot)}",
                        "write e.g. {spot: PANTONE 186 C, cmyk: [0, 1, 0.8, 0.05]}")
                continue
        ok = isinstance(v, list) and len(v) == 4 and all(
            isinstance(c, (int, float)) and not isinstance(c, bool) and 0 <= c <= 1 for c in v)
        if not ok:
            ck.fail(("colors", name), f"colour {name!r} must be CMYK as four numbers 0–1 (or a spot colour "
                    f"{{spot: <ink name>, cmyk: [...]}}), not {show(v)}", "write e.g. [0, 1, 1, 0.1]")
            continue
        cmyk = tuple(float(c) for c in v)
        out[name] = Spot(cmyk, spot.strip()) if spot else cmyk
    return out


def _style_own(ck: Checker, name: str, s: dict, colors: dict, ctx: units.Context, declared: dict,
               broken: set) -> dict:
    """The keys a style sets itself, each checked; inheritance (`based_on`) is resolved after."""
    path, K = ("styles", name), KEYS["style"]
    v: dict = {}
    if "role" in s:
        if isinstance(s["role"], str) and s["role"] in ROLES:
            v["role"] = s["role"]
        else:
            ck.fail(path + ("role",), f"unknown font role {show(s['role'])} in style {name!r}",
                    suggest(s["role"], ROLES))
    for key in ("size", "fit_min"):
        if key in s:
            v[key] = ck.size(s[key], path + (key,), ctx, f"{key} of style {name!r}")
    for key, what in (("align", "alignment"), ("tracking", "tracking (em)"), ("indent", "indent (em)")):
        if key in s:
            v[key] = ck.typed(s[key], path + (key,), K[key], what)
    if "color" in s:
        if not isinstance(s["color"], str) or s["color"] not in colors:
            fix = color_fix if isinstance(s["color"], str) else suggest
            ck.fail(path + ("color",), f"unknown colour {show(s['color'])}", fix(s["color"], list(colors)))
        else:
            v["color"] = s["color"]
    if "based_on" in s:
        parent = s["based_on"]
        if not isinstance(parent, str):
            broken.add(name)
            ck.fail(path + ("based_on",), f"based_on must be a style name, not {type_name(parent)}",
                    suggest("", list(declared)))
        elif parent not in declared:
            broken.add(name)
            ck.fail(path + ("based_on",), f"style {name!r} is based on {parent!r}, which is not defined",
                    suggest(parent, [n for n in declared if n != name]))
        else:
            v["based_on"] = parent
    return v


def _inherit(ck: Checker, own: dict[str, dict]) -> dict[str, dict | None]:
    """Every style's keys merged over its `based_on` chain; None for styles in (or on) a cycle."""
    resolved: dict[str, dict | None] = {}

    def resolve(name: str, trail: tuple) -> dict | None:
        if name in resolved:
            return resolved[name]
        parent = own[name].get("based_on")
        if parent in trail + (name,):
            cycle = trail[trail.index(parent):] + (name, parent) if parent in trail else (name, parent)
            ck.fail(("styles", name, "based_on"), f"styles based on each other in a cycle: {' → '.join(cycle)}",
                    f"remove based_on from one of {', '.join(sorted(set(cycle)))}")
            for n in set(cycle):
                resolved[n] = None
            return None
        base = resolve(parent, trail + (name,)) if parent else {}
        merged = None if base is None else {**base, **{k: x for k, x in own[name].items() if k != "based_on"}}
        resolved[name] = merged
        return merged

    return {name: resolve(name, ()) for name in own}


def _style(ck: Checker, name: str, v: dict, declared: dict, reported: bool) -> Style | None:
    """A resolved style's final checks: it has a role and a size, and fit_min is not above size."""
    path, K = ("styles", name), KEYS["style"]
    missing = [k for k in ("role", "size") if k not in v]
    if missing:
        if not any(k in declared for k in missing) and not reported:  # not a bad value reported above
            ck.fail(path, f"style {name!r} has no {' and no '.join(missing)}",
                    "give it e.g. {role: song, size: 小五}, or based_on: a style that has them")
        return None
    if v["role"] is None or v["size"] is None or None in (v.get(k, 0) for k in ("align", "color", "tracking",
                                                                                "fit_min")):
        return None  # a bad value, already reported
    if v.get("fit_min") and v["fit_min"] > v["size"]:
        ck.fail(path + ("fit_min",) if "fit_min" in declared else path,
                f"style {name!r}: fit_min {v['fit_min']:g}pt is larger than its size {v['size']:g}pt",
                "fit_min is the smallest size a headline may shrink to: make it smaller than size")
        return None
    return Style(name, v["role"], v["size"], v.get("tracking", K["tracking"].default),
                 v.get("align", K["align"].default), v.get("color", K["color"].default), v.get("indent"),
                 v.get("fit_min"))


def check_styles(ck: Checker, raw: dict, colors: dict, body: float | None) -> dict[str, Style]:
    """Styles, with `based_on` inheritance resolved: every key a style does not set comes from its parent."""
    declared, broken = {}, set()
    for name, s in ck.names(raw.get("styles"), ("styles",), "styles", MAX_STYLES).items():
        if s is None:
            ck.fail(("styles", name), f"style {name!r} is empty", "give it e.g. {role: song, size: 小五}")
        declared[name] = ck.mapping(s, ("styles", name), STYLE_KEYS, f"style {name!r}", "{role: song, size: 小五}")
        if not isinstance(s, dict):
            broken.add(name)
    ctx = units.Context(em=body or FALLBACK_BODY)
    own = {name: _style_own(ck, name, s, colors, ctx, declared, broken) for name, s in declared.items()}
    out = {}
    for name, v in _inherit(ck, own).items():
        style = _style(ck, name, v, declared[name], name in broken) if v is not None else None
        if style is not None:
            out[name] = style
    return out


_COMPOSITION_WHAT = {"punct_style": "punctuation style", "breaking": "line breaking"}


def check_composition(ck: Checker, raw: dict) -> Composition:
    """The composition rules; every key absent (or wrong, and reported) takes its default from KEYS."""
    given = composition_flags(ck, raw.get("composition"), ("composition",))
    return Composition(**{key: given.get(key, k.default) for key, k in KEYS["composition"].items()})


def composition_flags(ck: Checker, value, path: tuple) -> dict:
    """The composition keys a mapping sets (wrong ones reported and left out): the page's
    `composition:` or a story's override of it."""
    c = ck.mapping(value, path, COMPOSITION_KEYS, "composition", "{punct_style: quanjiao}")
    values = {}
    for key, k in KEYS["composition"].items():
        value = ck.typed(c[key], path + (key,), k, _COMPOSITION_WHAT.get(key, key)) if key in c else None
        if value is not None:
            values[key] = value
    return values


def check_fonts(ck: Checker, raw: dict, files: Files) -> dict:
    out = {}
    for role, v in ck.names(raw.get("fonts"), ("fonts",), "fonts").items():
        if role not in FONT_ROLES:
            ck.fail(("fonts", role, "<key>"), f"unknown font role {role!r} in fonts", suggest(role, FONT_ROLES))
            continue
        if isinstance(v, str):
            v = {"file": v}
        v = ck.mapping(v, ("fonts", role), FONT_KEYS, f"font role {role!r}", "{file: fonts/FZShuSong.ttf}")
        if "file" not in v:
            ck.fail(("fonts", role), f"font role {role!r} needs a file", "write e.g. {file: fonts/FZShuSong.ttf}")
            continue
        path = files(v["file"], ("fonts", role, "file"), "font file")
        index = ck.typed(v.get("index", KEYS["font"]["index"].default), ("fonts", role, "index"),
                         KEYS["font"]["index"], "font index")
        if path is not None and index is not None:
            try:
                read_family(path, index, role)  # opens the name table only: cheap
            except FontError as exc:
                for p in exc.problems:
                    ck.fail(("fonts", role, "file"), f"font file {show(v['file'])}: {p.message}", p.fix or "")
                continue
            out[role] = FaceOverride(path, index)
    return out
