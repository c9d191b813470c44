"""The compose stage's memos and shortcuts give what a fresh computation gives: a measured
character reused across paragraphs and punctuation styles, glue reused by character pair, total-fit
reused only when the widths it read agree, and total-fit's written-out line costs."""
import itertools

import pytest

import pagesetter.layout.setting as setting
from fixedfont import FixedMetrics, SIZE
from pagesetter.layout.setting import Typesetter
from pagesetter.pagespec.model import Style
from pagesetter.text.measure import Composition, Run, measure

TEXT = "“基层党建”工作，要让群众看得见、摸得着。今年以来，全区一百二十个村（社区）完成换届，" * 3


@pytest.mark.parametrize("style", ["quanjiao", "kaiming", "banjiao"])
def test_a_shared_glyph_cache_measures_as_a_fresh_one(style):
    cache: dict = {}
    metrics = lambda f: FixedMetrics()  # noqa: E731
    for settings in (Composition(punct_style="quanjiao"), Composition(punct_style=style)):
        for size in (SIZE, 9.0):
            runs = [Run(TEXT, "f", size), Run("（完）", "f", size)]
            assert measure(runs, metrics, settings, 2.0, cache) == measure(runs, metrics, settings, 2.0)


def _counting(monkeypatch) -> list:
    calls: list = []
    real = setting.total_fit_options

    def counted(par, width_of, sums=None):
        calls.append(par)
        return real(par, width_of, sums)

    monkeypatch.setattr(setting, "total_fit_options", counted)
    return calls


def _widths(first: float, rest: float, change_at: int):
    return lambda k: first if k < change_at else rest


def test_total_fit_is_reused_when_only_unread_widths_differ(monkeypatch):
    calls = _counting(monkeypatch)
    ts = Typesetter({"song": FixedMetrics()}, Composition())
    runs = [(TEXT, Style("body", "song", SIZE))]
    a = ts.variants(runs, _widths(130.0, 90.0, 60), 2.0)  # about 17 lines: line 60 is never read
    b = ts.variants(runs, _widths(130.0, 70.0, 60), 2.0)
    assert a == b and len(calls) == 1
    fresh = Typesetter({"song": FixedMetrics()}, Composition())
    assert a == fresh.variants(runs, _widths(130.0, 70.0, 60), 2.0)


def test_total_fit_runs_again_when_a_read_width_differs(monkeypatch):
    calls = _counting(monkeypatch)
    ts = Typesetter({"song": FixedMetrics()}, Composition())
    runs = [(TEXT, Style("body", "song", SIZE))]
    wide = ts.variants(runs, _widths(130.0, 130.0, 0), 2.0)
    narrow = ts.variants(runs, _widths(130.0, 90.0, 3), 2.0)  # the fourth line onwards narrower
    assert len(calls) == 2
    assert max(narrow) > max(wide)  # narrower lines take more of them
    fresh = Typesetter({"song": FixedMetrics()}, Composition())
    assert narrow == fresh.variants(runs, _widths(130.0, 90.0, 3), 2.0)
    assert ts.lines(runs, _widths(130.0, 90.0, 3), 2.0) == fresh.lines(runs, _widths(130.0, 90.0, 3), 2.0)


RULED = ("本报讯　（记者 Wang Li）“基层党建”——全区120个村、25.5%的社区、1,400名党员参与……"
         "ＡＢ１２号楼¥30元，10:30开会⸺好！《条例》（试行）·说明……“对！”他说。")


class _Everything:
    """A set holding every character (to send every pair through the rules in full context)."""

    def __contains__(self, ch) -> bool:
        return True


@pytest.mark.parametrize("settings", [
    Composition(), Composition(strict=True), Composition(han_latin_space=0.0, tight=False),
    Composition(punct_style="kaiming", tracking=-0.02), Composition(punct_style="banjiao", tracking=0.01)])
def test_glue_memoised_by_pair_is_the_glue_read_in_context(settings, monkeypatch):
    from pagesetter.text import measure as measuring

    metrics = lambda f: FixedMetrics()  # noqa: E731
    runs = [Run(RULED, "f", SIZE), Run(RULED[::-1], "f", 9.0)]  # two sizes meet mid-paragraph
    cache: dict = {}
    memoised = [measure(runs, metrics, settings, 2.0, cache) for _ in range(2)]  # the second all memo
    monkeypatch.setattr(measuring, "_CONTEXTUAL", _Everything())  # every gap from the whole text
    in_context = measure(runs, metrics, settings, 2.0)
    assert memoised[0].gaps == memoised[1].gaps == in_context.gaps
    assert memoised[0] == in_context


@pytest.mark.parametrize("settings", [
    Composition(), Composition(tight=False, orphan_control=False),
    Composition(trim_line_start=True, punct_style="kaiming"), Composition(tracking=-0.03)])
def test_total_fit_demerits_are_the_line_costs(settings):
    """total-fit prices lines with line_cost's arithmetic written out in its inner loop: each
    setting's demerits are exactly the sum of its lines' line_cost."""
    from pagesetter.text.totalfit import demerits, total_fit

    p = measure([Run(RULED * 4 + TEXT, "f", SIZE)], lambda f: FixedMetrics(), settings, 2.0)
    checked = 0
    for widths in ((130.0,), (130.0, 130.0, 95.0), (101.0, 177.5), (160.0, 120.0)):
        options = total_fit(p, lambda k, widths=widths: widths[min(k, len(widths) - 1)])
        for cost, breaks in options.values():
            assert cost == demerits(p, breaks)
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("settings", [
    Composition(), Composition(tight=False, orphan_control=False),
    Composition(trim_line_start=True, punct_style="kaiming"), Composition(tracking=-0.03),
    Composition(tracking=0.05, punct_style="banjiao")])
def test_total_fit_tries_every_line_that_can_be_set(settings):
    """total-fit's inner loop starts at the first end its bound (_Reach) allows and stops at the
    first line too long even squeezed: from every position it finds exactly the lines that
    line_cost, tried at every allowed end, can set — with the same demerits."""
    from pagesetter.text.lines import Sums, allowed
    from pagesetter.text.totalfit import _line_finder, line_cost

    from pagesetter.text.totalfit import MAX_STRETCH, RELAXED_STRETCH

    latin = "Party building 2023 年 GDP 增长 5.2%，见https://github.com/pagesetter/issues，"
    runs = [Run(latin + RULED + TEXT, "f", SIZE), Run(RULED[::-1] + latin, "f", 9.0)]
    p = measure(runs, lambda f: FixedMetrics(), settings, 2.0)
    sums, n = Sums(p), len(p)
    for width, most in itertools.product((95.0, 130.0, 177.5), (MAX_STRETCH, RELAXED_STRETCH)):
        lines_from = _line_finder(sums, width, most)
        for s in range(n):
            every = [(e, line_cost(sums, s, e, width, e == n, max_stretch=most))
                     for e in range(s + 1, n + 1) if allowed(p, e)]
            assert lines_from(s) == [(e, cost) for e, cost in every if cost is not None]
