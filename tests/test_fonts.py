"""Font roles, subsetting/conversion for ReportLab, metrics and the prepared-face cache.

Tests that need a system font skip (with the Debian package to install) when it is absent.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from pagesetter.errors import FontError
from pagesetter.fonts import (
    ROLES,
    FaceOverride,
    FaceSource,
    default_cache_dir,
    prepare_face,
    resolve_face,
)
from pagesetter.fonts import cache as font_cache

NOTO = Path("/usr/share/fonts/opentype/noto")
NOTO_SERIF = NOTO / "NotoSerifCJK-Regular.ttc"
NOTO_SERIF_BOLD = NOTO / "NotoSerifCJK-Bold.ttc"
GKAI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
GBSN = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
KAI = FaceSource("kai", GKAI, 0, "AR PL KaitiM GB")
PACKAGES = {NOTO_SERIF: "fonts-noto-cjk", NOTO_SERIF_BOLD: "fonts-noto-cjk",
            GKAI: "fonts-arphic-gkai00mp", GBSN: "fonts-arphic-gbsn00lp"}

# 50 characters: Han, full-width punctuation, the dash and ellipsis pairs, digits.
SAMPLE = ("新华社北京电记者报道国务院今日召开常务会议，。“”——…0123456789"
          "：《人民日报》（完）、；？！改革")
TANGUT = "\U00017000"
PRIVATE_USE = "\ue000"


def need(*paths: Path) -> None:
    for path in paths:
        if not path.is_file():
            pytest.skip(f"{path} not installed (apt-get install {PACKAGES[path]})")


def noto_serif_sc() -> FaceSource:
    need(NOTO_SERIF)
    return FaceSource("song", NOTO_SERIF, 2, "Noto Serif CJK SC")


def link(folder: Path, name: str, target: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.symlink_to(target)
    return path


# ---- roles -------------------------------------------------------------------------------

def test_default_song_is_noto_serif_sc():
    need(NOTO_SERIF)
    face = resolve_face("song")
    assert (face.path, face.index, face.family) == (NOTO_SERIF, 2, "Noto Serif CJK SC")
    assert face.substitute_for is None and face.warning is None


def test_override_wins_over_every_folder(tmp_path):
    need(GKAI, GBSN)
    link(tmp_path / "fonts", "gbsn00lp.ttf", GBSN)
    face = resolve_face("song", {"song": FaceOverride(GKAI)}, [tmp_path / "fonts"])
    assert (face.role, face.path, face.index, face.family) == ("song", GKAI, 0, "AR PL KaitiM GB")


def test_override_with_missing_file_names_file_and_role(tmp_path):
    missing = tmp_path / "fonts" / "FZShuSong-Z01.ttf"
    with pytest.raises(FontError) as err:
        resolve_face("song", {"song": FaceOverride(missing)})
    problem = err.value.problems[0]
    assert problem.file == missing
    assert "'song'" in problem.message and str(missing) in str(err.value)
    assert "fonts:" in problem.fix


def test_override_index_beyond_a_single_font_file(tmp_path):
    need(GKAI)
    with pytest.raises(FontError, match="face #2"):
        resolve_face("kai", {"kai": FaceOverride(GKAI, 2)})


def test_unknown_role_lists_roles_with_did_you_mean():
    with pytest.raises(FontError) as err:
        resolve_face("heibold")
    text = str(err.value)
    assert "did you mean 'hei-bold'" in text
    for role in ROLES:
        assert role in text


def test_fallback_follows_preference_order_within_a_folder(tmp_path):
    need(NOTO_SERIF, GBSN)
    fonts = tmp_path / "fonts"
    link(fonts, "gbsn00lp.ttf", GBSN)
    face = resolve_face("song", search_dirs=[fonts], system_dirs=())
    assert face.path.name == "gbsn00lp.ttf" and face.family == "AR PL SungtiL GB"
    link(fonts / "noto", "NotoSerifCJK-Regular.ttc", NOTO_SERIF)
    face = resolve_face("song", search_dirs=[fonts], system_dirs=())
    assert (face.path.name, face.index, face.family) == (
        "NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC")


def test_earlier_folder_wins_and_licensed_names_come_first(tmp_path):
    need(NOTO_SERIF, GBSN)
    project, system = tmp_path / "project", tmp_path / "system"
    link(project, "gbsn00lp.ttf", GBSN)
    link(system, "NotoSerifCJK-Regular.ttc", NOTO_SERIF)
    face = resolve_face("song", search_dirs=[project], system_dirs=[system])
    assert face.path == project / "gbsn00lp.ttf"
    # a face conventionally named for 方正书宋 beats the free faces in the same folder
    link(project, "FZShuSong-Z01.ttf", GBSN)
    face = resolve_face("song", search_dirs=[project], system_dirs=[system])
    assert face.path == project / "FZShuSong-Z01.ttf"


def test_fangsong_substitute_is_marked_not_silent(tmp_path):
    need(GKAI)
    fonts = tmp_path / "fonts"
    link(fonts, "gkai00mp.ttf", GKAI)
    face = resolve_face("fangsong", search_dirs=[fonts], system_dirs=())
    assert face.role == "fangsong" and face.path.name == "gkai00mp.ttf"
    assert face.substitute_for == "fangsong"
    assert "仿宋" in face.warning and "AR PL KaitiM GB" in face.warning
    link(fonts, "simfang.ttf", GKAI)  # a file named for 仿宋 is taken as the real thing
    face = resolve_face("fangsong", search_dirs=[fonts], system_dirs=())
    assert face.path.name == "simfang.ttf" and face.substitute_for is None and face.warning is None


def test_no_face_at_all_says_what_to_install(tmp_path):
    with pytest.raises(FontError) as err:
        resolve_face("hei-bold", search_dirs=[tmp_path], system_dirs=())
    fix = err.value.problems[0].fix
    assert "apt-get install fonts-noto-cjk" in fix and "fonts: {hei-bold: {file:" in fix


# ---- prepared faces ----------------------------------------------------------------------

def register(face) -> str:
    pdfmetrics.registerFont(TTFont(face.name, str(face.ttf_path)))
    return face.name


def draw_pdf(lines: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    # ReportLab quirk: without initialFontName every page's resources name Helvetica (base 14,
    # never embedded) even when no text uses it.
    canvas = Canvas(buf, invariant=1, initialFontName=lines[0][0])
    y = 750
    for font_name, text in lines:
        canvas.setFont(font_name, 12)
        canvas.drawString(72, y, text)
        y -= 20
    canvas.save()
    return buf.getvalue()


def test_noto_subset_loads_draws_embeds_and_extracts(tmp_path):
    pypdf = pytest.importorskip("pypdf")
    face = prepare_face(noto_serif_sc(), SAMPLE, tmp_path)
    assert len(set(SAMPLE)) == 50 and not face.missing
    assert " " not in face.name and face.name.startswith("NotoSerifCJKsc-Regular")
    loaded = FTFont(face.ttf_path)
    assert loaded.sfntVersion == "\0\1\0\0" and "glyf" in loaded and "CFF " not in loaded
    assert set(loaded.getBestCmap()) == {ord(c) for c in SAMPLE} | {32}
    lines = [(register(face), SAMPLE)]
    if GKAI.is_file():  # a TrueType source alongside the converted CFF one
        kai = prepare_face(KAI, "记者王小明", tmp_path)
        lines.append((register(kai), "记者王小明"))
    reader = pypdf.PdfReader(io.BytesIO(draw_pdf(lines)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == len(lines)
    for ref in fonts.values():
        assert "/FontFile2" in ref.get_object()["/FontDescriptor"]
    assert reader.pages[0].extract_text().splitlines() == [text for _, text in lines]


def test_prepare_is_byte_identical_and_second_call_is_cached(tmp_path):
    source = noto_serif_sc()
    first = prepare_face(source, SAMPLE, tmp_path / "a")
    other = prepare_face(source, SAMPLE, tmp_path / "b")
    again = prepare_face(source, reversed(SAMPLE), tmp_path / "a")
    assert (first.cached, other.cached, again.cached) == (False, False, True)
    assert first.ttf_path.read_bytes() == other.ttf_path.read_bytes()
    subset_head = FTFont(first.ttf_path)["head"]
    source_head = FTFont(NOTO_SERIF, fontNumber=2, lazy=True)["head"]
    assert subset_head.created == source_head.created
    assert subset_head.modified == source_head.modified
    assert again == first and again.ttf_path == first.ttf_path
    name = register(first)
    assert draw_pdf([(name, SAMPLE)]) == draw_pdf([(name, SAMPLE)])


def test_warm_prepare_does_not_rehash_the_font(tmp_path, monkeypatch):
    source = noto_serif_sc()
    prepare_face(source, SAMPLE, tmp_path)
    hashed = []
    real = font_cache.file_sha256
    monkeypatch.setattr(font_cache, "file_sha256", lambda p: hashed.append(Path(p)) or real(p))
    assert prepare_face(source, SAMPLE, tmp_path).cached
    assert NOTO_SERIF.resolve() not in hashed


# fonts.md: Noto Serif CJK SC, 1000 units/em, ink x ranges in font units
MEASURED_INK = {"，": (76, 229), "。": (42, 323), "、": (39, 290), "：": (170, 294),
                "！": (194, 303), "？": (35, 458), "”": (76, 429), "“": (571, 924),
                "（": (651, 937), "）": (63, 349), "《": (523, 962), "》": (38, 477)}


def test_metrics_match_measured_noto_serif_figures(tmp_path):
    han = "国家新闻日报"
    face = prepare_face(noto_serif_sc(), han + "".join(MEASURED_INK) + "—·⸺ ", tmp_path)
    m = face.metrics
    assert m.units_per_em == 1000
    assert (m.ascender, m.descender) == pytest.approx((0.88, -0.12))
    for ch, (lo, hi) in MEASURED_INK.items():
        assert m.ink_x(ch) == pytest.approx((lo / 1000, hi / 1000), abs=0.0015), ch
        assert m.advance(ch) == 1.0, ch
    assert m.advance("—") == pytest.approx(0.89)
    assert m.advance("·") == pytest.approx(0.327)
    assert m.advance("⸺") == pytest.approx(1.69)
    assert all(m.advance(ch) == 1.0 for ch in han)
    assert m.ink_x(" ") is None  # blank glyph: no ink
    # the embedded subset carries the same advances ReportLab will use for widths
    rl = TTFont("metrics-check", str(face.ttf_path))
    assert rl.stringWidth("，—", 1000) == pytest.approx(1890)


def test_missing_reports_characters_the_face_lacks(tmp_path):
    face = prepare_face(noto_serif_sc(), ["新闻", TANGUT, PRIVATE_USE], tmp_path)
    assert face.missing == frozenset({TANGUT, PRIVATE_USE})
    assert face.metrics.advance("新") == 1.0
    with pytest.raises(KeyError):
        face.metrics.advance(TANGUT)
    assert ord(TANGUT) not in FTFont(face.ttf_path).getBestCmap()


def test_corrupt_cache_entries_are_rebuilt(tmp_path):
    source = noto_serif_sc()
    good = prepare_face(source, SAMPLE, tmp_path)
    original = good.ttf_path.read_bytes()
    meta = good.ttf_path.with_suffix(".json")

    good.ttf_path.write_bytes(original[: len(original) // 2])  # killed mid-copy, say
    rebuilt = prepare_face(source, SAMPLE, tmp_path)
    assert not rebuilt.cached and rebuilt.ttf_path.read_bytes() == original

    meta.write_text("{not json")
    rebuilt = prepare_face(source, SAMPLE, tmp_path)
    assert not rebuilt.cached and rebuilt == good
    assert prepare_face(source, SAMPLE, tmp_path).cached

    (tmp_path / font_cache.HASH_INDEX).write_text("[]")  # a damaged hash index is rebuilt too
    assert prepare_face(source, SAMPLE, tmp_path).cached


def test_truetype_source_is_subset_as_is(tmp_path):
    need(GKAI)
    face = prepare_face(KAI, "楷体字，。", tmp_path)  # 5 characters
    assert face.metrics.units_per_em == 1024 and face.metrics.advance("楷") == 1.0
    assert not face.missing
    assert FTFont(face.ttf_path)["maxp"].numGlyphs == 5 + 1 + 1  # chars + .notdef + space
    register(face)


def test_font_forbidding_embedding_is_a_font_error(tmp_path):
    need(GKAI)
    face = prepare_face(KAI, "楷", tmp_path / "c")
    font = FTFont(face.ttf_path)
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    locked = tmp_path / "locked.ttf"
    font.save(locked)
    with pytest.raises(FontError, match="fsType") as err:
        prepare_face(FaceSource("kai", locked, 0, "locked"), "楷", tmp_path / "c")
    assert err.value.problems[0].file == locked


def test_different_faces_get_different_names(tmp_path):
    need(NOTO_SERIF, NOTO_SERIF_BOLD)
    regular = prepare_face(noto_serif_sc(), "字", tmp_path)
    bold = prepare_face(FaceSource("biaosong", NOTO_SERIF_BOLD, 2, "x"), "字", tmp_path)
    other_chars = prepare_face(noto_serif_sc(), "另一些字", tmp_path)
    # every subset has a PostScript name of its own: ReportLab keys its process-wide registry by
    # that name, so two subsets sharing one would silently draw each other's glyphs
    assert len({regular.name, other_chars.name, bold.name}) == 3
    assert regular.name.startswith("NotoSerifCJKsc-Regular-") and other_chars.name.startswith("NotoSerifCJKsc-Regular-")
    assert regular.ttf_path != other_chars.ttf_path


def test_default_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGESETTER_CACHE", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("PAGESETTER_CACHE")
    assert default_cache_dir() == tmp_path / "xdg" / "pagesetter"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "pagesetter"
