"""What a warm build reuses from the cache folder — cut subsets, face header facts, the compressed
output profile — and that a damaged entry is made again, never trusted."""
from __future__ import annotations

import json
import zlib
from pathlib import Path
from xml.sax.saxutils import escape as sax_escape

import pytest

from pagesetter.fonts import FaceSource, prepare_face
from pagesetter.fonts import faceinfo, metricscache, subsetcache
from pagesetter.fonts.cache import HASH_INDEX
from pagesetter.fonts.subset import FontProgram, font_program
from pagesetter.render import profilecache
from pagesetter.render.standards import DEFAULT_PROFILE, escape

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
GKAI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
TEXT = "新华社北京电，“改革”——《人民日报》0123"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGESETTER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _face(path: Path, index: int = 0):
    if not path.exists():
        pytest.skip(f"{path} not installed")
    return prepare_face(FaceSource("song", path, index, "test"), TEXT)


@pytest.mark.parametrize("path,index", [(NOTO_SERIF, 2), (GKAI, 0)])
def test_cached_subset_is_the_one_cut(cache, monkeypatch, path, index):
    face = _face(path, index)
    first = font_program(face, TEXT)
    [entry] = (cache / "subsets").iterdir()
    monkeypatch.setattr("pagesetter.fonts.subset._program", lambda *a: pytest.fail("cut again"))
    assert font_program(face, TEXT) == first
    assert entry.read_bytes() == subsetcache.encode(first)


