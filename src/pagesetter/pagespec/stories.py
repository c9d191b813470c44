"""Reading a spec's `stories:` (稿件): each story's articles, its chain of frames (转版 within the page),
the styles of its paragraph roles and heads, its flags (balance, copyfit, composition) and its edition
keys (continues, jump lines). Called by `pagespec.load.load_spec`."""
from __future__ import annotations

from pathlib import Path

from .checker import Checker, Files, show, style_ref, suggest, type_name
from .keys import HEAD_PARTS, KEYS, PARAGRAPH_ROLES, STORY_KEYS, Key
from .model import StorySpec
from .styles import composition_flags


def _paths(ck: Checker, value, path: tuple, files: Files) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
        path_of = lambda i: path  # noqa: E731
    else:
        path_of = lambda i: path + (i,)  # noqa: E731
    if not isinstance(value, list) or not value:
        ck.fail(path, f"articles must be a list of article files, not {type_name(value)}",
                "write e.g. articles: [../articles/story.md]")
        return ()
    out = [files(p, path_of(i), "article file") for i, p in enumerate(value)]
    return tuple(p for p in out if p is not None)


class Refs:
    """The names a story may refer to: frames (checked and declared) and styles (checked and declared),
    and which story each frame already belongs to."""

    def __init__(self, frames: dict, declared_frames: set, styles: dict, declared_styles: set):
        self.frames, self.declared_frames = frames, declared_frames
        self.styles, self.declared_styles = styles, declared_styles
        self.used: dict[str, str] = {}
        self.makeup = False  # the page has makeup: a story without a chain is placed by the engine


def _chain(ck: Checker, sid: str, path: tuple, v: dict, refs: Refs) -> tuple[list, bool]:
    """A story's chain of frames: each frame defined, sound, and in no other story's chain."""
    chain = v.get("chain")
    if chain is None and "chain" not in v and refs.makeup:
        return [], True  # placed by make-up (自动组版)
    if chain == []:
        return [], True  # set nowhere on this page: every line overset (make-up found it no room)
    if not isinstance(chain, list) or not chain:
        ck.fail(path + ("chain",) if "chain" in v else path,
                f"story {sid!r} needs a chain: a list of frame names, not {type_name(chain)}",
                "add e.g. chain: [main-1, main-2], or let make-up place it: add a makeup: section "
                "(docs/spec.md#makeup)" if chain is None else "add e.g. chain: [main-1, main-2]")
        return [], True
    ok = True
    for i, fid in enumerate(chain):
        if not isinstance(fid, str):
            ck.fail(path + ("chain", i), f"chain must list frame names, not {type_name(fid)}",
                    f"quote it if the frame is named so: '{fid}'" if isinstance(fid, (int, float))
                    else suggest("", list(refs.declared_frames)))
            ok = False
        elif fid not in refs.declared_frames:
            ck.fail(path + ("chain", i), f"chain names frame {fid!r}, which is not defined",
                    suggest(fid, sorted(refs.declared_frames), "frames"))
            ok = False
        elif fid in refs.used:
            ck.fail(path + ("chain", i), f"frame {fid!r} is already in the chain of story {refs.used[fid]!r}",
                    "a frame takes one story; give this story its own frame")
            ok = False
        elif fid not in refs.frames:
            ok = False  # its own problem is reported at the frame
        else:
            refs.used[fid] = sid
    return chain, ok


def _story_styles(ck: Checker, sid: str, path: tuple, v: dict, refs: Refs) -> tuple[dict, dict | None, bool]:
    """Paragraph role → style (default: the style named like the role; verse: the body style), and the
    inline heads."""
    ok, role_styles = True, {r: r for r in PARAGRAPH_ROLES}
    given = ck.mapping(v.get("styles"), path + ("styles",), PARAGRAPH_ROLES, "story styles", "{body: box_body}")
    for role in PARAGRAPH_ROLES:
        if role in given:
            name = style_ref(ck, given[role], path + ("styles", role), refs.declared_styles, f"{role} of story {sid!r}")
            ok = ok and name is not None
            if name is not None:
                role_styles[role] = name
        # an unmapped role uses the style of its name; whether some text needs it (and so whether
        # it must be defined) is known once the articles are read (build.check_story_refs)
    if "verse" not in given:
        role_styles["verse"] = role_styles["body"]  # verse (诗行) is set in the body's face and size
    heads = None
    if "heads" in v:
        heads = {}
        for part, name in ck.mapping(v["heads"], path + ("heads",), HEAD_PARTS, "heads",
                                     "{headline: side_head}").items():
            name = style_ref(ck, name, path + ("heads", part), refs.declared_styles, f"{part} of story {sid!r}")
            if name is None:
                ok = False
            else:
                heads[part] = name
    return role_styles, heads, ok


