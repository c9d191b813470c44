"""A set line's glyphs as a GlyphRun: origins placed by the fast path (running sums, pushes checked
only where one may be needed) equal the glyph-by-glyph reference, and the run reads as the tuple
of PlacedGlyph it stands for."""
import pytest

from fixedfont import SIZE, FixedMetrics, par
from pagesetter.text.breaker import break_lines
from pagesetter.text.justify import GlyphRun, PlacedGlyph, _exact_origins, _deltas, set_line, set_paragraph
from pagesetter.text.lines import Break, Sums
from pagesetter.text.measure import Composition, Run, measure

TEXT = ("本报讯　（记者 Wang Li）“基层党建”——全区120个村、25.5%的社区参与……"
        "《条例》（试行）·说明：“对！”他说。Party building 在 2023 年增长，")


def _reference(p, brk, sums):
    squeeze, steps = _deltas(p, brk, sums)
    steps.append(0.0)
    return _exact_origins(p, brk, [squeeze.get(i, 0.0) for i in range(brk.start, brk.end)], steps)


@pytest.mark.parametrize("settings", [
    {}, {"punct_style": "kaiming"}, {"punct_style": "banjiao", "trim_line_start": True},
    {"tracking": -0.05}, {"tracking": 0.1, "tight": False}])
@pytest.mark.parametrize("chars", [7, 11.5, 16])
def test_fast_origins_equal_the_glyph_by_glyph_reference(settings, chars):
    p = par(TEXT * 2, 2.0, **settings)
    sums = Sums(p)
    breaks = break_lines(p, lambda k: chars * SIZE)
    for brk in breaks + [Break(b.start, b.end, b.width, True, b.overfull) for b in breaks]:
        xs, extent = _reference(p, brk, sums)
        line = set_line(p, brk, sums)
        assert line.glyphs.xs == tuple(xs)  # the same floats, not just close ones
        assert line.extent == round(extent, 4)


def test_a_pushed_origin_is_placed_as_the_reference_places_it():
    """开明式 “ after a glyph narrower than its blank, or any glyph after one of no width, would
    start where its neighbour starts, or before: it is pushed on (MIN_ORIGIN_STEP) exactly as the
    reference pushes it."""
    class Narrow(FixedMetrics):
        def advance(self, ch):
            return 0.0 if ch == "1" else super().advance(ch)

    for text in ("他说1“对”1“好”", "他11说1"):  # (a glyph of no width: its neighbour is pushed on)
        p = measure([Run(text, "f", SIZE)], lambda f: Narrow(), Composition(punct_style="kaiming"), 0.0)
        sums = Sums(p)
        brk = Break(0, len(p), 200.0, True)
        xs, _ = _reference(p, brk, sums)
        assert set_line(p, brk, sums).glyphs.xs == tuple(xs)
        assert all(b > a for a, b in zip(xs, xs[1:]))


def test_a_glyph_run_reads_as_its_placed_glyphs():
    p = par("甲乙 ab，“丙”", 0.0)
    run = set_paragraph(p, break_lines(p, lambda k: 100.0))[0].glyphs
    placed = tuple(run)
    assert all(isinstance(g, PlacedGlyph) for g in placed)
    assert [g.ch for g in placed] == list(run.text) == list("甲乙ab，“丙”")
    assert [g.x for g in placed] == list(run.xs) and len(run) == len(placed)
    assert [g.space_before for g in placed] == [i == 2 for i in range(len(placed))]  # "甲乙 ab"
    assert run == placed and placed == run and hash(run) == hash(placed)
    assert run[-1] == placed[-1] and run[1:3] == placed[1:3]
    assert GlyphRun.of(placed) == run and GlyphRun.of(run) is run
    assert run.size == SIZE
    with pytest.raises(AttributeError):
        run.xs = ()
