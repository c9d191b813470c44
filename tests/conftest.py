"""Shared test set-up."""
from __future__ import annotations

import pytest

from pagesetter.testing import on_ci


@pytest.fixture(autouse=True, scope="session")
def _font_cache_of_the_run(tmp_path_factory):
    """The suite's builds share one font cache of their own (subsets, metrics, facts), started
    empty, so tests neither fill the user's ~/.cache/pagesetter with their temporary fonts nor
    depend on what an earlier run left there. Child processes inherit it through the environment."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PAGESETTER_CACHE", str(tmp_path_factory.mktemp("font-cache")))
        yield


@pytest.fixture(autouse=True)
def _tmp_goldens_stay_out_of_the_summary(tmp_path_factory):
    """Goldens that tests write into their tmp folders are not this run's goldens: the plugin's
    end-of-run summary ("wrote …, review them", "NOT COMPARED …" and the exit status that goes
    with it) speaks only of the suite's real ones (such as tests/golden)."""
    import pagesetter.testing as t

    yield
    tmp = tmp_path_factory.getbasetemp().resolve()

    def inside(path) -> bool:
        return path.resolve().is_relative_to(tmp)

    t.WRITTEN[:] = [p for p in t.WRITTEN if not inside(p)]
    t.NOTES[:] = [n for n in t.NOTES if str(tmp) not in n]
    for folder in [f for f in t.REGENERATED_IN if inside(f)]:
        t.REGENERATED_IN.discard(folder)
    for folder in [f for f in t.USED if inside(f)]:
        del t.USED[folder]
    t.NOT_COMPARED[:] = [(f, m) for f, m in t.NOT_COMPARED if not inside(f)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (`CI` set) nothing may be skipped: a test that would skip — the checker not beside
    the repository, a font package missing, a validator not installed — fails instead, naming why,
    so a CI run that compared nothing can never pass. Outside CI a skip stays a skip."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and on_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every test: {reason}"
