"""Break classes completed (issue 23, item 3) and Latin runs in narrow columns (item 1), on the
fixed-advance test face (1 em = 10 pt; ASCII ½ em, everything else 1 em): each class of
text.classes set at every width from 4 to 15 characters, by both breakers, and the rule checked
on every pair of lines — UAX #14 / CSS Text `line-break: normal` for Chinese, and `strict`."""
import pytest

from fixedfont import SIZE, par
from pagesetter.text import classes as C
from pagesetter.text.breaker import break_lines
from pagesetter.text.justify import set_paragraph

WIDTHS = range(4, 16)
BREAKERS = ("total-fit", "greedy")


def settings(text, **kw):
    """Every setting of `text`: (width in characters, breaker, lines)."""
    for chars in WIDTHS:
        for breaking in BREAKERS:
            p = par(text, 0, breaking=breaking, **kw)
            lines = set_paragraph(p, break_lines(p, lambda k, chars=chars: chars * SIZE))
            assert "".join(l.text for l in lines) == text.replace(" ", "")
            yield chars, breaking, lines


def other_gaps(text: str) -> bool:
    """Has the line a gap that may stretch: one not inside a Latin run nor before a Chinese mark
    after one? (A line without one is letter-spaced evenly, the last resort.)"""
    return any(not (C.in_run(a) and (C.in_run(b) or b in C.CLOSING)) for a, b in zip(text, text[1:]))


def line_texts(text, **kw):
    for chars, breaking, lines in settings(text, **kw):
        yield (chars, breaking), [l.text for l in lines]


def never_starts(text, ch, **kw):
    seen = 0
    for where, t in line_texts(text, **kw):
        assert not any(l.startswith(ch) for l in t[1:]), (where, t)
        seen += 1
    return seen


# one text per class: the mark sits after every position a 4–15 character line could end at
POSTFIX = "一二三四五六七八九37{}甲乙丙丁戊己庚"


@pytest.mark.parametrize("mark", sorted(C.NUMBER_POSTFIXES))
def test_a_postfix_never_leaves_its_number(mark):
    for where, t in line_texts(POSTFIX.format(mark)):
        assert not any(l.startswith(mark) for l in t[1:]), (where, t)
        assert any("37" + mark in l for l in t), (where, t)


@pytest.mark.parametrize("mark", sorted(C.NUMBER_POSTFIXES))
def test_a_postfix_after_a_typed_space_still_stays(mark):
    for where, t in line_texts("一二三四五六七八九37 {}甲乙丙丁".format(mark)):
        assert not any(l.startswith(mark) for l in t[1:]), (where, t)


@pytest.mark.parametrize("prefix", sorted(C.CURRENCY_PREFIXES))
def test_a_currency_prefix_never_ends_a_line(prefix):
    for text in (f"一二三四五六七八九售价{prefix}36000元甲乙", f"一二三四五六七八九售价 {prefix} 36000元甲乙"):
        for where, t in line_texts(text):
            assert not any(l.endswith(prefix) for l in t[:-1]), (where, t)


@pytest.mark.parametrize("number", ["1.7×10²¹", "10¹²", "400-800-0088", "2021-2022", "1,200,000", "¥199"])
def test_a_number_with_its_exponent_group_or_prefix_is_one_unit(number):
    for where, t in line_texts(f"一二三四五六七八九约{number}千克甲乙丙丁戊"):
        assert any(number in l for l in t), (where, t)


@pytest.mark.parametrize("number", ["1.7×10²¹", "400-800-0088", "$28", "37℃", "56%"])
def test_no_space_opens_inside_a_number(number):
    for (chars, breaking, lines) in settings(f"一二三四五六七八九约{number}，千克甲乙丙丁戊"):
        for line in lines:
            g = line.glyphs
            text = line.text
            at = text.find(number)
            if at < 0 or line.last or not other_gaps(text):
                continue
            steps = [round(g[i + 1].x - g[i].x, 3) for i in range(at, at + len(number))]
            natural = [5.0 if ch.isascii() else 10.0 for ch in number + "，"]
            assert steps == natural[:len(steps)], (chars, breaking, text, steps)  # nor before the comma


@pytest.mark.parametrize("mark", sorted(C.ITERATION_MARKS | C.CENTRED_MARKS) + ["ぁ", "ァ", "っ", "ッ", "ゃ", "ョ"])
def test_iteration_centred_and_small_kana_never_start_a_line(mark):
    assert never_starts(f"一二三四五六七八九十{mark}甲乙丙丁戊己庚辛壬癸", mark) == len(WIDTHS) * len(BREAKERS)


