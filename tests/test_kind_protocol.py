"""The block-kind protocol checks itself: a kind with a mistake is refused when it registers — at
import of its module — with a KindError naming the kind, the mistake and the fix, never an internal
error when a page is built. And what the protocol offers a kind: value types of its own (schema and
reader), a remainder that continues in the next frame of its chain, structure elements of its own
(Table → TR → TD), and the setter other kinds use (`text_at`)."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from pypdf import PdfReader

from pagesetter.build import build, compose_page
from pagesetter.layout.furniture import Laid, text_at
from pagesetter.layout.model import TextLine
from pagesetter.layout.texts import Use
from pagesetter.pagespec.keys import Key
from pagesetter.pagespec.kinds import BlockKind, KindError, kind_names, register, unregister
from pagesetter.pagespec.load import load_spec
from pagesetter.pagespec.schema import page_schema
from pagesetter.pagespec.valuetypes import ValueType, read_plain, register_type, value_type
from pagesetter.records import record
from specs import SPEC, project, spec_with
from tinypage import need_noto


@record
class BadgeOptions:
    text: str
    style: str


class BadgeKind(BlockKind):
    """A correct toy kind each mistake below starts from."""

    name = "badge"
    doc = "a word"
    Options = BadgeOptions
    keys = {"text": Key("text", "the word", required=True, example="审"),
            "style": Key("style", "its style", default="body")}

    def uses(self, block, spec, stories, line):
        yield Use(spec.styles[block.options.style].role, block.options.text, spec.path, line)

    def layout(self, block, page):
        return Laid()


def refused(kind: BlockKind) -> KindError:
    with pytest.raises(KindError) as info:
        register(kind)
    assert "badge" not in kind_names()  # nothing half-registered
    assert str(info.value).startswith("block kind 'badge': ") and " — fix: " in str(info.value)
    return info.value


def broken(**members) -> BlockKind:
    return type("Broken", (BadgeKind,), members)()


def without(member: str) -> dict:
    """BadgeKind's own members but one, to build a kind straight on BlockKind."""
    return {k: v for k, v in vars(BadgeKind).items() if not k.startswith("__") and k != member}


def test_the_toy_kind_itself_registers():
    try:
        assert register(BadgeKind()).name in kind_names()
    finally:
        unregister("badge")


def test_missing_layout():
    err = refused(type("NoLayout", (BlockKind,), without("layout"))())
    assert err.mistake == "has no layout()" and "layout(self, block, page)" in err.fix


def test_misspelt_layout_is_named_with_the_member_meant():
    err = refused(type("Typo", (BlockKind,), {**without("layout"), "layuot": BadgeKind.layout})())
    assert "'layuot'" in err.mistake and err.fix.startswith("did you mean 'layout'?")


def test_wrong_uses_misspelt():
    err = refused(type("Typo", (BlockKind,), {**without("uses"), "use": BadgeKind.uses})())
    assert "'use'" in err.mistake and err.fix.startswith("did you mean 'uses'?")


def test_wrong_uses_none_for_a_kind_that_sets_text_in_a_style():
    err = refused(type("Silent", (BlockKind,), without("uses"))())
    assert err.mistake == "sets text in a style (style) but declares none in uses()"
    assert "layout.texts.Use" in err.fix


def test_wrong_uses_arguments():
    err = refused(broken(uses=lambda self, block, spec: ()))
    assert err.mistake == "uses() takes (block, spec)" and "uses(self, block, spec, stories, line)" in err.fix


def test_options_missing_a_key():
    @record
    class Short:
        text: str

    err = refused(broken(Options=Short))
    assert err.mistake == "Options Short fields do not match its keys: no field for style"


def test_options_with_a_field_that_is_no_key():
    @record
    class Long:
        text: str
        style: str
        colour: str = "red"

    err = refused(broken(Options=Long))
    assert err.mistake.endswith("fields that are no key: colour") and "derived" in err.fix
    register(broken(Options=Long, derived=("colour",)))  # declared as made by the check: accepted
    unregister("badge")


def test_options_absent_or_not_frozen():
    assert refused(broken(Options=None)).mistake == "has no Options record"

    class Loose:
        text: str
        style: str

    import dataclasses

    err = refused(broken(Options=dataclasses.dataclass(Loose)))
    assert err.mistake == "Options Loose is not frozen" and "@record" in err.fix