def _story_flags(ck: Checker, path: tuple, v: dict) -> dict | None:
    """avoid_stranded, balance and copyfit, with their defaults from KEYS; None if one is wrong."""
    K = KEYS["story"]
    flags = {key: ck.typed(v[key], path + (key,), K[key], key) if key in v else K[key].default
             for key in ("avoid_stranded", "balance", "flush")}
    ok = None not in flags.values()
    if "copyfit" in v:
        c = v["copyfit"]
        number = Key("number", "", lo=K["copyfit"].lo, hi=K["copyfit"].hi)
        limits = [ck.typed(x, path + ("copyfit", i), number, "copyfit limit (em)")
                  for i, x in enumerate(c)] if isinstance(c, list) and len(c) == 2 else None
        if limits is None:
            ck.fail(path + ("copyfit",), f"copyfit must be [tighter, looser] in em, not {type_name(c)}",
                    "write e.g. copyfit: [-0.03, 0.03]")
            ok = False
        elif None in limits:
            ok = False
        elif not limits[0] <= 0 <= limits[1]:
            ck.fail(path + ("copyfit",), f"copyfit {show(c)} must run from a tightening (≤ 0) to a "
                    "loosening (≥ 0)", "write e.g. copyfit: [-0.03, 0.03]")
            ok = False
        else:
            flags["copyfit"] = (limits[0], limits[1])
    if "composition" in v:
        flags["composition"] = composition_flags(ck, v["composition"], path + ("composition",))
    return flags if ok else None


def _jump_keys(ck: Checker, v: dict, path: tuple, flags: dict, declared_styles: set) -> bool:
    """A story's edition keys: `continues: page/story`, `continued_head` and `jump_style` (styles)."""
    ok = True
    if "continues" in v:
        ref = ck.text(v["continues"], path + ("continues",), "continues")
        if ref is not None and (ref.count("/") != 1 or not all(p.strip() for p in ref.split("/"))):
            ck.fail(path + ("continues",), f"continues must name <page>/<story>, not {show(ref)}",
                    "write e.g. continues: front/main (the page's name, a slash, the story's id)")
            ref = None
        ok = ref is not None
        flags["continues"] = ref
    for key in ("continued_head", "jump_style"):
        if key in v:
            name = style_ref(ck, v[key], path + (key,), declared_styles, key)
            ok = ok and name is not None
            flags[key] = name
    return ok


def check_stories(ck: Checker, raw: dict, files: Files, refs: Refs) -> tuple[StorySpec, ...]:
    out = []
    for sid, v in ck.names(raw.get("stories"), ("stories",), "stories").items():
        path = ("stories", sid)
        v = ck.mapping(v, path, STORY_KEYS, f"story {sid!r}", "{articles: [a.md], chain: [f1, f2]}")
        if "articles" not in v and "continues" not in v:
            ck.fail(path, f"story {sid!r} has no articles", "add articles: [../articles/story.md]")
        articles = _paths(ck, v.get("articles"), path + ("articles",), files) if "articles" in v else ()
        chain, ok = _chain(ck, sid, path, v, refs)
        role_styles, heads, styles_ok = _story_styles(ck, sid, path, v, refs)
        flags = _story_flags(ck, path, v)
        ok &= _jump_keys(ck, v, path, flags, refs.declared_styles) if flags is not None else True
        used = [n for n in list(role_styles.values()) + list((heads or {}).values()) if n in refs.declared_styles]
        if ok and styles_ok and flags is not None and all(n in refs.styles for n in used):
            out.append(StorySpec(sid, articles, tuple(chain), role_styles, heads, **flags))
        elif not ck.problems:  # never drop a story silently
            ck.fail(path, f"story {sid!r} cannot be set: a style it uses is broken",
                    "fix the styles it names (see the messages about them)")
    return tuple(out)
