"""Bad edition input: every mistake is a located error (file:line:col, what, fix) and exit 2."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from editions import EDITION, MASTER, P1, P2, edition_project
from pagesetter.cli import main

P2_18 = P2.replace("LINES", "18")
HEAD_ON_T = "blocks:\n  - {kind: headline, story: t, at: {col: 1, span: 2, line: 2, lines: 1}, styles: {headline: chead}}\n"

# (case, files to write over the small edition, file the message names, its line, words in the message)
CASES = [
    ("unknown page", {"p2.yaml": P2_18.replace("continues: p1/s", "continues: px/s")},
     "p2.yaml", 7, "has no page 'px'"),
    ("unknown story", {"p2.yaml": P2_18.replace("continues: p1/s", "continues: p1/zz")},
     "p2.yaml", 7, "has no story 'zz'"),
    ("not page/story", {"p2.yaml": P2_18.replace("continues: p1/s", "continues: p1")},
     "p2.yaml", 7, "continues must name <page>/<story>"),
    ("loop across pages", {"p1.yaml": P1.replace("chain: [f1, f2]}", "chain: [f1, f2], continues: p2/t}")},
     "p2.yaml", 7, "stories continue each other in a loop across pages"),
    ("continued twice", {"p3.yaml": P2_18.replace("name: p2", "name: p3"),
                         "ed.yaml": EDITION + "  - {file: p3.yaml}\n"},
     "p3.yaml", 7, "is continued twice"),
    ("own page", {"p1.yaml": P1.replace("  f2: {col: 2, line: 5, lines: 16}", "  f2: {col: 2, line: 5, lines: 15}\n"
                                        "  f3: {col: 2, line: 20, lines: 1}").replace(
        "chain: [f1, f2]}", "chain: [f1, f2]}\n  u: {continues: p1/s, chain: [f3]}")},
     "p1.yaml", 9, "on its own page"),
    ("headline block on a continuation", {"p2.yaml": P2_18.replace(", continued_head: chead", "") + HEAD_ON_T},
     "p2.yaml", 9, "story 't' is a continuation (continues: p1/s), which has no head of its own for a headline block"),
    ("headline block on a continuation with continued_head", {"p2.yaml": P2_18 + HEAD_ON_T}, "p2.yaml", 9,
     "its continued_head (chead) already sets the headline there"),
    ("master missing", {"p1.yaml": P1.replace("master: master.yaml", "master: nothere.yaml")},
     "p1.yaml", 1, "master 'nothere.yaml' does not exist"),
    ("master loop", {"master.yaml": "master: p1.yaml\n" + MASTER},
     "master.yaml", 1, "masters based on each other in a loop: p1.yaml → master.yaml → p1.yaml"),
    ("variable without value", {"master.yaml": MASTER.replace("{section}", "{editor}")},
     "master.yaml", 15, "variable {editor} has no value"),
    ("page file missing", {"ed.yaml": EDITION.replace("p2.yaml", "p9.yaml")},
     "ed.yaml", 4, "page spec 'p9.yaml' does not exist"),
    ("two pages one name", {"ed.yaml": EDITION.replace("p2.yaml", "p1.yaml")},
     "ed.yaml", 4, "both named 'p1'"),
    ("unknown edition key", {"ed.yaml": EDITION.replace("paper:", "papr:")},
     "ed.yaml", 1, "unknown key 'papr' in edition"),
    ("file and spec", {"ed.yaml": EDITION.replace("{file: p2.yaml,", "{file: p2.yaml, spec: {},")},
     "ed.yaml", 4, "gives both file: and spec:"),
    ("neither file nor spec", {"ed.yaml": EDITION.replace("{file: p2.yaml,", "{")},
     "ed.yaml", 4, "needs either file:"),
    ("an edition as a page", {"ed.yaml": EDITION.replace("{file: p2.yaml,", "{file: ed.yaml,")},
     "ed.yaml", 4, "'ed.yaml' is an edition, not a page spec"),
    ("no pages", {"ed.yaml": "edition: {name: ed}\npages: []\n"}, "ed.yaml", 2, "needs pages"),
    ("override of a missing block", {"ed.yaml": EDITION.replace(
        "{file: p1.yaml, section: 要闻}", "{file: p1.yaml, section: 要闻, override: {blocks: {7: {at: {lines: 2}}}}}")},
     "ed.yaml", 3, "item 7 of blocks does not exist"),
    ("no jump style", {"master.yaml": MASTER.replace("  jump: {role: kai, size: 小五, align: right}\n", "")},
     "p1.yaml", None, "defines no style 'jump'"),
    ("two faces for one role", {"p2.yaml": P2_18 + "fonts: {song: ../fonts/other.ttf}\n"},
     "p2.yaml", 8, "one edition uses one face per role"),
    ("page file outside the project", {"ed.yaml": EDITION.replace("p2.yaml", "../../elsewhere/p2.yaml")},
     "ed.yaml", 4, "page spec '../../elsewhere/p2.yaml' is outside the project folder"),
    ("page file by an absolute path", {"ed.yaml": EDITION.replace("p2.yaml", "/etc/passwd")},
     "ed.yaml", 4, "page spec '/etc/passwd' is outside the project folder"),
    ("master outside the project", {"p1.yaml": P1.replace("master: master.yaml", "master: ../../elsewhere/m.yaml")},
     "p1.yaml", 1, "master '../../elsewhere/m.yaml' is outside the project folder"),
    ("master of an override outside", {"p1.yaml": P1.replace("master: master.yaml", "master: /etc/passwd"),
                                       "ed.yaml": EDITION.replace("section: 要闻}", "section: 要闻, override: {}}")},
     "p1.yaml", 1, "master '/etc/passwd' is outside the project folder"),
    ("nine masters deep", {"master.yaml": "master: m2.yaml\n" + MASTER,
                           **{f"m{i}.yaml": f"master: m{i + 1}.yaml\n" for i in range(2, 9)}, "m9.yaml": "{}\n"},
     "m8.yaml", 1, "masters are nested 9 deep, over the limit of 8"),
    ("bad page in inline spec", {"ed.yaml": EDITION + "  - {spec: {master: master.yaml, page: {name: x}, "
                                                      "frames: {h: {col: 9, line: 1}}}}\n"},
     "ed.yaml", 5, "reaches column 9"),
    ("edition name with a newline", {"ed.yaml": EDITION.replace("{name: ed,", '{name: "ed\\nx",')},
     "ed.yaml", 1, "edition name 'ed\\nx' holds a control character (U+000A"),
    ("page name with a control character", {"p1.yaml": P1.replace("{name: p1}", '{name: "p1\\u0007"}')},
     "p1.yaml", 2, "page name 'p1\\x07' holds a control character (U+0007"),
    ("page name with a line separator", {"p2.yaml": P2_18.replace("{name: p2}", '{name: "p\\u2028two"}')},
     "p2.yaml", 2, "holds a line separator (U+2028"),
]


def _font(tmp_path: Path) -> None:
    """A second song face for the project (a copy of the one that serves song)."""
    import shutil

    from pagesetter.fonts.roles import resolve_face

    (tmp_path / "fonts").mkdir(exist_ok=True)
    shutil.copy(resolve_face("song", {}, []).path, tmp_path / "fonts" / "other.ttf")


@pytest.mark.parametrize("case, files, file, line, words", CASES, ids=[c[0] for c in CASES])
def test_bad_edition_input_is_located(tmp_path, case, files, file, line, words):
    from test_safety import snapshot

    _font(tmp_path)
    path = edition_project(tmp_path, **{k.replace(".", "_"): v for k, v in files.items()})
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert snapshot(tmp_path) == before  # no input changed, nothing written
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert words in result.output, result.output
    place = re.search(rf"{re.escape(file)}:(\d+):(\d+): [^\n]*{re.escape(words)}", result.output)
    assert place, result.output
    if line is not None:
        assert int(place.group(1)) == line, result.output
    assert "fix:" in result.output
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("    fix:")]
    assert len(lines) == len(set(lines)), "a problem is reported once"


def test_docs_list_every_bad_edition_input():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "bad-edition-inputs.md").read_text(encoding="utf-8")
    for case in CASES:
        assert f"| {case[0]} |" in doc, f"docs/bad-edition-inputs.md lacks {case[0]!r}: run python tests/test_edition_errors.py"


def _write_docs() -> None:
    """Rewrite docs/bad-edition-inputs.md from CASES (run this file as a script)."""
    import tempfile

    rows = []
    for case, files, _file, _line, _words in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            _font(Path(tmp))
            path = edition_project(Path(tmp), **{k.replace(".", "_"): v for k, v in files.items()})
            out = CliRunner().invoke(main, ["check", str(path)]).output
            shown = out.replace(str(Path(tmp).resolve()) + "/", "").replace(tmp + "/", "").strip()
            shown = shown.replace(str(Path(tmp).resolve()), "<project>").replace(tmp, "<project>")
        shown = shown.removeprefix("error: ").replace("\n    fix:", " — *fix:*").replace("\n", "<br>")
        rows.append(f"| {case} | {shown} |")
    text = ("# Bad edition inputs and what they get\n\nGenerated by `python tests/test_edition_errors.py` from "
            "its CASES, which the tests run on every test run (`pagesetter check`, exit 2, no traceback). Each "
            "row is the small edition of tests/editions.py (a master, pages p1 and p2, story s on p1 continued "
            "as t on p2) with one mistake made.\n\n| bad input | message (file:line:column, what, fix) |\n|---|---|\n"
            + "\n".join(rows) + "\n" + EDITION_OUTPUTS_HEAD + "\n".join(_edition_output_rows()) + "\n")
    (Path(__file__).resolve().parents[1] / "docs" / "bad-edition-inputs.md").write_text(text, encoding="utf-8")


EDITION_OUTPUTS_HEAD = """
## Building an edition: outputs and processes