def test_a_two_dot_leader_never_starts_a_line_single_or_paired():
    for text in ("一二三四五六七八九十‥甲乙丙丁戊己庚辛壬癸", "一二三四五六七八九十‥‥甲乙丙丁戊己庚辛壬癸"):
        assert never_starts(text, "‥") == len(WIDTHS) * len(BREAKERS)


@pytest.mark.parametrize("mark", ["…", "⋯", "—", "⸺"])
def test_a_long_mark_never_starts_a_line_single_or_paired_in_any_mode(mark):
    for text in (f"一二三四五六七八九十{mark}甲乙丙丁戊己庚辛壬癸", f"一二三四五六七八九十{mark * 2}甲乙丙丁戊己庚辛壬癸"):
        never_starts(text, mark)
        never_starts(text, mark, strict=True)


@pytest.mark.parametrize("mark", sorted(C.STRICT_NO_START))
def test_strict_keeps_prolonged_sound_and_wave_dash_off_a_line_start(mark):
    text = f"一二三四五六七八九十{mark}甲乙丙丁戊己庚辛壬癸"
    never_starts(text, mark, strict=True)
    assert any(l.startswith(mark) for _, t in line_texts(text) for l in t[1:])  # normal allows it


URL = "详情可登录https://github.com/pagesetter/issues查询"
MAIL = "来信请发至reader-service@people.cn，谢谢"


@pytest.mark.parametrize("text", [URL, MAIL])
def test_a_url_or_address_breaks_only_after_its_break_marks(text):
    for where, t in line_texts(text):
        for a, b in zip(t, t[1:]):
            if C.in_run(a[-1]) and C.in_run(b[0]):
                assert a[-1] in C.URL_BREAKS and C.in_word(b[0]), (where, t)


@pytest.mark.parametrize("text", [URL, MAIL, "据统计，招聘网站eFinancialCareers显示，年薪在HKD 650,000 – 1,200,000之间。"])
def test_no_space_opens_inside_a_latin_run_on_a_line_with_other_gaps(text):
    for chars, _breaking, lines in settings(text):
        for line in lines[:-1]:
            glyphs, cells = line.glyphs, list(line.text)
            if not other_gaps(line.text):
                continue  # a line of one run alone is letter-spaced, the last resort
            for i, (a, b) in enumerate(zip(cells, cells[1:])):
                if C.in_run(a) and C.in_run(b) and i + 1 not in line.glyphs.spaced:
                    assert glyphs[i + 1].x - glyphs[i].x == pytest.approx(5.0, abs=1e-3), (chars, line.text)
                if C.in_run(a) and b in C.CLOSING:
                    assert glyphs[i + 1].x - glyphs[i].x == pytest.approx(5.0, abs=1e-3), (chars, line.text)


def test_a_han_latin_gap_stays_within_three_eighths_em_when_another_break_exists():
    # total-fit takes another break rather than open 七|8 past ⅜ em
    text = "一二三四五六七八九十一二三四五六七八九十甲乙丙ABCDEFGH丁戊己庚辛壬癸子丑寅卯辰"
    for chars in range(8, 16):
        p = par(text, 0)
        lines = set_paragraph(p, break_lines(p, lambda k, chars=chars: chars * SIZE))
        for line in lines[:-1]:
            g, t = line.glyphs, line.text
            for i in range(len(t) - 1):
                if C.is_han(t[i]) != C.is_han(t[i + 1]):
                    step = g[i + 1].x - g[i].x
                    width = 10.0 if C.is_han(t[i]) else 5.0
                    assert step - width <= 3.75 + 1e-3, (chars, t)


def test_past_the_caps_the_narrowest_gaps_open_first():
    # a line of two Han characters, a Latin word and one Han character cannot be set better: its
    # ordinary gap rises to the Han–Latin gaps' ⅜ em, then all three open alike (a water level)
    from pagesetter.text.lines import Break
    from pagesetter.text.justify import set_line
    p = par("甲乙ABCD丙丁", 0)
    line = set_line(p, Break(0, 7, 100.0, False))
    g = line.glyphs
    steps = [g[1].x - g[0].x - 10, g[2].x - g[1].x - 10, g[6].x - g[5].x - 5]
    assert steps[0] == pytest.approx(steps[1], abs=1e-3) and steps[1] == pytest.approx(steps[2], abs=1e-3)
    assert steps[0] > 3.75 and line.extent == pytest.approx(100)


