"""The compose stage's memos give what a fresh computation gives: a measured character reused
across paragraphs and punctuation styles, and total-fit reused only when the widths it read agree."""
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
