"""Prepare a face for one build: its metrics for the characters a page needs, measured with
HarfBuzz straight from the font file and kept per face in the metrics cache (fonts.metricscache),
so a warm build reads them back and a new character measures one glyph.

    source = resolve_face("song", overrides, [project / "fonts"])
    face = prepare_face(source, page_text)
    width_em = face.metrics.advance("，")

Characters the face lacks come back in `missing` for the caller to report. The font program
that goes into the PDF is cut later, for exactly the glyphs the page draws (fonts.subset).
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping

from pagesetter.records import record
from pagesetter.errors import FontError, Problem
from pagesetter.fonts import metricscache
from pagesetter.fonts.facecheck import check_advances, check_ink, check_outlines
from pagesetter.fonts.faceinfo import DEFAULT_SCRIPTS, FaceInfo, read_face_info, script_metrics
from pagesetter.fonts.roles import FaceSource


@record
class FaceMetrics:
    """Horizontal metrics of the characters in a prepared face, in em (1.0 = the font size)."""

    units_per_em: int
    advances: Mapping[str, float] = field(hash=False)  # advance width per character
    ink: Mapping[str, tuple[float, float]] = field(hash=False)  # (xMin, xMax); absent if blank
    ascender: float  # OS/2 sTypoAscender
    descender: float  # OS/2 sTypoDescender (negative)
    # (subscript size, its drop, superscript size, its rise) in em (faceinfo.script_metrics)
    scripts: tuple[float, float, float, float] = DEFAULT_SCRIPTS
    # character → the fallback face (its key among the page's faces) that sets it: the
    # characters this face lacks and a face of its role's fallback chain has (fonts.fallback)
    fallback: Mapping[str, str] = field(default_factory=dict, hash=False)

    def script(self, kind: str) -> tuple[float, float]:
        """(size, baseline shift) in em of a superscript ("sup") or subscript ("sub")."""
        sub_size, sub_drop, sup_size, sup_rise = self.scripts
        return (sup_size, sup_rise) if kind == "sup" else (sub_size, -sub_drop)

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


@record
class PreparedFace:
    """A face ready to set and embed: its source, PostScript name, header facts and metrics."""

    source: FaceSource
    name: str  # PostScript name of the face (the embedded subset adds a tag: ABCDEF+name)
    metrics: FaceMetrics
    missing: frozenset[str]  # requested characters the face has no glyph for
    info: FaceInfo = field(compare=False)


def prepare_face(source: FaceSource, chars: Iterable[str], cache_dir: Path | None = None) -> PreparedFace:
    """Metrics of `source` for `chars` (strings are split into characters). FontError if the
    font cannot be used. Read from the metrics cache (fonts.metricscache, in `cache_dir`, else the
    default cache folder); characters it lacks are measured with HarfBuzz and added to it."""
    wanted = frozenset(ch for item in chars for ch in item) | {" "}
    info = read_face_info(source)
    try:
        table = _metrics(source, info, wanted, cache_dir)
    except OSError as exc:
        raise FontError(Problem(
            f"cannot read the font for role '{source.role}': {exc}", file=source.path,
            fix="check the font file is readable")) from exc
    advances, ink, missing = {}, {}, set()
    for ch in wanted:
        kind, advance, left, right = table[ch]
        if kind == metricscache.NO_GLYPH:
            if ch != " ":
                missing.add(ch)
            continue
        advances[ch] = advance
        if kind == metricscache.INKED:
            ink[ch] = (left, right)
    check_advances(source, advances, source.role)
    check_ink(source, advances.keys() - ink.keys(), source.role, info.outlines)
    upem = info.units_per_em
    metrics = FaceMetrics(upem, MappingProxyType(advances), MappingProxyType(ink),
                          info.ascender / upem, info.descender / upem, script_metrics(info))
    return PreparedFace(source, info.ps_name, metrics, frozenset(missing), info)


def _metrics(source: FaceSource, info: FaceInfo, wanted: frozenset[str], cache_dir: Path | None) -> dict:
    """character → metrics (metricscache.Table) for at least `wanted`: the face's cache entry,
    with the characters it lacks measured now and the entry kept again with them."""
    from pagesetter.fonts.cache import content_hash, default_cache_dir

    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = metricscache.entry_path(cache_dir, content_hash(source.path, cache_dir), source.index)
    table = metricscache.load(path) or {}
    new = wanted.difference(table)
    if new:
        table.update(_measure(source, info, new))
        metricscache.store(path, table)
    return table


def _measure(source: FaceSource, info: FaceInfo, chars: Iterable[str]) -> dict:
    """HarfBuzz's figures for `chars`, in em, as metricscache.Table rows; FontError if a glyph
    does not decode (fonts.facecheck: checked once, as it is measured and kept)."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(source.path)), source.index))
    upem = info.units_per_em
    out, drawn = {}, {}
    for ch in chars:
        gid = font.get_nominal_glyph(ord(ch))
        if gid is None:
            out[ch] = (metricscache.NO_GLYPH, 0.0, 0.0, 0.0)
            continue
        advance, ext = font.get_glyph_h_advance(gid) / upem, font.get_glyph_extents(gid)
        drawn[ch] = (gid, ext)
        if ext is not None and (ext.width or ext.height):
            out[ch] = (metricscache.INKED, advance, ext.x_bearing / upem, (ext.x_bearing + ext.width) / upem)
        else:
            out[ch] = (metricscache.BLANK, advance, 0.0, 0.0)
    check_outlines(source, info.outlines, upem, drawn)
    return out
