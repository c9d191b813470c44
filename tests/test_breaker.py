"""Line breaking and justification, line by line, on the fixed-advance test face (1 em = 10 pt)."""
import pytest

from fixedfont import SIZE, par
from pagesetter.text.breaker import break_lines
from pagesetter.text.justify import set_paragraph


def lines(text, chars=10, indent=0.0, **settings):
    p = par(text, indent, **settings)
    return [l for l in set_paragraph(p, break_lines(p, lambda k: chars * SIZE))]


def texts(text, chars=10, **kw):
    return [l.text for l in lines(text, chars, **kw)]


def test_plain_han_fills_whole_lines():
    assert texts("一二三四五六七八九十甲乙丙丁戊己庚辛") == ["一二三四五六七八九十", "甲乙丙丁戊己庚辛"]


def test_first_line_indent_two_em():
    ls = lines("一二三四五六七八九十甲乙丙丁", indent=2)
    assert ls[0].text == "一二三四五六七八"
    assert ls[0].glyphs[0].x == pytest.approx(20)


def test_no_line_starts_with_closing_mark_push_in():
    # natural break falls before "，"; the line has a squeezable "、" so the comma is pushed in
    ls = lines("一二、四五六七八九十，甲乙丙丁戊")
    assert ls[0].text == "一二、四五六七八九十，"
    assert ls[0].extent == pytest.approx(100)  # squeezed to fit exactly


def test_push_out_when_nothing_to_squeeze():
    # no squeezable mark in the line and 1 em over: the last character goes down with the marks (推出)
    ls = lines("一二三四五六七八九十。”甲乙丙丁")
    assert [l.text for l in ls] == ["一二三四五六七八九", "十。”甲乙丙丁"]
    assert ls[0].extent == pytest.approx(100)  # stretched flush


def test_tight_setting_before_push_out():
    # ½ em over and no mark to squeeze: the ten ordinary gaps close by 0.05 em each (紧排) rather
    # than pushing 十 out and letter-spacing the rest by 0.125 em
    ls = lines("一二三四五六七八九十，甲乙丙丁")
    assert [l.text for l in ls] == ["一二三四五六七八九十，", "甲乙丙丁"]
    g = ls[0].glyphs
    assert g[1].x - g[0].x == pytest.approx(10 - 0.5, abs=1e-3)
    assert ls[0].extent == pytest.approx(100)


def test_no_line_ends_with_opening_mark():
    t = texts("一二三四五六七八九“甲乙”丙丁")
    assert not any(l.endswith("“") for l in t)
    assert any("“甲" in l for l in t)  # the quote stays with what it opens


def test_dash_pair_never_split():
    t = texts("一二三四五六七八九——甲乙丙")
    assert all(not l.endswith("—") or l.endswith("——") for l in t)
    assert all(not l.startswith("—") or l.startswith("——") for l in t)
    assert "".join(t) == "一二三四五六七八九——甲乙丙"


def test_ellipsis_pair_never_split():
    t = texts("一二三四五六七八九……甲乙丙")
    assert not any(l.endswith("…") and not l.endswith("……") for l in t)


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("marks", ["——", "……", "⸺", "⋯⋯"])
def test_long_marks_never_start_a_line_in_any_mode(marks, strict):
    t = texts(f"一二三四五六七八九十{marks}甲乙丙", strict=strict)
    assert len(t) > 1 and not any(l.startswith(marks[0]) for l in t), t
    assert "".join(t) == f"一二三四五六七八九十{marks}甲乙丙"  # the character before taken along (推出)
    assert t[1].startswith("十" + marks), t


def test_number_never_split():
    t = texts("一二三四五六七八25.5万名党员")
    assert not any(a[-1].isdigit() and b[0] in "0123456789." for a, b in zip(t, t[1:]))
    assert "25.5" in "".join(t)


def test_percent_stays_with_number():
    t = texts("一二三四五六七八九56%甲乙")
    assert not any(l.startswith("%") for l in t)