def test_past_the_caps_a_word_space_at_half_an_em_waits_for_the_rest():
    # 5 pt past the caps: the three Han–Han gaps rise from ¼ to ⅜ em (3.75 pt), the last 1.25 pt
    # goes to them and the two Han–Latin gaps alike (0.4 em each); the word space, already ½ em,
    # stays — an equal share (the rule before) opened it to 0.58 em, a hole
    from pagesetter.text.lines import Break
    from pagesetter.text.justify import set_line
    p = par("甲乙丙丁AB CD戊", 0)
    line = set_line(p, Break(0, len(p), 95.0, False))
    steps = [b.x - a.x for a, b in zip(line.glyphs, line.glyphs[1:])]
    assert steps == pytest.approx([14.0, 14.0, 14.0, 14.0, 5.0, 10.0, 5.0, 9.0], abs=1e-3)
    assert line.extent == pytest.approx(95.0)


def test_a_line_of_one_run_alone_is_letter_spaced_evenly_not_left_short():
    from pagesetter.text.lines import Break
    from pagesetter.text.justify import set_line
    p = par("github.com/pagesetter/", 0)
    line = set_line(p, Break(0, 22, 120.0, False))
    steps = [b.x - a.x for a, b in zip(line.glyphs, list(line.glyphs)[1:])]
    assert max(steps) - min(steps) < 1e-3 and min(steps) > 5.0 and line.extent == pytest.approx(120)


@pytest.mark.parametrize("mark", ["™", "®"])
def test_no_gap_before_trade_marks(mark):
    for text in (f"他用Excel{mark}和Word整理资料甲乙丙丁", f"他用Excel {mark}和Word整理资料甲乙丙丁"):
        for chars, _breaking, lines in settings(text):
            for line in lines:
                t = line.text
                if "l" + mark in t and other_gaps(t):
                    i = t.index("l" + mark)
                    assert line.glyphs[i + 1].x - line.glyphs[i].x == pytest.approx(5.0), (chars, t)
                assert not t.startswith(mark)


def test_an_opening_mark_at_a_line_start_keeps_its_blank_whole_or_loses_it_whole():
    # the line must be squeezed (一、 …, 十、 push in): the 「 at its start is never squeezed part-way
    text = "「一二三、四五六七八九十、」甲乙丙丁"
    for trim, origin in ((False, 0.0), (True, -5.0)):
        for chars in (10, 11, 12):
            p = par(text, 0, trim_line_start=trim)
            lines = set_paragraph(p, break_lines(p, lambda k, chars=chars: chars * SIZE))
            assert lines[0].glyphs[0].x == pytest.approx(origin), (trim, chars, lines[0].text)


def test_a_hash_is_no_prefix_a_topic_mark_may_end_a_line():
    # #两会# (a topic): the closing # may end a line; #1 stays whole
    ends = [t for _, t in line_texts("一二三四五六七八九话题#两会#甲乙丙丁戊己庚辛壬癸子丑寅卯") if any(l.endswith("#") for l in t[:-1])]
    assert ends
    for where, t in line_texts("一二三四五六七八九第#1号甲乙丙丁"):
        assert any("#1" in l for l in t), (where, t)


@pytest.mark.parametrize("unit", ["μm", "kg", "GHz", "m"])
def test_a_unit_after_a_typed_space_stays_with_its_number(unit):
    text = f"一二三四五六七八九不到3 {unit}高的雪人甲乙丙丁戊"
    for where, t in line_texts(text):
        assert not any(l.startswith(unit) for l in t[1:]), (where, t)
    # a word that only begins like a unit is no unit: the space may break there
    assert any(l.startswith("men") for _, t in line_texts("一二三四五六七八九十3 men甲乙") for l in t[1:])


def test_after_the_first_line_indent_an_opening_mark_keeps_its_full_em():
    # 段首: the indent counts in whole characters, the mark after it takes its cell, never squeezed
    for chars in (8, 9, 10, 11):
        p = par("“一二三、四五六七八九十、”甲乙丙丁戊己庚辛", 2)
        lines = set_paragraph(p, break_lines(p, lambda k, chars=chars: chars * SIZE))
        assert lines[0].glyphs[0].x == pytest.approx(20.0), (chars, lines[0].text)
        assert lines[0].glyphs[1].x == pytest.approx(30.0, abs=2.0)  # 一 a cell after it (give or take spacing)
