"""The day's make-up (一期组版) of an archive issue: the make-up editor's policy when a page runs
long, as benchmarks/make_up.py measured it and `pagesetter archive` uses it.

1. **Tighter setting (紧排).** The issue is made up with the engine's copyfit; each page still
   overset is made up again with the house copyfit's tighter limit at each of TIGHTER in turn
   (looser limit LOOSER), and each page keeps the setting with the fewest lines overset (the
   engine's own first). Without jumps the pages of a day are made up independently, so one
   composition of the day tries the next limit on every page that still needs it.
2. **Jumps (转版).** While a page still overflows and has a later page, its most overset story
   not yet jumping gets a continuation on the next page (live 下转/上接 lines) and the day is made
   up again: at most PASSES more make-ups; the make-up with the fewest lines overset (then the
   fewest jumps) is kept; a jump of it that carried nothing (its story fit after all) is dropped
   when the day without it holds as much. The last page has no later page: what it cannot hold stays overset,
   named in the report.
3. The kept make-up is composed once more, rendered (its PDFs, and PNGs at `png_dpi`).

The trial make-ups are composed without rendering. The policy's choices (`tighter`, `next_jumps`,
`rank`, `without`) are pure functions of the lines overset per page and story.

    made = make_up_issue(issue, folder, masters)   # folder: where the edition's specs are written
    made.composed, made.jumps, made.copyfit, made.trials
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..build_edition import ComposedEdition, compose_edition
from ..outputs import write_set
from ..records import record
from ..story.archive_edition import edition_texts
from ..story.scan import ArchiveIssue

PASSES = 3  # make-ups of a day with one more jump each, at most
# The house copyfit's tighter limit (em) tried in turn on a page still overset (the engine's own is
# -0.03): a make-up editor's first resort when a page runs long, before a jump (转版). Tightening
# every page alike does worse (docs/archive.md: the week at -0.05 everywhere, 30 lines overset
# instead of 18): it is a second chance for the pages that need one.
TIGHTER = (-0.035, -0.04, -0.045, -0.05, -0.055, -0.06)
LOOSER = 0.03  # the house copyfit's looser limit (em) that goes with a tighter one

Overset = tuple[tuple[tuple[str, int], ...], ...]  # per page: (story id, lines overset) of each story overset
Jumps = dict[int, tuple[str, ...]]  # page number: the ids of its stories continued on the next page
Copyfit = dict[int, tuple[float, float]]  # page number: the house copyfit (tighter, looser) in em
Compose = Callable[[Jumps, Copyfit, bool], ComposedEdition]  # (jumps, copyfit, render) → the day composed


@record
class Trial:
    """One make-up of the day tried: its jumps, its copyfit and the lines overset per page."""

    jumps: tuple[tuple[int, tuple[str, ...]], ...]
    copyfit: tuple[tuple[int, tuple[float, float]], ...]
    overset: tuple[int, ...]


@record
class MadeIssue:
    """The issue made up: the kept make-up composed and rendered, its jumps and copyfit, and every
    make-up tried on the way (in order)."""

    composed: ComposedEdition
    jumps: Jumps
    copyfit: Copyfit
    trials: tuple[Trial, ...]


def overset_of(composed: ComposedEdition) -> Overset:
    """Per page, the stories overset (id, lines), in the layout's order."""
    return tuple(tuple((s.id, s.overset) for s in page.layout.stories if s.overset) for page in composed.pages)


def lines(over: Overset) -> list[int]:
    """Lines overset per page."""
    return [sum(n for _, n in page) for page in over]


def tighter(best: Copyfit, over: list[int], limit: float) -> Copyfit:
    """The copyfit to try next: `best` with `limit` on every page still overset."""
    return {**best, **{n: (limit, LOOSER) for n, o in enumerate(over, 1) if o}}


def next_jumps(over: Overset, jumps: Jumps) -> Jumps:
    """`jumps` with, for each page that has a later page, its most overset story not yet jumping
    (an article's story: a continuation `cNN` jumps no further)."""
    out = dict(jumps)
    for n, page in enumerate(over[:-1], 1):
        free = [(lines_, sid) for sid, lines_ in page if sid.startswith("a") and sid not in out.get(n, ())]
        if free:
            out[n] = (*out.get(n, ()), max(free)[1])
    return out


def rank(over: Overset, jumps: Jumps) -> tuple[int, int]:
    """A make-up's rank, lower is better: (lines overset, jumps)."""
    return sum(lines(over)), sum(map(len, jumps.values()))


