"""The day's make-up policy (archive.makeup): tighter setting per page, then jumps, the best kept —
its choices on made-up outcomes (a stand-in for composing the day), so each rule is seen alone."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pagesetter.archive.makeup import (
    LOOSER,
    PASSES,
    TIGHTER,
    Copyfit,
    Jumps,
    make_up_issue,
    next_jumps,
    tighter,
    without,
)


def day(over: list[dict[str, int]], jumps: Jumps, carried: frozenset = frozenset()) -> Any:
    """A composed day: per page its stories' lines overset; each jump's continuation set with text
    unless its source is in `carried`'s complement (carried: the (page, id) that got text)."""
    pages = [SimpleNamespace(layout=SimpleNamespace(stories=[SimpleNamespace(id=s, overset=o, lines_set=10)
                                                             for s, o in page.items()])) for page in over]
    links = []
    for n, ids in jumps.items():
        for sid in ids:
            c = "c" + sid[1:]
            pages[n].layout.stories.append(SimpleNamespace(id=c, overset=0, lines_set=10 if (n, sid) in carried else 0))
            links.append(SimpleNamespace(source=(n, sid), target=(n + 1, c)))
    return SimpleNamespace(pages=pages, jumps=tuple(links))


def run(outcome) -> tuple[Any, list]:
    calls: list = []

    def compose(jumps: Jumps, copyfit: Copyfit, render: bool) -> Any:
        calls.append((dict(jumps), dict(copyfit), render))
        return outcome(jumps, copyfit)
    return make_up_issue(SimpleNamespace(), Path("."), Path("."), compose=compose), calls  # type: ignore[arg-type]


def test_next_jumps_takes_each_pages_most_overset_story_but_the_last_pages():
    over = ((("a01", 2), ("a04", 5), ("c02", 9)), (("a02", 1),), (("a01", 7),))
    assert next_jumps(over, {}) == {1: ("a04",), 2: ("a02",)}  # a continuation jumps no further
    assert next_jumps(over, {1: ("a04",)}) == {1: ("a04", "a01"), 2: ("a02",)}
    assert next_jumps(((), ()), {1: ("a03",)}) == {1: ("a03",)}


def test_tighter_tries_the_limit_only_where_lines_are_still_overset():
    assert tighter({2: (-0.04, LOOSER)}, [0, 3, 0, 1], -0.05) == {2: (-0.05, LOOSER), 4: (-0.05, LOOSER)}
    assert without({1: ("a03", "a05"), 2: ("a01",)}, {(1, "a05"), (2, "a01")}) == {1: ("a03",)}


def test_each_page_keeps_its_own_best_copyfit_and_nothing_jumps_when_only_the_last_page_runs_long():
    # page 1 fits from -0.045 on (best there), page 2 (the last) is best at -0.035
    firsts = {None: 4, -0.035: 3, -0.04: 2, -0.045: 0}
    lasts = {None: 5, -0.035: 1, -0.04: 2, -0.045: 3, -0.05: 4, -0.055: 6, -0.06: 2}

    def outcome(jumps: Jumps, copyfit: Copyfit) -> Any:
        one, two = copyfit.get(1, (None,))[0], copyfit.get(2, (None,))[0]
        return day([{"a01": firsts.get(one, 9)}, {"a01": lasts[two]}], jumps)

    made, calls = run(outcome)
    assert made.copyfit == {1: (-0.045, LOOSER), 2: (-0.035, LOOSER)} and made.jumps == {}
    assert len(calls) == 1 + len(TIGHTER) + 1 and [c[2] for c in calls] == [False] * (len(calls) - 1) + [True]
    assert calls[-1][:2] == ({}, made.copyfit)  # the kept make-up composed and rendered
    assert [t.overset for t in made.trials][:2] == [(4, 5), (3, 1)]


def test_a_front_page_that_runs_long_jumps_one_more_story_each_pass_and_the_best_is_kept():
    carried = frozenset({(1, "a01"), (1, "a02"), (1, "a03")})
    outcomes = {(): ([{"a01": 3, "a02": 6, "a03": 1}, {}]),
                ("a02",): ([{"a01": 2, "a03": 1}, {}]),
                ("a02", "a01"): ([{"a03": 2}, {}]),  # the best: 2 lines overset
                ("a02", "a01", "a03"): ([{}, {"a01": 4}])}  # worse: page 2 (the last) overflows

    made, calls = run(lambda jumps, copyfit: day(outcomes[jumps.get(1, ())], jumps, carried))
    assert [dict(t.jumps) for t in made.trials if t.jumps] == [
        {1: ("a02",)}, {1: ("a02", "a01")}, {1: ("a02", "a01", "a03")}]  # PASSES make-ups, one more each
    assert PASSES == 3 and made.jumps == {1: ("a02", "a01")} and made.copyfit == {}
    assert calls[-1] == ({1: ("a02", "a01")}, {}, True)


def test_a_kept_jump_that_carried_nothing_is_dropped_when_the_day_holds_without_it():
    def outcomes(alone: dict[str, int]) -> dict:
        return {(): [{"a01": 4, "a03": 1}, {}], ("a01",): [{"a03": 1}, {}],
                ("a01", "a03"): [{}, {}],  # all fits, but a01's continuation is empty (a01 fit after all)
                ("a03",): [alone, {}]}

    carried = frozenset({(1, "a03")})
    made, calls = run(lambda jumps, copyfit: day(outcomes({})[jumps.get(1, ())], jumps, carried))
    assert made.jumps == {1: ("a03",)} and calls[-1] == ({1: ("a03",)}, {}, True)
    assert [dict(t.jumps) for t in made.trials if t.jumps] == [{1: ("a01",)}, {1: ("a01", "a03")}, {1: ("a03",)}]
    # without it the day runs long again: the jump stays (its continuation's empty head is warned of)
    made, _ = run(lambda jumps, copyfit: day(outcomes({"a01": 1})[jumps.get(1, ())], jumps, carried))
    assert made.jumps == {1: ("a01", "a03")}
