"""A block kind is one module: the toy kind `stamp` below (a word in a bordered box, 印章) is
declared in this file only — keys, options, census, layout — and registered. Without touching any
other file it is checked by the loader (located errors), published in the schema, counted for the
font subsets and laid out and drawn. A kind that is not registered is a located error, exit 2."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pagesetter.build import build, compose_page, load_stories
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.layout.furniture import Laid, snap, stack
from pagesetter.layout.model import Rect, TextLine
from pagesetter.layout.texts import Use, chars_by_role
from pagesetter.pagespec.keys import Key
from pagesetter.pagespec.kinds import BlockKind, kind_names, register, unregister
from pagesetter.records import record
from pagesetter.pagespec.load import load_spec
from pagesetter.pagespec.schema import page_schema
from specs import SPEC, project
from tinypage import need_noto

# ── the toy kind: this is all a new kind is ─────────────────────────────────────────────────────


@record
class StampOptions:
    text: str
    style: str
    border: float  # pt


class StampKind(BlockKind):
    name = "stamp"
    doc = "a word in a bordered box"
    Options = StampOptions
    keys = {
        "text": Key("text", "the word", required=True, example="审校"),
        "style": Key("style", "its style", default="body"),
        "border": Key("length", "border line width", default="1pt", lo=0, hi=5),
    }

    def uses(self, block, spec, stories, line):
        o = block.options
        yield Use(spec.styles[o.style].role, o.text, spec.path, line)

    def layout(self, block, page):
        o, g, a = block.options, page.spec.grid, block.area
        box = Rect(snap(a.x(g)), snap(a.top(g)), snap(a.width(g)), snap(a.height(g)), "red", None, o.border)
        lines, over = stack(page, [(o.text, page.spec.styles[o.style])], a, "stamp")
        return Laid((box, *lines), over)


# ────────────────────────────────────────────────────────────────────────────────────────────────

STAMP = "  - {kind: stamp, text: 审校, border: 2pt, at: {col: 2, line: 18, lines: 3}}\n"  # spec line 18
STAMP_LINE = len(SPEC.splitlines()) + 1


@pytest.fixture
def stamp():
    kind = register(StampKind())
    yield kind
    unregister("stamp")


def _problems(tmp_path, block: str):
    with pytest.raises(PagesetterError) as info:
        load_spec(project(tmp_path, SPEC + block))
    return info.value.problems


def test_toy_kind_is_checked_with_located_errors(tmp_path, stamp):
    (p,) = _problems(tmp_path, STAMP.replace("2pt", "9pt"))
    assert (p.line, p.column) == (STAMP_LINE, STAMP.index("2pt") + 1)
    assert p.message == "border '9pt' is over the 5pt limit"  # the range comes from the Key
    (p,) = _problems(tmp_path, STAMP.replace("text: 审校, ", ""))
    assert p.line == STAMP_LINE and p.message == "stamp block 2 has no text" and p.fix == "add text: 审校"
    (p,) = _problems(tmp_path, STAMP.replace("border", "bordre"))
    assert p.message == "unknown key 'bordre' in stamp block 2" and p.fix == "did you mean 'border'?"


def test_toy_kind_options_are_frozen_with_defaults_in_points(tmp_path, stamp):
    spec = load_spec(project(tmp_path, SPEC + STAMP.replace("border: 2pt, ", "")))
    block = spec.blocks[-1]
    assert block.kind == "stamp" and block.options == StampOptions("审校", "body", 1.0)
    with pytest.raises(AttributeError):
        block.options.border = 3.0


def test_toy_kind_is_in_the_schema(stamp):
    schema = page_schema()
    assert "stamp" in schema["$defs"]["block"]["properties"]["kind"]["enum"]
    own = schema["$defs"]["block_stamp"]
    assert {"text", "style", "border"} <= set(own["properties"]) and "text" in own["required"]
    assert own["properties"]["border"]["default"] == "1pt"
    assert own["properties"]["border"]["description"] == "border line width (default 1pt)"


def test_toy_kind_is_counted_for_the_font_subsets(tmp_path, stamp):
    need_noto()
    spec = load_spec(project(tmp_path, SPEC + STAMP))
    assert {"审", "校"} <= chars_by_role(spec, load_stories(spec))["song"]
    composed = compose_page(spec.path, cache_dir=tmp_path / "cache")
    assert {"审", "校"} <= set(composed.faces["song"].metrics.advances)  # in the subset


def test_toy_kind_is_laid_out_and_drawn(tmp_path, stamp):
    need_noto()
    out = tmp_path / "out" / "p.pdf"
    composed = build(project(tmp_path, SPEC + STAMP), out, png=False, cache_dir=tmp_path / "cache")
    items = composed.layout.items
    assert any(isinstance(i, Rect) and i.stroke == "red" and i.width == 2.0 for i in items)
    (line,) = [i for i in items if isinstance(i, TextLine) and i.frame == "stamp"]
    assert "".join(g.ch for g in line.glyphs) == "审校"
    assert "审校" in PdfReader(out).pages[0].extract_text()


def test_unknown_kind_is_a_located_error_exit_2(tmp_path):
    path = project(tmp_path, SPEC + STAMP.replace("stamp", "bxo"))
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert f"{path}:{STAMP_LINE}:{STAMP.index('stamp') + 1}: block kind 'bxo' is not known" in result.output
    assert "did you mean 'box'?" in result.output and "Traceback" not in result.output


def test_a_kind_unregistered_after_loading_is_a_located_error_not_a_fallback(tmp_path, stamp):
    path = project(tmp_path, SPEC + STAMP)
    spec = load_spec(path)
    unregister("stamp")
    with pytest.raises(PagesetterError) as info:
        chars_by_role(spec, load_stories(spec))
    (p,) = info.value.problems
    assert (p.file, p.line, p.column) == (path, STAMP_LINE, 5) and p.message == "block kind 'stamp' is not known"


ROOT = Path(__file__).resolve().parents[1]
BLOCKS = ROOT / "src" / "pagesetter" / "blocks"


def builtin_modules() -> list[str]:
    """The kind modules of blocks/: every .py file there but helpers (_*.py), by name."""
    return sorted(p.stem for p in BLOCKS.glob("*.py") if not p.stem.startswith("_"))


def test_builtin_kinds_are_the_modules_of_blocks_and_register_with_any_import():
    """A new kind is its module: blocks/__init__.py finds it; no list of kinds to extend."""
    code = "from pagesetter.pagespec.kinds import kind_names; print(' '.join(kind_names()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == builtin_modules() and len(out.split()) >= 5
    assert kind_names()[:len(builtin_modules())] == tuple(builtin_modules())


def _spec_sections() -> list[str]:
    return re.findall(r"^## (\S+) block$", (ROOT / "docs" / "spec.md").read_text(encoding="utf-8"), re.M)


def test_docs_spec_has_one_section_per_kind_in_the_kinds_order():
    assert _spec_sections() == builtin_modules(), \
        "docs/spec.md: each kind has its section '## <kind> block', in the order of the modules' names"


KIND_RUN = re.compile(r"`?\b(?:%s)(?:es|s)?\b`?(?:(?:, | \\?\| |, and | and )`?\b(?:%s)(?:es|s)?\b`?){2,}")


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md", "docs/spec.md",
                                 "src/pagesetter/pagespec/keys.py", "src/pagesetter/pagespec/model.py"])
def test_no_list_of_kinds_goes_stale(doc):
    """A run of three or more kind names (text, headline, image …) in the docs names every kind:
    the docs point at docs/spec.md#blocks instead of listing kinds, so a new kind edits none of them."""
    names = "|".join(map(re.escape, builtin_modules()))
    runs = re.compile(KIND_RUN.pattern % (names, names)).findall((ROOT / doc).read_text(encoding="utf-8"))
    for run in runs:
        named = set(re.findall(r"\b(%s)(?:es|s)?\b" % names, run))
        assert named == set(builtin_modules()), f"{doc}: the list {run!r} misses {set(builtin_modules()) - named}"


