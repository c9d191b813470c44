"""Font roles, metrics, and the subset programs a PDF embeds (CFF stays CFF, TrueType stays TrueType).

Tests that need a system font skip (with the Debian package to install) when it is absent.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FTFont

from pagesetter.errors import FontError
from pagesetter.fonts import (
    ROLES,
    FaceOverride,
    FaceSource,
    default_cache_dir,
    prepare_face,
    resolve_face,
)
from pagesetter.fonts.subset import font_program

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


# ---- prepared faces and the programs a PDF embeds ------------------------------------------

def cff_of(program):
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(program.data), None)
    return cff


def test_noto_program_is_cid_keyed_cff_with_only_the_used_glyphs(tmp_path):
    face = prepare_face(noto_serif_sc(), SAMPLE)
    assert len(set(SAMPLE)) == 50 and not face.missing
    assert face.name == "NotoSerifCJKsc-Regular"
    program = font_program(face, SAMPLE)
    assert program.kind == "cff"
    cff = cff_of(program)
    top = cff[cff.fontNames[0]]
    assert top.ROS == ("Adobe", "Identity", 0)  # CID-keyed: codes are CIDs
    assert len(top.CharStrings) == 50 + 2  # the characters, .notdef and the space
    assert set(program.codes) == set(SAMPLE) | {" "}
    assert len(set(program.codes.values())) == 51
    assert {program.to_unicode[program.codes[ch]] for ch in SAMPLE} == set(SAMPLE)
    # subroutines nobody calls are gone: the whole face has thousands of global subrs
    source = FTFont(NOTO_SERIF, fontNumber=2, lazy=True)["CFF "].cff
    assert len(cff.GlobalSubrs) < len(source.GlobalSubrs) / 10
    assert re.fullmatch(r"[A-Z]{6}\+NotoSerifCJKsc-Regular", program.base_name)


def test_program_is_byte_identical_and_the_tag_follows_the_content(monkeypatch, tmp_path):
    face = prepare_face(noto_serif_sc(), SAMPLE)
    first = font_program(face, SAMPLE)
    monkeypatch.setenv("PAGESETTER_CACHE", str(tmp_path / "empty"))  # cut again, not read back
    again = font_program(face, reversed(SAMPLE))
    assert (tmp_path / "empty" / "subsets").is_dir()
    assert first == again
    other = font_program(face, SAMPLE[:10])
    assert other.data != first.data and other.base_name[:6] != first.base_name[:6]


# fonts.md: Noto Serif CJK SC, 1000 units/em, ink x ranges in font units
MEASURED_INK = {"，": (76, 229), "。": (42, 323), "、": (39, 290), "：": (170, 294),
                "！": (194, 303), "？": (35, 458), "”": (76, 429), "“": (571, 924),
                "（": (651, 937), "）": (63, 349), "《": (523, 962), "》": (38, 477)}


def test_metrics_match_measured_noto_serif_figures():
    han = "国家新闻日报"
    face = prepare_face(noto_serif_sc(), han + "".join(MEASURED_INK) + "—·⸺ ")
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
    # the embedded program's /W widths are the advances layout used
    program = font_program(face, "，—⸺")
    assert [program.widths[program.codes[ch]] for ch in "，—⸺"] == [1000, 890, 1690]


def test_missing_reports_characters_the_face_lacks():
    face = prepare_face(noto_serif_sc(), ["新闻", TANGUT, PRIVATE_USE])
    assert face.missing == frozenset({TANGUT, PRIVATE_USE})
    assert face.metrics.advance("新") == 1.0
    with pytest.raises(KeyError):
        face.metrics.advance(TANGUT)
    program = font_program(face, "新闻" + TANGUT)
    assert set(program.codes) == {"新", "闻", " "}


def test_truetype_source_is_embedded_as_truetype():
    need(GKAI)
    face = prepare_face(KAI, "楷体字，。")  # 5 characters
    assert face.metrics.units_per_em == 1024 and face.metrics.advance("楷") == 1.0
    assert not face.missing
    program = font_program(face, "楷体字，。")
    font = FTFont(io.BytesIO(program.data))
    assert program.kind == "glyf" and "glyf" in font and "GSUB" not in font
    assert font["maxp"].numGlyphs == 5 + 1 + 1  # chars + .notdef + space
    # codes are glyph indices of the subset (CIDToGIDMap /Identity); widths scaled to 1000/em
    assert font.getBestCmap()[ord("楷")] == font.getGlyphOrder()[program.codes["楷"]]
    assert program.widths[program.codes["楷"]] == 1000


def test_font_forbidding_embedding_is_a_font_error(tmp_path):
    need(GKAI)
    font = FTFont(io.BytesIO(font_program(prepare_face(KAI, "楷"), "楷").data))
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    locked = tmp_path / "locked.ttf"
    font.save(locked)
    with pytest.raises(FontError, match="fsType") as err:
        prepare_face(FaceSource("kai", locked, 0, "locked"), "楷")
    assert err.value.problems[0].file == locked


def test_damaged_font_is_a_font_error_naming_the_file(tmp_path):
    need(GKAI)
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(GKAI.read_bytes()[:4096])
    with pytest.raises(FontError) as err:
        font_program(prepare_face(FaceSource("kai", bad, 0, "bad"), "楷"), "楷")
    assert err.value.problems[0].file == bad


def test_different_programs_get_different_tags():
    need(NOTO_SERIF, NOTO_SERIF_BOLD)
    regular = font_program(prepare_face(noto_serif_sc(), "字"), "字")
    bold = font_program(prepare_face(FaceSource("biaosong", NOTO_SERIF_BOLD, 2, "x"), "字"), "字")
    other = font_program(prepare_face(noto_serif_sc(), "另一些字"), "另一些字")
    # ISO 32000-1 §9.6.4: a subset tag names one program; RIP font caches key on it
    assert len({regular.base_name, bold.base_name, other.base_name}) == 3
    assert len({regular.base_name[:6], bold.base_name[:6], other.base_name[:6]}) == 3


def test_default_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("PAGESETTER_CACHE", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("PAGESETTER_CACHE")
    assert default_cache_dir() == tmp_path / "xdg" / "pagesetter"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "pagesetter"


def test_cff_charset_reader_agrees_with_fonttools():
    from pagesetter.fonts.subset import cff_charset

    program = font_program(prepare_face(noto_serif_sc(), SAMPLE), SAMPLE)
    top = cff_of(program)
    names = top[top.fontNames[0]].charset
    assert cff_charset(program.data) == [0 if n == ".notdef" else int(n[3:]) for n in names]
    assert sorted(program.codes.values()) == sorted(cff_charset(program.data)[1:])


def test_candidate_matching_agrees_with_fnmatch():
    """roles._first_match is fnmatch.fnmatchcase without regexes: the same answer for every
    pattern of the role table (and a few other shapes) against names that do and do not match,
    and the first match of a listing."""
    import fnmatch

    from pagesetter.fonts.roles import ROLE_TABLE, _first_match

    patterns = {c.pattern.lower() for r in ROLE_TABLE.values() for c in r.candidates}
    patterns |= {"a?c.ttf", "[ab]x.otf", "*.ttc", "x*y*", "abc"}
    names = {p.replace("*", "") for p in patterns} | {p.replace("*", "-x.ttf") for p in patterns}
    names |= {"notoserifcjk-regular.ttc", "notoserifcjk-regular.ttc.bak", "fzshusong", "abc.ttf",
              "ax.otf", "xay", "方正书宋_gbk.ttf", "gbsn00lp.ttf", ""}
    for pattern in patterns:
        for name in names:
            found = _first_match([(Path("a") / "x", "-"), (Path(name), name)], pattern)
            assert (found is not None) == fnmatch.fnmatchcase(name, pattern), (name, pattern)
    listing = [(Path(n), n) for n in ("fzshusong-z01.ttf", "fzshusong-z02.ttf", "gbsn00lp.ttf")]
    assert _first_match(listing, "fzshusong*") == Path("fzshusong-z01.ttf")
    assert _first_match(listing, "gbsn00lp.ttf") == Path("gbsn00lp.ttf")
    assert _first_match(listing, "fz?husong-z02.ttf") == Path("fzshusong-z02.ttf")
    assert _first_match(listing, "nothing*") is None


def test_font_folders_are_walked_once_each_even_through_a_symlink_loop(tmp_path):
    """A symbolic link back up the tree (or to a folder already walked) is not followed again:
    each font file is listed once (under whichever path the walk reached first), in path order."""
    from pagesetter.fonts.roles import _walk_fonts

    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.ttf", "a/b/Y.OTF", "a/b/notes.txt", "z.ttc"):
        (tmp_path / name).write_bytes(b"0")
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")  # a loop
    (tmp_path / "same").symlink_to(tmp_path / "a" / "b")  # a second way into a/b
    listed = [(str(p.relative_to(tmp_path)), name) for p, name in _walk_fonts(tmp_path)]
    assert sorted(name for _, name in listed) == ["x.ttf", "y.otf", "z.ttc"]
    assert listed == sorted(listed) and ("z.ttc", "z.ttc") in listed
    assert all(Path(tmp_path, path).name.lower() == name for path, name in listed)