def test_key_shadowing_a_common_key():
    err = refused(broken(keys={**BadgeKind.keys, "wrap": Key("length", "line wrap", default="1pt")},
                         Options=None))
    assert err.mistake.startswith("key 'wrap' shadows the key every block has") and "another name" in err.fix


def test_unread_key():
    keys = {**BadgeKind.keys, "border": Key("length", "a border", default="1pt")}

    @record
    class Opts:
        text: str
        style: str
        border: float = 0.0

    def check(self, c):  # forgets border
        return Opts(c.value("text"), c.value("style"))

    err = refused(broken(keys=keys, Options=Opts, check=check))
    assert err.mistake == "check() never reads the key border" and "c.value(key)" in err.fix


def test_key_type_without_schema():
    err = refused(broken(keys={**BadgeKind.keys, "rows": Key("rows", "table rows")}))
    assert err.mistake == "key 'rows' has the value type 'rows', which has no schema"
    assert "register_type(ValueType('rows'" in err.fix


def test_key_type_without_a_block_reader():
    err = refused(broken(keys={**BadgeKind.keys, "role": Key("role", "a face role")}))
    assert err.mistake == "key 'role' has the value type 'role', which blocks cannot read"


def test_required_key_without_example():
    err = refused(broken(keys={**BadgeKind.keys, "text": Key("text", "the word", required=True)}))
    assert err.mistake == "required key 'text' has no example"


def test_check_that_raises_on_a_missing_value():
    def check(self, c):
        return BadgeOptions(c.value("text").strip(), c.value("style"))

    err = refused(broken(check=check))
    assert err.mistake.startswith("check() raised AttributeError") and "None" in err.fix


def test_the_mistake_surfaces_at_import_of_the_kinds_module(tmp_path):
    (tmp_path / "folio.py").write_text(textwrap.dedent('''
        from pagesetter.pagespec.kinds import BlockKind, register
        from pagesetter.records import record

        @record
        class FolioOptions:
            pass

        class FolioKind(BlockKind):
            name, doc, Options = "folio", "a page number", FolioOptions

            def layuot(self, block, page):
                return None

        KIND = register(FolioKind())
        '''), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "import folio"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        "pagesetter.pagespec.kinds.KindError: block kind 'folio': defines 'layuot', which is no member of the "
        "protocol — fix: did you mean 'layout'? (the members: name, doc, keys, Options, derived, below_area, "
        "min_lines, check, articles, check_articles, uses, layout, areas_after, resume, warnings)")


# ── open vocabularies: a value type of the kind's own ───────────────────────────────────────────

def _read_pairs(c, key, k, value):
    """`[[a, b], …]`: whole-number pairs (a toy table's cell spans)."""
    ok = isinstance(value, list) and all(isinstance(p, list) and len(p) == 2 and all(isinstance(n, int) for n in p)
                                         for p in value)
    if not ok:
        c.ck.fail(c.path + (key,), f"{key} must be a list of [a, b] pairs", "write e.g. [[1, 2], [3, 4]]")
        return None
    return tuple(tuple(p) for p in value)


@pytest.fixture
def pairs_kind():
    register_type(ValueType("pairs", lambda key: {"type": "array", "items": {
        "type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer"}}}, _read_pairs))

    @record
    class GridOptions:
        spans: tuple

    class GridKind(BlockKind):
        name, doc, Options = "cellgrid", "a grid of cells", GridOptions
        keys = {"spans": Key("pairs", "cell spans", required=True, example="[[1, 2]]")}

        def layout(self, block, page):
            return Laid()

    yield register(GridKind())
    unregister("cellgrid")


def test_a_value_type_brings_its_schema_and_its_reader(tmp_path, pairs_kind):
    assert page_schema()["$defs"]["block_cellgrid"]["properties"]["spans"]["items"]["items"] == {"type": "integer"}
    block = "  - {kind: cellgrid, spans: [[1, 2], [3, 4]], at: {col: 2, line: 1}}\n"
    assert load_spec(project(tmp_path, SPEC + block)).blocks[-1].options.spans == ((1, 2), (3, 4))
    from pagesetter.errors import PagesetterError

    with pytest.raises(PagesetterError) as info:
        load_spec(project(tmp_path, SPEC + block.replace("[3, 4]", "[3]")))
    (p,) = info.value.problems
    assert p.message == "spans must be a list of [a, b] pairs" and p.line == len(SPEC.splitlines()) + 1