def _trial(jumps: Jumps, copyfit: Copyfit, over: Overset) -> Trial:
    return Trial(tuple(sorted(jumps.items())), tuple(sorted(copyfit.items())), tuple(lines(over)))


def tighten(compose: Compose, trials: list[Trial]) -> tuple[Copyfit, Overset]:
    """Step 1: the copyfit kept per page and the day's overset with it (each page's own best)."""
    best: Copyfit = {}
    over = list(overset_of(compose({}, {}, False)))
    trials.append(_trial({}, {}, tuple(over)))
    for limit in TIGHTER:
        if not any(lines(tuple(over))):
            break
        trial = tighter(best, lines(tuple(over)), limit)
        tried = overset_of(compose({}, trial, False))
        trials.append(_trial({}, trial, tried))
        for n, (now, was) in enumerate(zip(lines(tried), lines(tuple(over))), 1):
            if now < was:
                best[n], over[n - 1] = trial[n], tried[n - 1]
    return best, tuple(over)


def empty(composed: ComposedEdition) -> set[tuple[int, str]]:
    """The jumps (page, story id) whose continuation received no text: the story fit after all."""
    stories = [{s.id: s for s in page.layout.stories} for page in composed.pages]
    return {j.source for j in composed.jumps
            if not getattr(stories[j.target[0] - 1].get(j.target[1]), "lines_set", 0)}


def without(jumps: Jumps, drop: set[tuple[int, str]]) -> Jumps:
    """`jumps` less those in `drop` (page, story id)."""
    kept = {n: tuple(s for s in ids if (n, s) not in drop) for n, ids in jumps.items()}
    return {n: ids for n, ids in kept.items() if ids}


def jump(compose: Compose, copyfit: Copyfit, over: Overset, trials: list[Trial]) -> Jumps:
    """Step 2: the jumps kept, starting from the day without jumps (overset `over`). A kept
    make-up with a jump that carried nothing is tried once more without it."""
    jumps: Jumps = {}
    kept, best, hollow = jumps, rank(over, jumps), set()
    for _ in range(PASSES):
        more = next_jumps(over, jumps)
        if more == jumps:
            break
        jumps = more
        composed = compose(jumps, copyfit, False)
        over = overset_of(composed)
        trials.append(_trial(jumps, copyfit, over))
        if rank(over, jumps) < best:
            kept, best, hollow = jumps, rank(over, jumps), empty(composed)
    if hollow:
        fewer = without(kept, hollow)
        over = overset_of(compose(fewer, copyfit, False))
        trials.append(_trial(fewer, copyfit, over))
        if sum(lines(over)) <= best[0]:
            kept = fewer
    return kept


def day_composer(issue: ArchiveIssue, folder: Path, masters: Path, cache_dir: Path | None = None,
                 png_dpi: float | None = None) -> Compose:
    """Compose the day as an edition in `folder` (its specs written there, one process)."""
    def compose(jumps: Jumps, copyfit: Copyfit, render: bool) -> ComposedEdition:
        texts = edition_texts(issue, folder, masters, dict(jumps), dict(copyfit))
        write_set({p: t.encode("utf-8") for p, t in texts.items()})
        return compose_edition(folder / f"rmrb-{issue.date.isoformat()}.yaml", cache_dir, allow_outside=True,
                               jobs=1, render=render, png_dpi=png_dpi if render else None)
    return compose


def make_up_issue(issue: ArchiveIssue, folder: Path, masters: Path, cache_dir: Path | None = None,
                  png_dpi: float | None = None, compose: Compose | None = None) -> MadeIssue:
    """The issue made up as the policy above says and composed, rendered, from `folder` (the
    kept make-up's specs are the ones left there). `compose` replaces `day_composer`'s."""
    compose = compose or day_composer(issue, folder, masters, cache_dir, png_dpi)
    trials: list[Trial] = []
    copyfit, over = tighten(compose, trials)
    jumps = jump(compose, copyfit, over, trials)
    return MadeIssue(compose(jumps, copyfit, True), jumps, copyfit, tuple(trials))


def report(made: MadeIssue) -> dict[str, object]:
    """What report.json records of the make-up: the copyfit and jumps kept per page, and the
    make-ups tried (their lines overset per page)."""
    return {"copyfit": {str(n): list(c) for n, c in sorted(made.copyfit.items())},
            "jumps": {str(n): list(j) for n, j in sorted(made.jumps.items())},
            "trials": [{"jumps": {str(n): list(j) for n, j in t.jumps},
                        "copyfit": {str(n): list(c) for n, c in t.copyfit}, "overset": list(t.overset)}
                       for t in made.trials]}
