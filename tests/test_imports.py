"""The pipeline is visible in the imports: every module of src/pagesetter imports only from its own
stage or an earlier one, and no modules import each other in a circle (lazy imports inside
functions count too, and so do imports under `if TYPE_CHECKING:`: a type a module names is a
dependency on its module, and mypy follows it like any other). STAGES is the one definition of the stage order; docs/architecture.md and
README.md show it (tested below)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "pagesetter"

# The stages in import order: a module may import from its own stage and the ones above it here.
STAGES: tuple[tuple[str, ...], ...] = (
    ("records", "errors", "units", "files", "outputs", "process"),  # frozen records, problems with places, lengths, reading inputs, writing outputs, the command's process
    ("text",),  # break classes, measuring, line breaking, justification: no page, no file
    ("fonts",),  # face roles → font files, subsets, the cache
    ("pagespec",),  # the YAML spec → PageSpec; the key table and the block-kind protocol and registry
    ("story",),  # article files → Story
    ("layout",),  # grid, frames and chains, flow, fitting, the census, the composer → PageLayout
    ("blocks",),  # one module per block kind (registers itself with pagespec.kinds)
    ("render",),  # PageLayout → PDF (the only ReportLab user) and PNG
    ("build", "build_edition"),  # the pipeline end to end: a page, an edition of pages
    ("check",),  # reading PDFs back, diff, dump and render commands
    ("archive",),  # an archive regenerated: issues on Dask, ALTO, METS, the index
    ("scaffold", "testing", "cli", "watch", "__init__"),  # entry points: init, the pytest plugin, the CLI, watch
)


def stage_of(module: str) -> int:
    """The stage index of a module named like 'pagesetter.layout.page' or 'pagesetter'."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for i, names in enumerate(STAGES):
        if top in names:
            return i
    raise AssertionError(f"{module} is in no stage: add its folder to STAGES (tests/test_imports.py)")


def module_name(path: Path, src: Path = SRC) -> str:
    rel = path.relative_to(src.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, modules: set[str], src: Path = SRC) -> set[str]:
    """The pagesetter modules a file imports (resolved; `from . import x` names module x), wherever
    the import stands: at the top, inside a function, under `if TYPE_CHECKING:`."""
    me = module_name(path, src)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "pagesetter"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "pagesetter":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.add(sub if sub in modules else target)
    return {m for m in out if m in modules and m != me}


def graph() -> dict[str, set[str]]:
    files = sorted(SRC.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles():
    assert cycles(graph()) == []


def test_no_import_runs_back_up_a_stage():
    upward = [f"{m} (stage {stage_of(m)}) imports {t} (stage {stage_of(t)})"
              for m, targets in graph().items() for t in sorted(targets) if stage_of(t) > stage_of(m)]
    assert upward == []


def test_imports_under_type_checking_and_inside_functions_are_edges(tmp_path):
    src = tmp_path / "pagesetter"
    (src / "check").mkdir(parents=True)
    (src / "check" / "a.py").write_text("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                                        "    from .b import B\n", encoding="utf-8")
    (src / "check" / "b.py").write_text("def f():\n    from pagesetter.check import a\n", encoding="utf-8")
    modules = {"pagesetter.check.a", "pagesetter.check.b"}
    a, b = (imports_of(src / "check" / name, modules, src) for name in ("a.py", "b.py"))
    assert (a, b) == ({"pagesetter.check.b"}, {"pagesetter.check.a"})
    assert cycles({"pagesetter.check.a": a, "pagesetter.check.b": b}) == [["pagesetter.check.a", "pagesetter.check.b"]]


def test_every_module_is_in_a_stage():
    for m in graph():
        stage_of(m)


def test_the_checks_find_what_they_look_for():
    """The walker sees lazy and relative imports, and the two checks fail on a circle and an
    upward import."""
    g = graph()
    assert "pagesetter.render.pdf" in g["pagesetter.build"]  # imported inside build()
    assert "pagesetter.pagespec.kinds" in g["pagesetter.blocks.rule"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert stage_of("pagesetter.blocks.rule") > stage_of("pagesetter.layout.page")


def test_docs_show_the_stages_in_import_order():
    """docs/architecture.md and README's pipeline table name the stage folders in STAGES' order."""
    folders = [n for names in STAGES for n in names if (SRC / n).is_dir()]
    for doc in (ROOT / "docs" / "architecture.md", ROOT / "README.md"):
        text = doc.read_text(encoding="utf-8")
        found = re.findall(r"`src/pagesetter/(\w+)/`", text)
        seen = [f for f in dict.fromkeys(found) if f in folders]
        assert seen == folders, f"{doc.name}: stage folders {seen}, expected {folders}"
