"""Automatic make-up (自动组版, issue 21): the search's placement rules on measured needs (pure,
no fonts), then whole made-up pages of the sample's own articles — 齐底 and fill, stability when a
story grows, `make-up -o` + `build` byte for byte, overflow reported or jumped."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from pagesetter.build import compose_page
from pagesetter.cli import main
from pagesetter.layout.makeup import (BAND, BAND_LINES, MODULE_OFF, WIDE, Need, Place, Problem, _form_cost,
                                      beam_search, tombstones)
from pagesetter.layout.makeup_repair import _prefixes, make_up, replay
from pagesetter.layout.makeup_spec import figures

ROOT = Path(__file__).resolve().parents[1]


# ── the search, on needs given by hand ──────────────────────────────────────────────────────────

def need(sid: str, lines: int, head: int = 5, cols: int = 8) -> Need:
    return Need(sid, lines, lines - lines // 20, lines + lines // 20, (head + 4,) + (head,) * (cols - 1))


NEEDS = [need("lead", 220, 7), need("b", 120), need("c", 90), need("d", 60), need("e", 40), need("f", 30)]
AREA = Problem(cols=8, top=6, bottom=100)


def cells(q) -> set[tuple[int, int]]:
    out = set()
    for c in range(q.col, q.col + q.span):
        out |= {(c, line) for line in range(q.line, q.bottom(c))}
    return out


@pytest.fixture(scope="module")
def made():
    return make_up(AREA, NEEDS)


def test_every_story_is_placed_inside_the_area_without_overlap(made):
    assert sorted(q.id for q in made.places) == sorted(n.id for n in NEEDS)
    seen: set = set()
    for q in made.places:
        mine = cells(q)
        assert not mine & seen, q
        assert all(0 <= c < AREA.cols and AREA.top <= line < AREA.bottom for c, line in mine), q
        seen |= mine


def test_no_two_heads_stand_side_by_side(made):
    assert tombstones(made.places) == 0


def test_the_lead_is_top_left_and_largest(made):
    lead = next(q for q in made.places if q.id == "lead")
    assert (lead.col, lead.line) == (0, AREA.top)
    assert all(lead.cells() >= q.cells() for q in made.places)


def test_the_area_is_filled(made):
    """≥ 97 % filled, and at most half a percent of the text estimated over its room (a line or
    two the composer's copyfit takes up: the page tests below find nothing overset)."""
    area = AREA.cols * (AREA.bottom - AREA.top)
    assert made.empty <= 0.03 * area
    assert sum(q.overset for q in made.places) <= 0.005 * sum(n.lines for n in NEEDS)


def test_each_story_holds_its_text_within_its_flexibility(made):
    by_id = {n.id: n for n in NEEDS}
    for q in made.places:
        room = sum(lines for _, _, lines in q.columns())
        assert by_id[q.id].lo - q.overset <= room <= by_id[q.id].hi + q.span - 1, q


def test_the_whole_width_is_the_leads_and_its_band_is_no_shallow_strip(made):
    """Full width (通栏) is the lead's: every other story is a module narrower than the area; a
    刀把's band (its part across all its columns, under its head) is at least BAND_LINES deep.
    (Without the look's prices — WIDE, MODULE_OFF, BAND at 0 — the lead here keeps a 6-line band
    over a 6-column leg.)"""
    assert all(q.span < AREA.cols for q in made.places[1:])
    for q in made.places:
        if q.leg_span:
            assert q.lines - q.head >= BAND_LINES, q


def test_the_look_is_priced_by_span_and_band():
    lead, other = Place("a", 0, 8, 6, 20, 5), Place("b", 0, 8, 30, 20, 5)
    assert _form_cost(AREA, lead, True) == 0 and _form_cost(AREA, other, False) == WIDE + 4 * MODULE_OFF
    assert _form_cost(AREA, replace(other, span=3), False) == 0
    assert _form_cost(AREA, replace(other, span=1), False) == MODULE_OFF
    band = Place("a", 0, 8, 6, 5 + 4, 5, 0, 3, 30)  # a 4-line band over a 3-column leg
    assert _form_cost(AREA, band, True) == BAND * (BAND_LINES - 4) * 8


def test_a_fixed_block_is_filled_around_and_its_head_not_stood_beside():
    box = (5, 8, 50, 100)  # a box over the lower right: columns 6–8, lines 50–99
    p = Problem(cols=8, top=6, bottom=100, obstacles=(box,), heads=((5, 8, 50, 53),))
    r = make_up(p, NEEDS[:5])
    for q in r.places:
        assert not any(box[0] <= c < box[1] and box[2] <= line < box[3] for c, line in cells(q)), q
    assert tombstones(r.places, p.heads) == 0


# 碰题: two heads whose text lines overlap, side by side across a gutter, nothing between them.
# A headline block of 5 lines (3 of text, 2 of the house's space) centres its text: lines 11–13.
LEFT = Place("a", 0, 2, 10, 30, 5, ink=3)


@pytest.mark.parametrize("right, count", [
    (Place("b", 2, 2, 10, 30, 5, ink=3), 1),  # level: text on the same lines
    (Place("b", 2, 2, 12, 30, 5, ink=3), 1),  # a line lower: text lines 13–15 still meet 11–13
    (Place("b", 2, 2, 13, 30, 5, ink=3), 0),  # text 14–16 beside the other's blank space only: staggered
    (Place("b", 3, 2, 10, 30, 5, ink=3), 0),  # a column of another story's text between them
    (Place("b", 2, 2, 10, 30, 0, mark=2), 1),  # a head set in the flow (a brief column) counts too
])
def test_heads_tombstone_when_their_text_lines_meet_across_a_gutter(right, count):
    assert tombstones([LEFT, right]) == count


def test_a_fixed_rule_down_the_gutter_beside_both_heads_keeps_them_apart():
    level = Place("b", 2, 2, 10, 30, 5, ink=3)
    assert tombstones([LEFT, level], rules=[(2, 6, 100)]) == 0
    assert tombstones([LEFT, level], rules=[(2, 12, 100)]) == 1  # the rule starts beside their text
    assert tombstones([LEFT, level], rules=[(3, 6, 100)]) == 1  # another gutter


def test_the_search_staggers_heads_by_their_text_not_their_blocks():
    """Beside a fixed head, a story's head starts where its text clears the other's text: its block
    may stand beside the other's blank lines, no lower (the drop is counted empty)."""
    spaced = Need("s", 60, 57, 63, (9,) + (5,) * 7, head_space=2)  # 3 lines of text at any span ≥ 2
    p = Problem(cols=4, top=6, bottom=40, obstacles=((0, 2, 6, 20),), heads=((0, 2, 6, 9),))
    q = beam_search(p, [spaced]).places[0]
    # the fixed head's lines 6–8; this block starts on line 8 (beside the other's last line, blank
    # here: the block centres its 3 lines of text on lines 9–11), two lines dropped, not three
    assert (q.col, q.head, q.line) == (2, 5, 8) and q.head_text() == (9, 12)
    assert tombstones([q], p.heads) == 0 and tombstones([replace(q, line=7)], p.heads) == 1


def test_repair_trials_start_from_the_moves_they_share():
    """A replay from any move, on the page the moves before it made, is the replay from the start."""
    moves = beam_search(AREA, NEEDS).moves
    prefix = _prefixes(AREA, NEEDS, moves)
    whole = replay(AREA, NEEDS, moves)
    assert whole is not None and all(replay(AREA, NEEDS, moves, prefix, i) == whole for i in range(len(moves)))
    assert replay(AREA, NEEDS, moves, prefix, 0, bound=prefix[-1].cost) is None  # it costs as much: cut short


def test_the_search_is_deterministic():
    assert make_up(AREA, NEEDS) == make_up(AREA, NEEDS)


def test_a_story_that_jumps_keeps_a_part_and_is_not_overset():
    big = [need("lead", 500, 7), need("b", 300), need("c", 200)]
    jumping = big[:2] + [Need("c", 200, 190, 210, (9,) + (5,) * 7, jumps=True)]
    over = sum(q.overset for q in make_up(AREA, big).places)
    r = make_up(AREA, jumping)
    assert over > 0
    c = next(q for q in r.places if q.id == "c")
    assert c.overset == 0 and sum(lines for _, _, lines in c.columns()) >= 12


# ── whole pages of the sample's own articles ────────────────────────────────────────────────────

SPEC = """\
page: {name: made, trim: [390mm, 550mm], top: 30mm}
grid: {columns: 8, column: 13字, gutter: 1字, lines: 99, body: 小五, pitch: 14pt}
styles:
  body: {role: song, size: 小五}
  section_lead: {role: hei-bold, size: 小五}
  subhead: {role: kai, size: 小五}
  gap: {role: hei, size: 小五}
  banner: {role: biaosong, size: 36pt, align: center}
  kicker: {role: hei, size: 二号, align: center}
  headline: {role: biaosong, size: 初号, align: center, fit_min: 一号}
  subtitle: {role: hei, size: 三号, align: center}
  byline: {role: kai, size: 小四, align: center}
  head2: {role: biaosong, size: 二号, align: center, fit_min: 三号}
  head3: {role: hei-bold, size: 三号, align: center, fit_min: 四号}
  byline2: {role: kai, size: 五号, align: center}
  jump: {role: kai, size: 小五, align: right}
stories:
  main: {articles: [../articles/main.md]}
  commentary: {articles: [../articles/commentary.md]}
  side1: {articles: [../articles/sidebar-1.md]}
  side2: {articles: [../articles/sidebar-2.md]}
makeup:
  area: {col: 1, span: 8, line: 6, lines: 94}
  house:
    heads:
      - {kicker: kicker, headline: headline, subtitle: subtitle, byline: byline}
      - {headline: head2, byline: byline2}
      - {headline: head3, byline: byline2}
blocks:
  - {kind: text, text: 奋进新征程 建功新时代·伟大变革, style: banner, at: {col: 1, span: 8, line: 1, lines: 4}}
  - {kind: rule, at: {col: 1, span: 8, line: 5, lines: 1}, width: 1.5pt, position: middle}
"""


def project(root: Path, spec: str = SPEC, name: str = "made.yaml") -> Path:
    if not (root / "articles").is_dir():
        shutil.copytree(ROOT / "articles", root / "articles")
    (root / "layouts").mkdir(exist_ok=True)
    path = root / "layouts" / name
    path.write_text(spec, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    return compose_page(project(tmp_path_factory.mktemp("makeup")))


def test_made_up_page_sets_every_line_and_each_story_ends_flush(page):
    """Nothing overset; each story's columns end at their frames' foot (齐底), the last one too,
    give or take a line."""
    for r in page.layout.stories:
        assert r.overset == 0, r
        assert r.underset <= 1, r


def test_made_up_page_fills_its_area(page):
    """≥ 97 % of the area's body lines hold text, a head, a space between stories or a fixed
    block; empty lines at the feet of the stories' columns, as composed, count as empty."""
    got = figures(page.made, page.layout.stories)
    assert got["fill"] >= 0.97, got
    assert got["tombstones"] == 0 and got["overset"] == 0, got


def test_made_up_page_has_a_headline_over_each_story_and_its_lead_first(page):
    heads = [b for b in page.spec.blocks if b.kind == "headline"]
    assert [b.options.story for b in heads] == [q.id for q in page.made.result.places]
    lead = page.made.result.places[0]
    assert lead.id == "main" and (lead.col, lead.line) == (0, 6)
    for b, q in zip(heads, page.made.result.places):
        assert (b.area.col - 1, b.area.span, b.area.line) == (q.col, q.span, q.line)


def _grown(path: Path, article: str) -> None:
    a = path.parent.parent / "articles" / article
    a.write_text(a.read_text(encoding="utf-8") + "\n这是为检验版面稳定而加的一段文字，" * 1 + "共三十个字左右的新段落。\n",
                 encoding="utf-8")


ARTICLE_OF = {"main": "main.md", "commentary": "commentary.md", "side1": "sidebar-1.md", "side2": "sidebar-2.md"}


@pytest.mark.parametrize("grown", ["commentary", "side2"])
def test_a_paragraph_added_moves_only_what_is_below_or_beside_the_story(tmp_path, grown):
    path = project(tmp_path)
    before = compose_page(path).made.result.places
    _grown(path, ARTICLE_OF[grown])
    after = {q.id: q for q in compose_page(path).made.result.places}
    g = next(q for q in before if q.id == grown)
    kept = 0
    for q in before:
        if q.id == grown:
            continue
        bottom = max(q.bottom(c) for c in range(q.col, q.col + q.span))
        beside = q.line < g.line + g.lines and g.line < bottom
        below = q.line >= g.line
        if not (beside or below):
            assert after[q.id] == q, (q, after[q.id])
            kept += 1
    assert kept >= 1  # the lead at least stands above any other story


def test_make_up_writes_a_spec_that_builds_the_same_pdf_byte_for_byte(tmp_path):
    path = project(tmp_path)
    out = tmp_path / "out"
    made = path.parent / "made-out.yaml"
    run = CliRunner().invoke(main, ["make-up", str(path), "-o", str(made)])
    assert run.exit_code == 0, run.output
    assert "0 tombstones" in run.output
    assert "makeup" not in made.read_text(encoding="utf-8")
    a = CliRunner().invoke(main, ["build", str(path), "-o", str(out / "a.pdf"), "--no-png"])
    b = CliRunner().invoke(main, ["build", str(made), "-o", str(out / "b.pdf"), "--no-png"])
    assert a.exit_code == b.exit_code == 0, a.output + b.output
    assert (out / "a.pdf").read_bytes() == (out / "b.pdf").read_bytes()


def test_make_up_replaces_its_own_spec_but_never_an_edited_or_strange_file(tmp_path):
    """A re-run may replace the spec make-up wrote; a designer's edit of it, or any other file at
    the -o path, is refused (exit 2) and left as it was."""
    path = project(tmp_path)
    made = path.parent / "made-out.yaml"
    assert CliRunner().invoke(main, ["make-up", str(path), "-o", str(made)]).exit_code == 0
    assert CliRunner().invoke(main, ["make-up", str(path), "-o", str(made)]).exit_code == 0  # its own: replaced
    edited = made.read_text(encoding="utf-8").replace("\npage:", "\n# the designer's note\npage:", 1)
    made.write_text(edited, encoding="utf-8")
    strange = path.parent / "notes.yaml"
    strange.write_text("a: 1\n", encoding="utf-8")
    for target, text in ((made, edited), (strange, "a: 1\n")):
        run = CliRunner().invoke(main, ["make-up", str(path), "-o", str(target)])
        assert run.exit_code == 2, run.output
        assert "is not a made-up spec as make-up wrote it" in run.output and "fix: choose another -o" in run.output
        assert target.read_text(encoding="utf-8") == text


def test_make_up_refuses_a_spec_without_makeup(tmp_path):
    plain = SPEC.split("stories:")[0] + "frames: {f: {col: 1, line: 10}}\n" + \
        "stories:\n  main: {articles: [../articles/main.md], chain: [f]}\n"
    path = project(tmp_path, plain)
    run = CliRunner().invoke(main, ["make-up", str(path), "-o", str(tmp_path / "x.yaml")])
    assert run.exit_code == 2
    assert "no makeup: section" in run.output and not (tmp_path / "x.yaml").exists()


def test_text_that_finds_no_room_is_reported_overset_by_story(tmp_path):
    path = project(tmp_path, SPEC.replace("area: {col: 1, span: 8, line: 6, lines: 94}",
                                          "area: {col: 1, span: 8, line: 6, lines: 40}"))
    run = CliRunner().invoke(main, ["check", str(path)])
    assert run.exit_code == 1, run.output
    assert "OVERSET" in run.output and "from '" in run.output


EDITION = """\
edition: {name: ed, paper: 人民日报, date: 2022年6月24日}
pages:
  - {file: made.yaml}
  - {file: two.yaml}
"""


def test_in_an_edition_a_made_up_story_jumps_with_live_jump_lines(tmp_path):
    one = SPEC.replace("area: {col: 1, span: 8, line: 6, lines: 94}", "area: {col: 1, span: 8, line: 6, lines: 60}")
    project(tmp_path, one)
    two = SPEC.replace("name: made", "name: two").split("stories:")[0] + (
        "stories:\n  cont: {continues: made/main, continued_head: head3}\n"
        "makeup:\n  area: {col: 1, span: 8, line: 6, lines: 94}\n"
        "blocks:\n  - {kind: text, text: 第二版, style: banner, at: {col: 1, span: 8, line: 1, lines: 4}}\n")
    project(tmp_path, two, "two.yaml")
    ed = tmp_path / "layouts" / "ed.yaml"
    ed.write_text(EDITION, encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(ed)])
    assert "（下转第二版）" in run.output, run.output
    assert "main:" in run.output and "OVERSET" not in run.output.split("page 2")[0].split("main:")[1].split("\n")[0]


def test_watch_remakes_the_page_on_save_as_a_fresh_build_would(tmp_path):
    """`watch` makes the page up again on every save, in its warm process, to the same bytes a
    fresh build of the edited page gives."""
    from pagesetter.cli import _summary
    from pagesetter.watch import SETTLE, Watcher, run

    path = project(tmp_path)
    out = tmp_path / "out" / "w.pdf"
    printed, edits = [], [lambda: _grown(path, "sidebar-2.md")]

    def sleep(seconds):
        if seconds == SETTLE:
            return
        if not edits:
            raise KeyboardInterrupt
        edits.pop(0)()
        first.append(out.read_bytes())

    first: list = []
    run(Watcher(path, out, png=False, summary=_summary), printed.append, sleep=sleep, builds=2)
    reports = [p for p in printed if "] built " in p]
    assert len(reports) == 2 and first and first[0] != out.read_bytes()
    fresh = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "fresh.pdf"), "--no-png"])
    assert fresh.exit_code == 0, fresh.output
    assert (tmp_path / "fresh.pdf").read_bytes() == out.read_bytes()