def test_latin_word_never_split():
    t = texts("一二三四五六七八九abcdef甲乙")
    assert any("abcdef" in l for l in t)


def test_line_end_closing_mark_trimmed_to_half_em():
    ls = lines("一二三四五六七八九。甲乙丙")
    first = ls[0]
    assert first.text.endswith("。")
    assert first.glyphs[-1].x == pytest.approx(95, abs=0.01)  # ½ em stretch spread, mark ends flush
    assert first.extent == pytest.approx(100)


def test_adjacent_marks_quanjiao_two_em_to_one_and_half():
    ls = lines("一二。”三四五")
    g = ls[0].glyphs
    assert g[3].x - g[2].x == pytest.approx(5)  # 。 takes ½ em before ”


def test_kaiming_commas_half_stops_full():
    g = lines("一，二。三四", punct_style="kaiming")[0].glyphs
    assert g[2].x - g[1].x == pytest.approx(5)
    assert g[4].x - g[3].x == pytest.approx(10)


def test_banjiao_all_marks_half():
    g = lines("一，二。三四", punct_style="banjiao")[0].glyphs
    assert g[2].x - g[1].x == pytest.approx(5)
    assert g[4].x - g[3].x == pytest.approx(5)


def test_han_latin_quarter_em():
    g = lines("年产值1亿元")[0].glyphs
    assert g[3].x - g[2].x == pytest.approx(12.5)  # 值 1 em + ¼ em
    g0 = lines("年产值1亿元", han_latin_space=0)[0].glyphs
    assert g0[3].x - g0[2].x == pytest.approx(10)


def test_no_single_character_last_line():
    t = texts("一二三四五六七八九十甲")
    assert len(t[-1]) >= 2 or len(t) == 1
    assert t == ["一二三四五六七八九", "十甲"]


def test_single_character_with_mark_counts_as_orphan():
    t = texts("一二三四五六七八九十甲。")
    assert t[-1] == "十甲。"


def test_orphan_control_can_be_off():
    assert texts("一二三四五六七八九十甲", orphan_control=False)[-1] == "甲"


def test_justified_lines_flush_last_line_natural():
    ls = lines("一二三四五六七25八九甲乙丙丁戊己庚辛")
    for l in ls[:-1]:
        assert l.extent == pytest.approx(100)
    last = ls[-1]
    gaps = [b.x - a.x for a, b in zip(last.glyphs, last.glyphs[1:])]
    assert all(g == pytest.approx(10) for g in gaps)


def test_width_per_line():
    p = par("一二三四五六七八九十甲乙丙丁戊己庚辛")
    bs = break_lines(p, lambda k: (5 if k == 0 else 8) * SIZE)
    assert [b.end - b.start for b in bs] == [5, 8, 5]


def test_concatenation_equals_input():
    text = "“村党支部领办合作社，党员带头做示范，我们跟着干。”贵州织金县龙场镇青山村——在外打工多年的村民李学昌……2021年8月"
    assert "".join(texts(text, 7)) == text


def test_closing_mark_before_ellipsis_compressed():
    g = lines("甲乙”……丙丁")[0].glyphs
    assert g[3].x - g[2].x == pytest.approx(5)  # ” keeps ½ em before the ellipsis


def test_opening_mark_after_dash_compressed():
    g = lines("甲乙——“丙丁”")[0].glyphs
    # “ loses its leading blank: its origin moves ½ em left of its cell (at 40), so its ink
    # follows the dash directly
    assert g[4].x == pytest.approx(35)


