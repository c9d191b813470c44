"""Display lines broken by sense (text.display, text.words; issue 23 item 2), with the fixed-advance
face: every Han character 1 em, so a width of N em holds N characters."""
from __future__ import annotations

import itertools
import sys

import pytest

from fixedfont import FixedMetrics
from pagesetter.layout.setting import Typesetter
from pagesetter.pagespec.model import Style
from pagesetter.text import display
from pagesetter.text.measure import Composition
from pagesetter.text.words import word_bounds

SIZE = 10.0


def head(text: str, chars: float, align: str = "center", **style) -> list[str]:
    ts = Typesetter({"song": FixedMetrics()}, Composition())
    lines = ts.head_lines(text, Style("h", "song", SIZE, align=align, **style), chars * SIZE)
    return ["".join(g.ch for g in line.glyphs) for line in lines]


# the issue's heads at the widths that broke them by count (中华人民共 / 和国个人信 / 息保护法, …)
@pytest.mark.parametrize("text, chars, lines", [
    ("中华人民共和国个人信息保护法", 5, ["中华人民", "共和国个人", "信息保护法"]),
    ("中华人民共和国个人信息保护法", 7, ["中华人民共和国", "个人信息保护法"]),
    ("前三季度国内生产总值", 5, ["前三季度", "国内", "生产总值"]),
    ("前三季度国内生产总值", 6, ["前三季度国内", "生产总值"]),
    ("国民经济", 3, ["国民", "经济"]),
    ("湖上（外二首）", 5, ["湖上", "（外二首）"]),
    ("一个不到 3 μm 高的“雪人”", 8, ["一个不到3μm", "高的“雪人”"]),
])
def test_the_issues_heads_break_between_words(text, chars, lines):
    assert head(text, chars) == lines


def test_no_line_holds_a_single_character_with_or_without_its_mark():
    lines = head("本法已由全国人民代表大会常务委员会审议通过）", 6)
    assert all(sum(ch not in "（）" for ch in line) >= 2 for line in lines), lines
    assert "".join(lines) == "本法已由全国人民代表大会常务委员会审议通过）"


def test_never_between_a_number_and_its_unit_or_measure_word():
    for chars in range(4, 9):
        for text in ("一个不到 3 μm 高的“雪人”", "全年完成投资2021亿元以上"):
            lines = head(text, chars)
            assert not any(a[-1].isdigit() and not b[0].isdigit() and not b[0].isascii()
                           for a, b in itertools.pairwise(lines)), (chars, lines)
            assert not any(line.startswith(("μ", "m", "亿")) for line in lines), (chars, lines)


def test_a_particle_never_begins_a_display_line():
    for chars in range(3, 8):
        assert not any(line.startswith("的") for line in head("北京市的冬天格外寒冷的时候", chars)), chars


def test_a_word_that_begins_like_a_particle_may_begin_a_line():
    assert head("回顾党的十八大以来过去十年", 7) == ["回顾党的十八大", "以来过去十年"]
    assert head("认真回顾过去十年", 4) == ["认真回顾", "过去十年"]


def test_lines_are_balanced_not_filled():
    # 14 characters at 10 a line: two lines of 7, not 10 + 4
    assert [len(x) for x in head("中华人民共和国个人信息保护法", 10)] == [7, 7]


def test_the_editors_bar_forces_a_break_and_is_not_set():
    assert head("党员带头干|村子换新颜", 20) == ["党员带头干", "村子换新颜"]
    assert head("党员带头干\\|村子", 20) == ["党员带头干|村子"]


def test_a_word_joiner_forbids_a_break():
    assert head("国民经济", 3) == ["国民", "经济"]
    joined = head("国民\u2060经济", 3)
    assert joined != ["国民", "经济"] and "".join(joined) == "国民经济"
    assert head("奋进新征程\u2060建功新时代", 6) != ["奋进新征程", "建功新时代"]


def test_a_typed_space_is_the_first_choice_and_needs_no_segmenter():
    sys.modules.pop("rjieba", None)
    assert head("党员带头干 村子换新颜", 7) == ["党员带头干", "村子换新颜"]
    assert "rjieba" not in sys.modules  # the typed break set it in the fewest lines


def test_one_line_when_it_fits_and_fit_min_before_breaking():
    assert head("国民经济", 4) == ["国民经济"]
    assert head("国民经济", 3.5, fit_min=8.0) == ["国民经济"]  # set at 8.75 pt on one line


def test_markers_are_read_out_and_plain_text_has_none():
    m = display.marked("中华|人民 共和\u2060国\\|")
    assert m.text == "中华人民 共和国|"
    assert m.forced == frozenset({2}) and m.joined == frozenset({6})
    assert display.plain("中华|人民\u2060共和国") == "中华人民共和国"
    assert display.plain("普通标题") == "普通标题"


def test_word_bounds_words_and_their_parts():
    bounds = word_bounds("中华人民共和国个人信息保护法")
    assert bounds.words == frozenset({7, 11})
    assert {2, 4, 9} <= bounds.parts and not {1, 3, 6, 12, 13} & bounds.parts


def test_unbreakable_text_wider_than_the_line_is_still_set_whole():
    lines = head("eFinancialCareers", 4)
    assert "".join(lines) == "eFinancialCareers"


def test_word_boundaries_are_kept_on_disk_and_read_back(tmp_path, monkeypatch):
    from pagesetter.layout import wordcache

    first = wordcache.WordCache(tmp_path)
    bounds = first("中华人民共和国个人信息保护法")
    assert first.path().is_file() and bounds == word_bounds("中华人民共和国个人信息保护法")

    def no_segmenter(text):
        raise AssertionError("the segmenter was asked again")

    monkeypatch.setattr(wordcache, "word_bounds", no_segmenter)
    assert wordcache.WordCache(tmp_path)("中华人民共和国个人信息保护法") == bounds


@pytest.mark.parametrize("damage", [b"", b"pagesetter-words 1 crc32:00000000\n{}", b"\x00" * 40, None])
def test_a_damaged_word_cache_entry_is_made_again(tmp_path, damage):
    from pagesetter.layout import wordcache

    cache = wordcache.WordCache(tmp_path)
    path = cache.path()
    path.parent.mkdir(parents=True)
    if damage is None:  # a well-framed entry whose offsets are not offsets
        path.write_bytes(wordcache.framed(wordcache._MAGIC, b'{"\\u56fd\\u6c11": [["x"], []]}'))
    else:
        path.write_bytes(damage)
    assert cache("国民经济") == word_bounds("国民经济")
    assert wordcache.decode(path.read_bytes()) == {"国民经济": word_bounds("国民经济")}


def test_a_warm_build_does_not_load_the_segmenter(tmp_path):
    """The first build segments the heads that must break inside their phrases and keeps what it
    found in the cache folder; the next build, in a fresh process, reads it and loads no dictionary."""
    import subprocess

    from test_display_page import display_page

    spec = display_page(tmp_path / "p", 12)
    script = ("import sys; from pagesetter.build import build\n"
              f"build({str(spec)!r}, {str(tmp_path / 'p.pdf')!r}, png=False, cache_dir={str(tmp_path / 'cache')!r})\n"
              "print('rjieba' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["True\n", "False\n"]