@pytest.mark.parametrize("damage", [lambda b: b[:len(b) // 2], lambda b: b[:-1] + b"X",
                                    lambda b: b"", lambda b: b.replace(b"cff", b"xyz", 1)])
def test_damaged_subset_entry_is_cut_again_and_rewritten(cache, damage):
    face = _face(NOTO_SERIF, 2)
    first = font_program(face, TEXT)
    [entry] = (cache / "subsets").iterdir()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert subsetcache.load(entry, FontProgram) is None
    assert font_program(face, TEXT) == first
    assert entry.read_bytes() == good


def test_other_characters_are_another_entry(cache):
    face = _face(NOTO_SERIF, 2)
    a, b = font_program(face, TEXT), font_program(face, TEXT + "党")
    assert a.data != b.data and len(list((cache / "subsets").iterdir())) == 2


def test_face_facts_are_remembered_and_damaged_ones_read_again(cache, monkeypatch):
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-cjk not installed")
    source = FaceSource("song", NOTO_SERIF, 2, "test")
    info = faceinfo.read_face_info(source)
    index_file = cache / HASH_INDEX
    index = json.loads(index_file.read_text())
    [key] = [k for k in index[str(NOTO_SERIF.resolve())] if k.startswith("faceinfo")]
    monkeypatch.setattr(faceinfo, "_read_face_info", lambda s: pytest.fail("read again"))
    assert faceinfo.read_face_info(source) == info
    monkeypatch.undo()
    monkeypatch.setenv("PAGESETTER_CACHE", str(cache))
    for bad in ('{"ps_name": "X"}', "not json", json.dumps({**json.loads(
            index[str(NOTO_SERIF.resolve())][key]), "units_per_em": "1000"})):
        index[str(NOTO_SERIF.resolve())][key] = bad
        index_file.write_text(json.dumps(index))
        assert faceinfo.read_face_info(source) == info
        stored = json.loads(index_file.read_text())[str(NOTO_SERIF.resolve())][key]
        assert faceinfo._from_json(stored) == info


def test_profile_compressed_once_and_damage_is_redone(cache, monkeypatch):
    if not DEFAULT_PROFILE.exists():
        pytest.skip("ghostscript's default_cmyk.icc not installed")
    monkeypatch.setattr(profilecache, "_MEMO", {})
    profile = DEFAULT_PROFILE.read_bytes()
    packed, desc = profilecache.profile_stream(DEFAULT_PROFILE, lambda: "Generic CMYK")
    assert zlib.decompress(packed) == profile and packed == zlib.compress(profile)
    [z] = (cache / "profiles").glob("*.z")
    [txt] = (cache / "profiles").glob("*.desc")
    good = z.read_bytes()
    assert good.endswith(packed)
    for damaged in (good[:100], good[:-1] + bytes([good[-1] ^ 1]), packed):
        z.write_bytes(damaged)
        txt.write_bytes(b"\xff\xfe")
        monkeypatch.setattr(profilecache, "_MEMO", {})
        assert profilecache.profile_stream(DEFAULT_PROFILE, lambda: "Generic CMYK") == (packed, desc)
        assert z.read_bytes() == good and txt.read_bytes().endswith(b"\nGeneric CMYK")
    monkeypatch.setattr(profilecache, "_MEMO", {})  # by path: the same entry, the profile unread
    real = profilecache._compressed
    monkeypatch.setattr(profilecache, "_compressed", lambda digest, read, describe: real(
        digest, lambda: pytest.fail("profile read"), describe))
    assert profilecache.profile_stream(DEFAULT_PROFILE, lambda: pytest.fail("described")) == (packed, desc)


def test_xmp_escape_matches_the_standard_library():
    for text in ("a & b < c > d", "人民日报 第4版", "&amp;", '"quoted" \'x\''):
        assert escape(text) == sax_escape(text)


def test_cached_compressed_program_is_what_flate_makes(cache):
    face = _face(NOTO_SERIF, 2)
    font_program(face, TEXT)
    [entry] = (cache / "subsets").iterdir()
    kept = subsetcache.load(entry, FontProgram)
    assert kept.packed == zlib.compress(kept.data)


def test_fact_index_parsed_once_and_again_when_another_process_replaces_it(tmp_path, monkeypatch):
    from pagesetter.fonts import cache as fcache

    font = tmp_path / "f.ttf"
    font.write_bytes(b"x" * 10)
    parses = []
    real = fcache.read_json
    monkeypatch.setattr(fcache, "read_json", lambda p: parses.append(p) or real(p))
    assert fcache.remember(font, tmp_path, "a", lambda: "1") == "1"
    assert fcache.remember(font, tmp_path, "b", lambda: "2") == "2"
    assert fcache.remember(font, tmp_path, "a", lambda: pytest.fail("computed again")) == "1"
    assert len(parses) <= 1
    index = json.loads((tmp_path / HASH_INDEX).read_text())
    index[str(font.resolve())]["a"] = "changed elsewhere"
    fcache.atomic_write(tmp_path / HASH_INDEX, json.dumps(index).encode())
    assert fcache.remember(font, tmp_path, "a", lambda: "1") == "changed elsewhere"


def test_subset_folder_keeps_the_most_recently_used(cache, monkeypatch):
    monkeypatch.setattr(subsetcache, "MAX_ENTRIES", 2)
    face = _face(NOTO_SERIF, 2)
    first = font_program(face, TEXT)
    [kept] = (cache / "subsets").iterdir()
    import os
    os.utime(kept, ns=(1, 1))  # long unused…
    font_program(face, TEXT + "党")
    for other in (cache / "subsets").iterdir():
        if other != kept:
            os.utime(other, ns=(2, 2))  # used once, a little later
    assert font_program(face, TEXT) == first  # …the first used again now
    font_program(face, TEXT + "建")
    names = {p.name for p in (cache / "subsets").iterdir()}
    assert len(names) == 2 and kept.name in names


def test_metrics_are_kept_per_face_and_a_new_character_measures_one_glyph(cache, monkeypatch):
    from pagesetter.fonts import prepare

    first = _face(NOTO_SERIF, 2)
    [entry] = (cache / "metrics").iterdir()
    measured = []
    real = prepare._measure
    monkeypatch.setattr(prepare, "_measure", lambda s, i, chars: measured.append(set(chars)) or real(s, i, chars))
    again = prepare_face(FaceSource("song", NOTO_SERIF, 2, "test"), TEXT)
    assert again.metrics == first.metrics and again.missing == first.missing and measured == []
    assert dict(again.metrics.advances) == dict(first.metrics.advances)
    assert dict(again.metrics.ink) == dict(first.metrics.ink)
    more = prepare_face(FaceSource("song", NOTO_SERIF, 2, "test"), TEXT + "党")
    assert measured == [{"党"}] and more.metrics.advance("党") == 1.0
    monkeypatch.setattr(prepare, "_measure", real)
    fresh = prepare._measure(first.source, first.info, set(TEXT + "党 "))
    assert metricscache.load(entry) == fresh  # what was kept is what HarfBuzz says, to the bit


@pytest.mark.parametrize("damage", [lambda b: b[:len(b) // 2], lambda b: b[:-1] + b"X", lambda b: b""])
def test_damaged_metrics_entry_is_measured_again_and_rewritten(cache, damage):
    first = _face(NOTO_SERIF, 2)
    [entry] = (cache / "metrics").iterdir()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert metricscache.load(entry) is None
    assert _face(NOTO_SERIF, 2).metrics == first.metrics
    assert dict(_face(NOTO_SERIF, 2).metrics.ink) == dict(first.metrics.ink)
    assert entry.read_bytes() == good


def test_missing_glyphs_are_kept_too(cache):
    if not GKAI.exists():
        pytest.skip(f"{GKAI} not installed")
    text = "楷" + chr(0x17000)  # a Tangut character: in no CJK face
    first = prepare_face(FaceSource("kai", GKAI, 0, "test"), text)
    again = prepare_face(FaceSource("kai", GKAI, 0, "test"), text)
    assert first.missing == again.missing == {chr(0x17000)}


def test_a_warm_build_needs_no_harfbuzz_and_reportlab_leaves_it_importable():
    """The cache keys name HarfBuzz's build without importing uharfbuzz, and importing the renderer
    (whose ReportLab import is shown no uharfbuzz) leaves it importable for a cold build."""
    import subprocess
    import sys

    code = ("import sys; import pagesetter.render.pdf; from pagesetter.fonts.cache import harfbuzz_build; "
            "b = harfbuzz_build(); assert 'uharfbuzz' not in sys.modules, 'imported'; "
            "import uharfbuzz; assert uharfbuzz.Face is not None; print(b)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("_harfbuzz.") and ":" in out.stdout


def test_extras_are_kept_with_the_subset_and_made_again_under_another_tag(cache):
    from pagesetter.fonts.subset import Extras
    from pagesetter.render.fontobjects import PDF_PIECES, pdf_pieces

    face = _face(NOTO_SERIF, 2)
    made = []
    first = font_program(face, TEXT, Extras("t1", lambda p: made.append(1) or {"n": bytes([len(p.codes)])}))
    again = font_program(face, TEXT, Extras("t1", lambda p: pytest.fail("made again")))
    assert made == [1] and first.extras == again.extras == {"n": bytes([len(first.codes)])}
    assert font_program(face, TEXT).extras == {}  # not asked for: none
    other = font_program(face, TEXT, Extras("t2", lambda p: {"n": b"2"}))
    assert other.extras == {"n": b"2"} and other == first
    pieces = font_program(face, TEXT, PDF_PIECES)
    assert pieces.extras == pdf_pieces(pieces) and set(pieces.extras) == {"W", "ToUnicode"}
    assert zlib.decompress(pieces.extras["ToUnicode"]).startswith(b"/CIDInit")


def test_subset_entry_tables_round_trip_exactly(cache):
    """The binary tables give back the very codes, widths and texts (multi-character texts too)."""
    face = _face(NOTO_SERIF, 2)
    program = font_program(face, TEXT)
    odd = FontProgram(program.data, program.kind, program.base_name, dict(program.codes),
                      {**program.widths, 7: 0.125}, {**program.to_unicode, 7: "ﬁx"}, program.packed,
                      {"a": b"1", "b": b""})
    back = subsetcache.decode(subsetcache.encode(odd, "tag"), FontProgram, "tag")
    assert back == odd and back.packed == odd.packed and back.extras == odd.extras
    assert list(back.codes.items()) == list(odd.codes.items())
    assert subsetcache.decode(subsetcache.encode(odd, "tag"), FontProgram, "other").extras == {}


def test_fact_index_forgets_files_that_are_gone_when_it_is_written(tmp_path):
    """Every build parses the fact index: facts about files since deleted are dropped the next time
    a fact is stored, not kept for ever; a file in a folder this process cannot see at all (the
    cache shared with a container or another host) keeps its facts."""
    from pagesetter.fonts import cache as fcache

    kept, gone, new = tmp_path / "kept.ttf", tmp_path / "gone.ttf", tmp_path / "new.ttf"
    for f in (kept, gone, new):
        f.write_bytes(b"x" * 10)
    fcache.remember(kept, tmp_path, "a", lambda: "1")
    fcache.remember(gone, tmp_path, "a", lambda: "2")
    index = json.loads((tmp_path / HASH_INDEX).read_text())
    elsewhere = "/nonexistent-host-folder/fonts/song.ttf"
    index[elsewhere] = dict(index[str(kept.resolve())])
    (tmp_path / HASH_INDEX).write_text(json.dumps(index))
    gone.unlink()
    fcache.remember(new, tmp_path, "a", lambda: "3")
    index = json.loads((tmp_path / HASH_INDEX).read_text())
    assert set(index) == {str(kept.resolve()), str(new.resolve()), elsewhere}
    assert fcache.remember(kept, tmp_path, "a", lambda: pytest.fail("computed again")) == "1"


def test_a_font_edited_in_place_and_dated_back_is_not_taken_for_the_old_one(cache, tmp_path):
    """The fact index decides whether cached metrics and subsets (keyed by the font's sha256) still
    apply: a font rewritten with the same size and its modification time set back, or another file
    renamed over it, is hashed again (inode and status-change time differ)."""
    import os

    from pagesetter.fonts.cache import file_sha256, remember

    font = tmp_path / "face.ttf"
    font.write_bytes(b"A" * 4096)
    first = remember(font, cache, "sha256", lambda: file_sha256(font))
    stat = font.stat()
    with open(font, "r+b") as fh:  # same size, edited in place
        fh.write(b"B" * 16)
    os.utime(font, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and dated back
    assert font.stat().st_size == stat.st_size and font.stat().st_mtime_ns == stat.st_mtime_ns
    edited = remember(font, cache, "sha256", lambda: file_sha256(font))
    assert edited == file_sha256(font) != first
    other = tmp_path / "other.ttf"
    other.write_bytes(b"C" * 4096)
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(other, font)  # another file renamed over it, same size and time
    assert remember(font, cache, "sha256", lambda: file_sha256(font)) == file_sha256(font) != edited