def test_han_latin_gaps_stretch_first_up_to_three_eighths_em_never_a_hole():
    ls = lines("一二三四五六七8八九十。”甲乙", chars=11)
    g = ls[0].glyphs
    # 十 cannot take 。” along (even set tight it would need 11.25 em), so it goes down (推出): the line
    # is 10 em natural in 11 em (the digit is ½ em); the two Han–Latin gaps grow ⅛ em each
    # (¼ → ⅜ em, never more), the remaining ¾ em is spread over the 7 ordinary gaps only
    assert ls[0].text == "一二三四五六七8八九"
    each = 7.5 / 7
    assert g[7].x - g[6].x == pytest.approx(10 + 3.75, abs=1e-3)
    assert g[8].x - g[7].x == pytest.approx(5 + 3.75, abs=1e-3)
    assert g[1].x - g[0].x == pytest.approx(10 + each, abs=1e-3)
    assert ls[0].extent == pytest.approx(110)


def test_han_latin_gaps_shrink_to_eighth_em_when_pushing_in():
    p = par("一二三四五六七8八九，十甲乙")
    ls = set_paragraph(p, break_lines(p, lambda k: 102.5))
    assert ls[0].text == "一二三四五六七8八九，"
    g = ls[0].glyphs
    assert g[7].x - g[6].x == pytest.approx(10 + 1.25)  # ⅛ em left between 七 and 8
    assert ls[0].extent == pytest.approx(102.5)


def test_no_han_latin_space_next_to_chinese_punctuation():
    g = lines("一，8二")[0].glyphs
    assert g[2].x - g[1].x == pytest.approx(10)


def test_interpunct_set_half_em():
    g = lines("新时代·伟大")[0].glyphs
    assert g[4].x - g[2].x == pytest.approx(15)  # 代 1 em, · ½ em


REAL = ("“社区是党和政府服务群众的‘最后一公里’。作为社区党总支书记，我要求自己像钉钉子一样把自己‘钉’在本职岗位上。”"
        "一大早，河北雄安新区容东管理委员会南文营社区党总支书记王伟肖就忙着入户走访、协调帮扶。全国累计选派25.5万个驻村工作队、"
        "300多万名第一书记和驻村干部，同近200万名乡镇干部和数百万村干部一道奋战在扶贫一线……《中国共产党农村基层组织工作条例》"
        "等一系列党内法规——深刻总结党的十八大以来的管党治党经验。")


@pytest.mark.parametrize("breaking", ["total-fit", "greedy"])
@pytest.mark.parametrize("chars", [9, 11, 12, 13, 19])
@pytest.mark.parametrize("style", ["quanjiao", "kaiming", "banjiao"])
def test_rules_hold_on_real_text(breaking, chars, style):
    from pagesetter.text import classes as C
    ls = lines(REAL, chars, indent=2, breaking=breaking, punct_style=style)
    assert "".join(l.text for l in ls) == REAL
    for a, b in zip(ls, ls[1:]):
        assert b.text[0] not in C.NO_START, b.text
        assert a.text[-1] not in C.NO_END, a.text
        assert a.text[-1] + b.text[0] not in C.UNBREAKABLE_PAIRS
        assert not (a.text[-1].isdigit() and b.text[0].isdigit())
        assert a.extent == pytest.approx(chars * SIZE, abs=0.01), a.text  # flush both edges
    assert sum(1 for ch in ls[-1].text if not C.is_punct(ch)) >= 2


def test_total_fit_evens_spacing_where_greedy_cannot():
    from pagesetter.text.breaker import greedy
    from pagesetter.text.totalfit import demerits
    p = par(REAL, 2)
    g = greedy(p, lambda k: 120)
    t = break_lines(p, lambda k: 120)
    assert demerits(p, t) <= demerits(p, g)


def test_total_fit_offers_other_line_counts():
    p = par(REAL, 2)
    best = break_lines(p, lambda k: 120)
    longer = break_lines(p, lambda k: 120, lines=len(best) + 1)
    assert longer is not None and len(longer) == len(best) + 1
    assert break_lines(p, lambda k: 120, lines=3) is None  # far too few lines: impossible


class NarrowQuotes:
    """A face whose “” are proportional (0.4 em), as in LXGW WenKai."""

    def advance(self, ch):
        return 0.4 if ch in "“”" else 1.0

    def ink_x(self, ch):
        return (0.05, 0.35) if ch in "“”" else (0.05, 0.95)


