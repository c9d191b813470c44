"""Every unit units.py reads, converted to points, and every way a length can be wrong."""
import math

import pytest

from pagesetter import units
from pagesetter.units import Context, UnitError, font_size, length

MM = 72 / 25.4
CTX = Context(em=9.0, line=14.0, column=117.0, gutter=9.0)


@pytest.mark.parametrize("text, points", [
    (12, 12.0), (7.5, 7.5), (0, 0.0), (-3, -3.0),        # a bare number is points
    ("12", 12.0), ("12pt", 12.0), ("12 pt", 12.0), ("12PT", 12.0), (" 9.5pt ", 9.5),
    ("10mm", 10 * MM), ("3.5mm", 3.5 * MM), ("1cm", 10 * MM), ("1in", 72.0), ("2IN", 144.0),
    ("40q", 40 * 0.25 * MM), ("40Q", 40 * 0.25 * MM), ("40级", 40 * 0.25 * MM),
    (".5mm", 0.5 * MM), ("3.pt", 3.0), ("-2mm", -2 * MM),
])
def test_absolute_units(text, points):
    assert length(text, CTX) == pytest.approx(points)


@pytest.mark.parametrize("text, points", [
    ("2字", 18.0), ("2em", 18.0), ("0.5字", 4.5), ("1EM", 9.0),  # body characters
    ("3行", 42.0), ("1行", 14.0),                                  # body lines (pitch)
    ("1栏", 117.0), ("2栏", 2 * 117 + 9), ("3栏", 3 * 117 + 2 * 9),  # columns with the gutters between
    ("0.5栏", 58.5),
])
def test_relative_units_follow_the_context(text, points):
    assert length(text, CTX) == pytest.approx(points)


def test_relative_units_default_context():
    assert length("1字") == pytest.approx(Context().em)
    assert length("1行") == pytest.approx(Context().line)


@pytest.mark.parametrize("name, points", sorted(units.ZIHAO.items()))
def test_every_zihao(name, points):
    assert length(name) == points
    assert font_size(name) == points


def test_zihao_table_is_the_usual_one():
    assert units.ZIHAO["初号"] == 42 and units.ZIHAO["小五"] == 9 and units.ZIHAO["五号"] == 10.5
    sizes = list(units.ZIHAO.values())
    assert sizes == sorted(sizes, reverse=True)  # 初号 largest … 八号 smallest


def test_font_size_relative_to_body():
    assert font_size("2字", Context(em=10.5)) == 21
    assert font_size("9pt") == 9 and font_size(12) == 12


@pytest.mark.parametrize("bad", ["", "pt", "12px", "12 pts", "1e5pt", "五号字", "12pt 3mm", "abc",
                                 "12..5mm", "--3mm", "3mm!", "十二pt"])
def test_unreadable_lengths(bad):
    with pytest.raises(UnitError) as info:
        length(bad, CTX)
    assert repr(bad) in str(info.value)


def test_unknown_unit_names_the_accepted_ones():
    with pytest.raises(UnitError, match=r"unknown unit 'px'.*pt, mm, cm, in, q, 字号 names, 字/em, 行 or 栏"):
        length("12px")


def test_bad_form_shows_examples():
    with pytest.raises(UnitError, match=r"write e.g. 9pt, 3mm, 40q, 小五, 2字, 3行 or 1栏"):
        length("twelve")


@pytest.mark.parametrize("bad", [None, True, False, [12], {"pt": 12}, object()])
def test_non_lengths(bad):
    with pytest.raises(UnitError, match="is not a length"):
        length(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 10 ** 400])
def test_non_finite_numbers(bad):
    with pytest.raises(UnitError, match="not a finite length"):
        length(bad)


@pytest.mark.parametrize("bad", [0, "0pt", -9, "-2mm", "0字"])
def test_font_size_must_be_positive(bad):
    with pytest.raises(UnitError, match="must be positive"):
        font_size(bad)


def test_unit_error_is_a_value_error():
    assert issubclass(UnitError, ValueError)