def test_every_built_in_type_token_has_a_value_type():
    from pagesetter.pagespec.kinds import section_keys

    for section, keys in section_keys().items():
        for name, key in keys.items():
            assert value_type(key.type) is not None, (section, name, key.type)
    assert value_type("enum:a|b").read is read_plain


# ── a remainder continues in the next frame of the block's chain ───────────────────────────────

@record
class SlipsOptions:
    text: str
    style: str
    chain: tuple


class SlipsKind(BlockKind):
    """A toy kind that breaks across frames: one slip (part of `text` between `/`) a body line;
    the slips that do not fit its area go on in the frames of its `chain`."""

    name, doc, Options = "slips", "slips of paper, one a line", SlipsOptions
    keys = {"text": Key("text", "the slips, parted by /", required=True, example="甲/乙"),
            "style": Key("style", "their style", default="body"),
            "chain": Key("frames", "frames the slips continue in", default=None)}

    def uses(self, block, spec, stories, line):
        yield Use(spec.styles[block.options.style].role, block.options.text.replace("/", ""), spec.path, line)

    def layout(self, block, page):
        return self._set(page, tuple(block.options.text.split("/")), block.area, block.options)

    def areas_after(self, block, page):
        return tuple(page.spec.frames[f].area for f in block.options.chain or ())

    def resume(self, block, page, rest, area):
        return self._set(page, rest, area, block.options)

    def _set(self, page, slips, area, o):
        g, fit = page.spec.grid, min(len(slips), area.lines)
        items = [line for i, slip in enumerate(slips[:fit]) for line in text_at(
            page, [(slip, page.spec.styles[o.style])], area.x(g), area.width(g), area.line + i, 1, "slips").items]
        return Laid(tuple(items), len(slips) - fit, rest=slips[fit:] or None)


@pytest.fixture
def slips():
    yield register(SlipsKind())
    unregister("slips")


# the story keeps f1; f2, lower in column 2, is free for the slips' chain, which start above it
SLIP_SPEC = spec_with("chain: [f1, f2]", "chain: [f1]", spec_with("f2: {col: 2, line: 4, lines: 17}",
                                                                "f2: {col: 2, line: 12, lines: 9}"))
SLIP_BLOCK = "  - {kind: slips, text: 甲/乙/丙/丁/戊, chain: [f2], at: {col: 2, line: 4, lines: 2}}\n"


def _slip_lines(composed) -> list[tuple[str, float, float]]:
    return [(i.glyphs[0].ch, i.x, i.y) for i in composed.layout.items if isinstance(i, TextLine) and i.frame == "slips"]


def test_a_remainder_continues_in_the_next_frame_of_the_chain(tmp_path, slips):
    need_noto()
    composed = compose_page(project(tmp_path, SLIP_SPEC + SLIP_BLOCK), cache_dir=tmp_path / "cache")
    lines = _slip_lines(composed)
    assert [ch for ch, _, _ in lines] == ["甲", "乙", "丙", "丁", "戊"]
    spec, g = composed.spec, composed.spec.grid
    f2 = spec.frames["f2"].area
    assert {x for _, x, _ in lines} == {round(f2.x(g), 4)}
    assert [y for _, _, y in lines[2:]] == [round(g.baseline(f2.line + i, 1, 9.0), 4) for i in range(3)]
    assert lines[2][2] > lines[1][2]  # 丙 sits below the block, at the top of f2
    assert not composed.block_overset


def test_a_remainder_without_a_next_frame_is_overset_not_dropped(tmp_path, slips):
    need_noto()
    path = project(tmp_path, SLIP_SPEC + SLIP_BLOCK.replace(", chain: [f2]", ""))
    composed = compose_page(path, cache_dir=tmp_path / "cache")
    assert [ch for ch, _, _ in _slip_lines(composed)] == ["甲", "乙"]
    (over,) = composed.block_overset
    assert over.lines == 3 and "(slips)" in over.where


def test_a_chain_naming_an_unknown_frame_is_a_located_error(tmp_path, slips):
    from pagesetter.errors import PagesetterError

    with pytest.raises(PagesetterError) as info:
        load_spec(project(tmp_path, SLIP_SPEC + SLIP_BLOCK.replace("[f2]", "[f3]")))
    (p,) = info.value.problems
    assert p.message == "slips chain names frame 'f3', which is not defined" and p.fix == "use one of: f1, f2"


# ── structure elements of the kind's own: a table's Table → TR → TD ────────────────────────────

@record
class TallyOptions:
    rows: str