def test_proportional_quotes_set_in_full_width_cells():
    from pagesetter.text.measure import Composition, Run, measure
    p = measure([Run("甲“乙”丙", "f", SIZE)], lambda f: NarrowQuotes(), Composition(), 0)
    g = set_paragraph(p, break_lines(p, lambda k: 100))[0].glyphs
    assert g[2].x - g[0].x == pytest.approx(20)  # “ takes a full cell after 甲
    assert g[1].x == pytest.approx(10 + 6)  # its ink at the cell's right: drawn 0.6 em in
    assert g[3].x == pytest.approx(30)  # ” at its cell's left
    assert g[4].x - g[3].x == pytest.approx(10)


def test_no_stretch_inside_a_number():
    ls = lines("一二三四五六七25.5八，九十", chars=10, han_latin_space=0)
    g = ls[0].glyphs
    assert ls[0].text == "一二三四五六七25.5"  # 八 goes down with the comma (推出): 1 em to spread
    digits = g[7:11]
    # 2 5 . 5 at their natural half-em advances: nothing added around the decimal point
    assert [round(b.x - a.x, 3) for a, b in zip(digits, digits[1:])] == [5.0, 5.0, 5.0]
    assert g[1].x - g[0].x == pytest.approx(10 + 10 / 7, abs=1e-3)  # the 7 other gaps took the stretch
    assert ls[0].extent == pytest.approx(100)


def test_percent_sign_not_spaced_from_its_number():
    ls = lines("一二三四五六七八56%九，十", chars=10, han_latin_space=0)
    g = ls[0].glyphs
    assert ls[0].text == "一二三四五六七八56%"  # ½ em short: spread over the Han gaps only
    assert [round(b.x - a.x, 3) for a, b in zip(g[8:11], g[9:11])] == [5.0, 5.0]


def test_kaiming_halves_opening_marks_too():
    g = lines("一“二”三四", punct_style="kaiming")[0].glyphs
    assert g[2].x - g[0].x == pytest.approx(15)  # “ set ½ em
    assert g[4].x - g[3].x == pytest.approx(5)  # ” set ½ em


def test_space_never_licenses_a_prohibited_break():
    from pagesetter.text import classes as C
    for text in ("一二三四五六七八九十 。一二三四五", "一二三四五六七八九（ 十一二三四"):
        for breaking in ("total-fit", "greedy"):
            t = texts(text, breaking=breaking)
            assert all(l[0] not in C.NO_START for l in t[1:]) and all(l[-1] not in C.NO_END for l in t), t


def test_full_width_number_and_accented_word_stay_whole():
    t = texts("一二三四五六七八２０２２２０２２年", chars=10)
    assert any("２０２２２０２２" in l for l in t), t
    t = texts("一二三四五六七八九café甲乙", chars=10)
    assert any("café" in l for l in t), t


def test_full_width_percent_and_hyphen_never_start_a_line():
    t = texts("一二三四五六七八５６％一二", chars=10)
    assert not any(l.startswith("％") for l in t), t
    t = texts("一二三四五六七八九十COVID-19疫情", chars=15)
    assert not any(l.startswith("-") for l in t), t


def test_two_em_dash_never_starts_a_line():
    for strict in (True, False):
        t = texts("一二三四五六七八九十⸺一二三四", strict=strict)
        assert not any(l.startswith("⸺") for l in t), t


def test_tracking_never_opens_a_dash_pair():
    g = lines("一二——三四", tracking=0.05)[0].glyphs
    ink_end = g[2].x + g[2].scale * 0.95 * 10  # the fixed face's dash ink spans 0.05–0.95 em
    ink_start = g[3].x + g[3].scale * 0.05 * 10
    assert ink_end > ink_start and ink_end - ink_start < 0.1  # the two halves of —— touch
    assert g[2].scale > 1.05 and g[3].scale == g[2].scale  # ink 0.9 em stretched to 0.955 em
    assert g[1].x - g[0].x == pytest.approx(10.5)