An edition's build writes one set — `out/<edition>.pdf`, `out/<edition>/NN-<page>.pdf` and `.png`, and
`out/<edition>.report.json`, which records every member's size and SHA-256 — and replaces or removes
only files of its earlier set as they were written. These rows are cases of the hostile corpus
(`HOSTILE` in tests/bad_inputs.py, run by tests/test_safety.py::test_hostile_command_line: exit code,
message, and every file of the project hashed before and after); the processes' rows are
tests/test_processes.py's.

| bad input | command | exit | message |
|---|---|---|---|
"""


def edition_output_cases() -> list:
    from bad_inputs import HOSTILE

    return [c for c in HOSTILE if "ed.yaml" in " ".join(c.args)]


def _edition_output_rows() -> list[str]:
    import bad_inputs

    rows = bad_inputs._hostile_rows(edition_output_cases())
    rows = ["| " + r.split(" | ", 1)[1] for r in rows]  # (without the class)
    return rows + [
        "| the parent of `build --jobs 2` killed with kill -9, kill, Ctrl-C or SIGHUP | `pagesetter build layouts/ed.yaml "
        "--jobs 2` | -9, 143, 130, 129 | no pool worker is left running; the earlier edition output is untouched "
        "(test_processes.py::test_pool_workers_die_with_their_parent) |",
        "| an RGB picture with a CMYK profile on both pages, two processes | `pagesetter build layouts/ed.yaml --jobs 2` "
        "| 1 | warning: … image cmyk.jpg: its embedded ICC profile is for CMYK colours, but its pixels are RGB; the "
        "profile is ignored and the picture taken as sRGB (test_pictures.py::"
        "test_profile_that_does_not_fit_through_the_edition_pool) |"]


def test_docs_list_every_edition_output_case():
    doc = (Path(__file__).resolve().parents[1] / "docs" / "bad-edition-inputs.md").read_text(encoding="utf-8")
    for case in edition_output_cases():
        assert f"| {case.what} |" in doc, f"docs/bad-edition-inputs.md lacks {case.id}: run python tests/test_edition_errors.py"


if __name__ == "__main__":
    _write_docs()


@pytest.mark.parametrize("source", ["/dev/zero", "/dev/null", "/"])
def test_telling_editions_from_pages_reads_no_more_than_a_spec(source):
    """`is_edition` must not read a device or a folder (a /dev/zero spec once filled the memory)."""
    from pagesetter.pagespec.edition import is_edition

    assert is_edition(Path(source)) is False
