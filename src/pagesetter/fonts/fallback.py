"""Fallback faces (备用字体): the faces that set what a role's own face lacks.

A CJK face has no glyph for many characters a science or foreign-news text needs: superscript
and subscript figures (⁶ ⁸ ⁻ ₂ — Noto Serif CJK has ² alone), letters with rarer accents, signs.
`CHAINS` gives each face role its fallback faces in order — a Latin face of the same style and
weight first (Noto Serif for the 宋 roles, Noto Sans for the 黑 roles: `fonts-noto-core`), then a
mathematical and a symbol face — and `FALLBACK_ROLES` the files that serve each, as
`fonts.roles.ROLE_TABLE` does for the roles themselves (DejaVu where Noto is not installed).

A character is set from the first face of the chain that has it; a character no face of the
chain has is still an error naming every place it is used (build.prepare_faces). Fallback faces
are embedded and subset like the others, under their own key (the fallback role's name).
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from pagesetter.fonts.prepare import PreparedFace
from pagesetter.fonts.roles import ROLES, FaceOverride, FaceSource, Role, _c, find_face
from pagesetter.text.classes import SUBSCRIPTS, SUPERSCRIPTS

FALLBACK_ROLES: Mapping[str, Role] = {
    r.name: r
    for r in (
        Role("latin-serif", "Latin serif", "fallback for the 宋/楷/仿宋 roles",
             _c("NotoSerif-Regular.ttf", "DejaVuSerif.ttf"), ("fonts-noto-core",)),
        Role("latin-serif-bold", "Latin serif bold", "fallback for 标宋",
             _c("NotoSerif-Bold.ttf", "DejaVuSerif-Bold.ttf"), ("fonts-noto-core",)),
        Role("latin-sans", "Latin sans", "fallback for 黑体",
             _c("NotoSans-Regular.ttf", "DejaVuSans.ttf"), ("fonts-noto-core",)),
        Role("latin-sans-bold", "Latin sans bold", "fallback for 粗黑",
             _c("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf"), ("fonts-noto-core",)),
        Role("math", "mathematical", "fallback for signs (∑ ∫ ≈ ⊥ …)",
             _c("NotoSansMath-Regular.ttf"), ("fonts-noto-core",)),
        Role("symbols", "symbols", "fallback for symbols (arrows, dingbats …)",
             _c("NotoSansSymbols2-Regular.ttf", "NotoSansSymbols-Regular.ttf"), ("fonts-noto-core",)),
    )
}

_SIGNS = ("math", "symbols")
K = TypeVar("K", bound=Hashable)  # a face role's name, or an edition's key for a face
# face role → its fallback faces, in the order they are asked
CHAINS: Mapping[str, tuple[str, ...]] = {
    "song": ("latin-serif", *_SIGNS),
    "kai": ("latin-serif", *_SIGNS),
    "fangsong": ("latin-serif", *_SIGNS),
    "biaosong": ("latin-serif-bold", *_SIGNS),
    "hei": ("latin-sans", *_SIGNS),
    "hei-bold": ("latin-sans-bold", *_SIGNS),
}
# every fallback face in one order, each after those that come before it in any chain
ORDER: tuple[str, ...] = tuple(FALLBACK_ROLES)
# what a spec's `fonts:` may set: the face roles, and the fallback faces by these names
FONT_ROLES: tuple[str, ...] = ROLES + ORDER


def chain(role: str) -> tuple[str, ...]:
    """The fallback faces of `role`, in order (none for a role with no chain)."""
    return CHAINS.get(role, ())


SCRIPT_FORMS = SUPERSCRIPTS | SUBSCRIPTS


def asked(face: PreparedFace) -> set[str]:
    """What a face's fallback faces are asked for: what it lacks, and — when it lacks one of the
    script forms (² ₂ ⁻) the page sets in it — every such form, so that all come from one design
    (Noto Serif CJK has ¹ ² ³ but no ⁴–⁹ ⁻ ₂: mixing would set 10²² and 10⁻⁶ in two weights)."""
    missing = set(face.missing)
    forms = (set(face.metrics.advances) | missing) & SCRIPT_FORMS
    if forms & missing:
        missing |= forms
    return missing


def fallback_faces(missing: Mapping[K, set[str]], search: Sequence[Path],
                   prepare: Callable[[FaceSource, set[str]], PreparedFace],
                   role_of: Callable[[K], str] = str, overrides: Mapping[str, FaceOverride] | None = None,
                   ) -> tuple[dict[str, PreparedFace], dict[K, dict[str, str]]]:
    """The fallback faces that set what each role's face lacks (`missing`: role, or a face that
    `role_of` names the role of → characters): (fallback key → its prepared face, role →
    {character: fallback key}). Each fallback face is prepared once, for every role's characters
    still missing when its turn comes (ORDER); a spec's `fonts:` entry for it (`overrides`) wins."""
    left = {role: set(chars) for role, chars in missing.items() if chars}
    faces: dict[str, PreparedFace] = {}
    found: dict[K, dict[str, str]] = {role: {} for role in left}
    for key in ORDER:
        asking = [role for role in left if key in chain(role_of(role)) and left[role]]
        if not asking:
            continue
        source = find_face(FALLBACK_ROLES[key], search, override=(overrides or {}).get(key))
        if source is None:
            continue
        wanted = set().union(*(left[role] for role in asking))
        face = prepare(source, wanted)
        has = wanted - face.missing
        if not has:
            continue
        faces[key] = face
        for role in asking:
            for ch in sorted(left[role] & has):
                found[role][ch] = key
            left[role] -= has
    return faces, {role: chars for role, chars in found.items() if chars}