def test_ideographic_space_is_one_em():
    g = lines("本报记者　赵成", chars=20)[0].glyphs
    assert [x.ch for x in g] == list("本报记者赵成")
    assert g[4].x - g[3].x == pytest.approx(20)  # 者, then one em of 　, then 赵


def test_enclosed_number_is_no_latin():
    g = lines("图①：湖南")[0].glyphs
    assert g[1].x - g[0].x == pytest.approx(10)  # no Han–Latin space before ①


@pytest.mark.parametrize("stop", ["？", "！"])
def test_question_and_exclamation_marks_never_squeezed_mid_line(stop):
    # ½ em over, with a ？/！ and a ， in the line: the comma gives its blank, the stop keeps 1 em
    ls = lines(f"一二{stop}三四，五六七八九十甲乙", chars=10)
    g = ls[0].glyphs
    assert ls[0].text.startswith(f"一二{stop}三四，")
    assert g[3].x - g[2].x == pytest.approx(10)  # the stop is set full width
    # nothing else to squeeze: the line is set tight or breaks elsewhere, the stop stays full
    for l in lines(f"一二三{stop}四五六七八九十甲乙丙", chars=10):
        chars = [x.ch for x in l.glyphs]
        if stop in chars[:-1]:
            i = chars.index(stop)
            assert l.glyphs[i + 1].x - l.glyphs[i].x >= 9.5


def test_full_stop_squeezed_only_as_the_last_resort():
    from pagesetter.text import classes as C
    assert "。" in C.SQUEEZABLE_STOPS and not {"？", "！"} & C.SQUEEZABLE_STOPS
    assert C.SHRINK_ORDER[-1] == "stop" and C.SHRINK_ORDER.index("comma") < C.SHRINK_ORDER.index("tight")


def test_interpunct_ending_a_line_is_flush():
    # the fixed face's · is 1 em wide: set in ½ em; at a line's end its box ends at the edge
    ls = lines("一二三四五六七八九·十甲乙丙丁", chars=9.5)
    assert ls[0].text.endswith("·")
    last = ls[0].glyphs[-1]
    assert last.x + 10 == pytest.approx(95)  # origin + advance: flush with the column edge
    mid = lines("一二·三四", chars=10)[0].glyphs
    assert mid[2].x == pytest.approx(20 - 2.5)  # mid-line: ink centred in its ½ em


def test_loose_line_priced_above_tight_setting_and_stranding():
    from pagesetter.layout.column import STRANDED
    from pagesetter.text.totalfit import LOOSE, STOP_SQUEEZE, TIGHT
    assert LOOSE > STRANDED > STOP_SQUEEZE > 2 * TIGHT


def test_total_fit_never_chooses_a_loose_line_when_a_tighter_set_exists():
    from fixedfont import par as fpar
    from pagesetter.text.lines import Sums
    p = fpar(REAL, 2)
    breaks = break_lines(p, lambda k: 120)
    sums = Sums(p)
    loose = [b for b in breaks if not b.last and sums.stretch_per_gap(b.start, b.end, b.width) / 10 >= 0.095]
    assert loose == []


def test_ideographic_space_keeps_its_em_in_a_squeezed_line():
    """本报讯　: the full-width space is not a Latin word space that 先挤进 may shrink to ¼ em
    to pull a closing mark in (it was set 0.25 em on the scaffold's first line)."""
    for breaking in ("total-fit", "greedy"):
        ls = lines("本报讯　一二三四五六。七八九十甲乙丙丁戊己庚", chars=10, breaking=breaking)
        g = ls[0].glyphs
        assert [x.ch for x in g[:4]] == list("本报讯一")
        # one em of 讯 and one of 　, less at most the 0.05 em any gap may close when set tight
        assert g[3].x - g[2].x >= 20 - 0.5 - 1e-6, (breaking, [l.text for l in ls])
