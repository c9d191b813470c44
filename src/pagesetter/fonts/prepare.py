"""Prepare a face for one build: a cached TrueType subset ReportLab can embed, plus its metrics.

    source = resolve_face("song", overrides, [project / "fonts"])
    face = prepare_face(source, page_text, default_cache_dir())
    pdfmetrics.registerFont(TTFont(face.name, str(face.ttf_path)))
    width_em = face.metrics.advance("，")

The subset holds exactly the characters asked for (plus .notdef and the space); characters the
face lacks come back in `missing` for the caller to report. Results are cached by the font's
content, face index, character set and `CONVERTER_VERSION`, so a warm build only reads them back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from pagesetter.errors import FontError, Problem
from pagesetter.fonts import cache
from pagesetter.fonts.cache import CONVERTER_VERSION, default_cache_dir  # noqa: F401 (re-exported)
from pagesetter.fonts.roles import FaceSource


@dataclass(frozen=True)
class FaceMetrics:
    """Horizontal metrics of the characters in a prepared face, in em (1.0 = the font size)."""

    units_per_em: int
    advances: Mapping[str, float] = field(hash=False)  # advance width per character
    ink: Mapping[str, tuple[float, float]] = field(hash=False)  # (xMin, xMax); absent if blank
    ascender: float  # OS/2 sTypoAscender
    descender: float  # OS/2 sTypoDescender (negative)

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em; KeyError if the face has no glyph for it."""
        try:
            return self.advances[ch]
        except KeyError:
            raise KeyError(f"no glyph for {ch!r} (U+{ord(ch):04X}) in this prepared face") from None

    def ink_x(self, ch: str) -> tuple[float, float] | None:
        """Horizontal ink extent (xMin, xMax) of `ch` in em, None for a blank glyph (space);
        KeyError if the face has no glyph for it."""
        if ch not in self.advances:
            self.advance(ch)
        return self.ink.get(ch)


@dataclass(frozen=True)
class PreparedFace:
    """A face ready to embed: the subset file, the name to register it under and its metrics."""

    source: FaceSource
    ttf_path: Path  # TrueType (glyf) subset that reportlab.pdfbase.ttfonts.TTFont loads
    name: str  # PostScript name of the subset, unique per (font content, face index, characters)
    metrics: FaceMetrics
    missing: frozenset[str]  # requested characters the face has no glyph for
    cached: bool = field(default=False, compare=False)  # True if read back from the cache


def prepare_face(source: FaceSource, chars: Iterable[str], cache_dir: Path) -> PreparedFace:
    """Subset `source` to `chars` (strings are split into characters), from the cache if an
    intact entry exists, else converted and cached. FontError if the font cannot be used."""
    wanted = frozenset(ch for item in chars for ch in item)
    cache_dir = Path(cache_dir)
    try:
        font_sha = cache.content_hash(source.path, cache_dir)
        key = cache.entry_key(font_sha, source.index, wanted, CONVERTER_VERSION)
        ttf, meta = cache.entry_paths(cache_dir, source.path, source.index, key)
        data = cache.read_entry(ttf, meta, key)
        if data is not None:
            try:
                return _face(source, ttf, data, cached=True)
            except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
                pass  # an entry we did not write this way: rebuild it
        sub = _convert(source, wanted, key[:6])
        data = {
            "key": key,
            "name": sub.ps_name,
            "units_per_em": sub.units_per_em,
            "advances": sub.advances,
            "ink": {ch: list(box) for ch, box in sub.ink.items()},
            "ascender": sub.ascender,
            "descender": sub.descender,
            "missing": "".join(sorted(sub.missing)),
        }
        cache.write_entry(ttf, meta, sub.data, data)
    except OSError as exc:
        raise FontError(Problem(
            f"cannot prepare the font for role '{source.role}': {exc}",
            file=getattr(exc, "filename", None) or source.path,
            fix="check the font file is readable and the cache folder writable (set "
            "PAGESETTER_CACHE to another folder to move the cache)",
        )) from exc
    return _face(source, ttf, data, cached=False)


def _convert(source: FaceSource, wanted: frozenset[str], suffix: str):
    """build_subset, with anything fontTools throws on a malformed font turned into FontError."""
    from pagesetter.fonts.convert import build_subset  # fontTools: only when a face is converted

    try:
        return build_subset(source.path, source.index, wanted, suffix)
    except (FontError, OSError):
        raise
    except Exception as exc:  # fontTools raises many kinds on malformed fonts
        raise FontError(Problem(
            f"cannot convert the font for role '{source.role}' (face #{source.index}): "
            f"{type(exc).__name__}: {exc}",
            file=source.path,
            fix="the file looks damaged or uses an unsupported format: replace it, or set "
            f"fonts: {{{source.role}: {{file: ...}}}} in the spec to another face",
        )) from exc


def _face(source: FaceSource, ttf: Path, data: dict[str, Any], cached: bool) -> PreparedFace:
    """The PreparedFace described by a cache entry's metadata (fresh or read back)."""
    upem = data["units_per_em"]
    metrics = FaceMetrics(
        units_per_em=upem,
        advances=MappingProxyType({ch: units / upem for ch, units in data["advances"].items()}),
        ink=MappingProxyType(
            {ch: (lo / upem, hi / upem) for ch, (lo, hi) in data["ink"].items()}),
        ascender=data["ascender"] / upem,
        descender=data["descender"] / upem,
    )
    return PreparedFace(source, ttf, data["name"], metrics, frozenset(data["missing"]), cached)