class TallyKind(BlockKind):
    """A toy table: rows parted by /, cells by a comma, each cell a TD in its TR in one Table."""

    name, doc, Options = "tally", "a small table", TallyOptions
    keys = {"rows": Key("text", "rows of cells", required=True, example="甲,乙/丙,丁")}

    def uses(self, block, spec, stories, line):
        yield Use(spec.styles["body"].role, block.options.rows.replace("/", "").replace(",", ""), spec.path, line)

    def layout(self, block, page):
        g, a, items = page.spec.grid, block.area, []
        for r, row in enumerate(block.options.rows.split("/")):
            cells = row.split(",")
            width = a.width(g) / len(cells)
            for c, cell in enumerate(cells):
                items += text_at(page, [(cell, page.spec.styles["body"])], a.x(g) + c * width, width, a.line + r, 1,
                                 "tally", structure=("TD",), parents=("Table#tally", f"TR#{r}"), para=c + 1).items
        return Laid(tuple(items))


def _tree(node, out, depth=0):
    """(depth, tag) of every structure element under node, in order."""
    for kid in node.get("/K", []) if isinstance(node.get("/K"), list) else [node.get("/K")]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
            out.append((depth, str(kid["/S"])))
            _tree(kid, out, depth + 1)
    return out


def test_a_kind_emits_table_rows_and_cells_as_structure(tmp_path):
    need_noto()
    register(TallyKind())
    try:
        block = "  - {kind: tally, rows: '甲,乙/丙,丁', at: {col: 2, line: 4, lines: 2}}\n"
        out = tmp_path / "out" / "p.pdf"
        build(project(tmp_path, spec_with("chain: [f1, f2]", "chain: [f1]") + block), out, png=False,
              cache_dir=tmp_path / "cache")
    finally:
        unregister("tally")
    tree = _tree(PdfReader(out).trailer["/Root"]["/StructTreeRoot"].get_object(), [])
    start = tree.index((1, "/Table"))
    assert tree[start:start + 7] == [(1, "/Table"), (2, "/TR"), (3, "/TD"), (3, "/TD"), (2, "/TR"), (3, "/TD"),
                                     (3, "/TD")]
    assert "甲乙" in PdfReader(out).pages[0].extract_text().replace(" ", "")


def test_text_at_sets_parts_at_x_width_and_line(tmp_path):
    need_noto()
    composed = compose_page(project(tmp_path), cache_dir=tmp_path / "cache")
    from pagesetter.layout.furniture import Page
    from pagesetter.layout.setting import Typesetter

    spec = composed.spec
    page = Page(spec, Typesetter({r: f.metrics for r, f in composed.faces.items()}, spec.composition), {})
    body = spec.styles["body"]
    placed = text_at(page, [("各级党组织", body), ("党的十八大", body)], 100.0, 60.0, 5, 3, "x", parents=("Div",))
    assert [round(i.y, 4) for i in placed.items] == [round(spec.grid.baseline(n, 1, body.size), 4) for n in (5, 6)]
    assert {i.x for i in placed.items} == {100.0} and (placed.used, placed.over) == (2, 0)
    assert {i.parents for i in placed.items} == {("Div",)} and [i.para for i in placed.items] == [1, 2]
    over = text_at(page, [("各级党组织", body), ("党的十八大", body)], 100.0, 60.0, 5, 1, "x")
    assert (len(over.items), over.used, over.over) == (1, 1, 1)


class MislabelledKind(BadgeKind):
    """Declares its word in the style's role, but sets it in the headline style's (another face)."""

    name = "mislabelled"

    def layout(self, block, page):
        a, g = block.area, page.spec.grid
        return Laid(tuple(text_at(page, [(block.options.text, page.spec.styles["head"])], a.x(g), a.width(g),
                                  a.line, a.lines, "x").items))


def test_text_set_but_not_declared_in_uses_is_a_kind_error_naming_the_kind(tmp_path):
    need_noto()
    register(MislabelledKind())
    try:
        path = project(tmp_path, spec_with("chain: [f1, f2]", "chain: [f1]") +
                       "  - {kind: mislabelled, text: 审, at: {col: 2, line: 5}}\n")
        with pytest.raises(KindError) as info:
            compose_page(path, cache_dir=tmp_path / "cache")
    finally:
        unregister("mislabelled")
    assert info.value.kind == "mislabelled" and "uses() does not declare (no glyph for '审'" in info.value.mistake
