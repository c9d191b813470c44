"""Hostile PDFs given to `preflight`, `render` and `diff` (issue 18): every malformed case is exit 1
(damage reported) or 2 (refused) with a message naming the file and a fix — never exit 3, never a
hang; unbounded work is refused by the survey's limits before pdfium parses anything. The PDFs
are made in tests/hostile_pdfs.py; the CLI cases with their messages are also rows of
docs/bad-inputs.md (tests/bad_inputs.py HOSTILE, run by test_safety.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import hostile_pdfs as H  # noqa: E402

from pagesetter.check import pdfread  # noqa: E402
from pagesetter.check.pdfsurvey import vet  # noqa: E402
from pagesetter.check.readback import PdfText  # noqa: E402
from pagesetter.cli import main  # noqa: E402
from pagesetter.errors import PagesetterError  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "jiceng-dangjian.pdf"
COMMANDS = ("preflight", "render", "diff")


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def command(name: str, pdf: Path, tmp_path: Path) -> list:
    good = tmp_path / "good.pdf"
    good.write_bytes(H.good())
    return {"preflight": ["preflight", pdf], "render": ["render", pdf, "-o", tmp_path / "out.png"],
            "diff": ["diff", good, pdf, "--no-image"]}[name]


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("case", H.MALFORMED, ids=lambda c: c[0])
def test_malformed_pdf_is_exit_1_or_2_with_a_message(tmp_path, case, name):
    """Exit 2 names the file and the fix; exit 1 from render/diff warns of the damage with a fix;
    preflight's exit 1 lists the damage the survey found among its findings."""
    ident, make, _what = case
    pdf = tmp_path / f"{ident}.pdf"
    pdf.write_bytes(make())
    result = run(*command(name, pdf, tmp_path))
    allowed = {0, 1} if ident in H.REPAIRED and name != "preflight" else {1, 2}
    assert result.exit_code in allowed, result.output
    if result.exit_code == 2:
        assert f"error: {pdf}: " in result.output and "fix: " in result.output, result.output
        assert not (tmp_path / "out.png").exists()
        return
    try:
        damage = vet(pdf.read_bytes(), pdf).damage
    except PagesetterError:  # (refused: exit 2 above)
        raise AssertionError(result.output) from None
    for d in damage:
        assert (f"warning: {pdf}: damaged PDF: {d}" if name != "preflight" else f": {d}") in result.output
    if damage and name != "preflight":
        assert "fix: the file is damaged" in result.output


@pytest.mark.parametrize("ident", ["empty-descendant-fonts", "font-is-number", "no-media-box", "absurd-media-box",
                                   "intents-not-array", "root-missing", "self-kids", "xref-cut", "parent-loop",
                                   "huge-count", "kids-cycle", "encrypted"])
def test_the_issue_s_cases_are_damage_or_refused(ident):
    """Each case the issue names is reported (damage) or refused, never read as if sound."""
    make = {i: m for i, m, _ in H.MALFORMED}[ident]
    try:
        assert vet(make(), ident).damage
    except PagesetterError as exc:
        assert exc.problems[0].fix


def test_a_sparse_gigabyte_is_refused_by_its_size(tmp_path):
    """A 1 GB file (sparse: no disk used) is refused before a byte is read, by all three commands."""
    big = tmp_path / "big.pdf"
    H.sparse_file(big, 1 << 30)
    for name in COMMANDS:
        result = run(*command(name, big, tmp_path))
        assert result.exit_code == 2, result.output
        assert f"{big}: PDF is 1,073,741,824 bytes, over the 256,000,000-byte limit" in result.output
        assert "fix: split the PDF" in result.output


def test_byte_limit_counted_while_reading_a_pipe(monkeypatch):
    """A pipe (`<(git show HEAD:x.pdf)`) has no size: the cap holds while reading."""
    import os
    import threading

    monkeypatch.setattr(pdfread, "MAX_PDF_BYTES", 100_000)
    read_end, write_end = os.pipe()

    def write():
        try:
            os.write(write_end, H.good() + b"%" * 200_000)
        except BrokenPipeError:
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(PagesetterError, match="over the 100,000-byte limit"):
            pdfread.read_pdf_file(Path(f"/dev/fd/{read_end}"))
    finally:
        os.close(read_end)
        writer.join(timeout=10)


def test_operators_of_forms_counted_each_time_drawn():
    """Forms drawing forms: the page's 10 draws of a form of 10 draws of a form of 10 draws of a
    rectangle (re f: 2 operators) are 10 + 10 × (10 + 10 × (10 + 10 × 2)) = 3,110 operators."""
    assert vet(H.nested_forms(levels=3, fan=10), "forms").operators == 3110
    with pytest.raises(PagesetterError, match="page 1 draws over 1,000,000 content operators"):
        vet(H.nested_forms(levels=6, fan=10), "forms")


def test_dense_content_refused_at_the_operator_limit():
    assert vet(H.dense_content(400_000), "dense").operators == 800_000  # under the limit: read
    with pytest.raises(PagesetterError, match="page 1 draws over 1,000,000 content operators") as err:
        vet(H.dense_content(600_000), "dense")
    assert "simplify its artwork" in err.value.problems[0].fix


def test_document_operator_limit_counts_shared_streams_per_page():
    assert vet(H.shared_dense(12), "shared").operators == 12 * 800_000
    with pytest.raises(PagesetterError, match="the PDF draws over 10,000,000 content operators in its first 13 pages"):
        vet(H.shared_dense(13), "shared")


def test_page_limit_from_the_walk_not_from_count():
    assert vet(H.many_pages(200), "pages").pages == 200
    with pytest.raises(PagesetterError, match="the PDF has over 200 pages"):
        vet(H.many_pages(201), "pages")
    assert vet(H.huge_count(), "count").pages == 1  # /Count 2,147,483,647 is damage, not pages


def test_objects_counted_before_pypdf_checks_each():
    """pypdf looks at every xref entry (120,000 take it seconds): the count comes first."""
    assert pdfread.count_objects(H.good()) == 6
    assert pdfread.count_objects(H.many_objects(120_000)) == 120_000
    with pytest.raises(PagesetterError, match="the PDF lists 120,000 objects, over the limit of 100,000"):
        vet(H.many_objects(120_000), "objects")
    assert vet(H.many_objects(1_000), "objects").pages == 1


def test_readback_holds_the_page_limit_for_any_caller():
    with pytest.raises(PagesetterError, match="over 200 pages"):
        PdfText(H.many_pages(201), "pages")


def test_the_sample_page_is_undamaged():
    found = vet(GOLDEN.read_bytes(), GOLDEN)
    assert (found.pages, found.damage) == (1, ())
    assert 5_000 < found.operators < 10_000  # 6,482: far under the limit of 1,000,000


def test_a_check_meeting_damage_is_a_finding_never_a_crash():
    """preflight's own checks run guarded: damage the survey did not name becomes a finding saying
    what could not be checked; damage it named on that page is not repeated."""
    from pagesetter.check.pdfread import Damage, Survey
    from pagesetter.check.preflight import _guarded

    def broken():
        raise AttributeError("'NumberObject' object has no attribute 'get'")

    clean = Survey(1, 0, ())
    [finding] = _guarded(clean, 1, "page 1", broken)
    assert (finding.where, finding.what) == ("page 1", "damaged: cannot be checked (AttributeError: "
                                             "'NumberObject' object has no attribute 'get')")
    named = Survey(1, 0, (Damage("page 1 font /F1", "is a number, not a font dictionary", 1),))
    assert _guarded(named, 1, "page 1", broken) is None
    assert _guarded(clean, 1, "page 1", lambda: []) == []


def test_preflight_goes_on_past_damage():
    """A damaged object costs only its own check: the page's other findings stay."""
    from pagesetter.check.preflight import preflight

    for make, damage in ((H.no_media_box, "has no /MediaBox"), (H.empty_descendant_fonts, "without its descendant"),
                         (H.output_intents_not_array, "not an array of output intents")):
        found = [str(f) for f in preflight(make(), name="x.pdf")]
        assert any(damage in f for f in found), found
        assert "PDF/X-4: page 1: no TrimBox (or ArtBox)" in found
        assert "PDF/X-4: catalog: no GTS_PDFX output intent" in found
        assert not any("cannot be checked" in f for f in found), found


def test_a_damaged_resource_entry_costs_only_itself():
    """/Font a number: the page's colour spaces are still checked (found by review: the whole
    page's checks were dropped)."""
    from pagesetter.check.preflight import preflight

    data = H.one_page(page_extra=b"/MediaBox [0 0 200 200]",
                      resources=b"<< /Font 5 /ColorSpace << /CS0 /DeviceRGB >> >>")
    found = [str(f) for f in preflight(data, name="x.pdf")]
    assert "PDF/X-4 + PDF/A-2: page 1 colour space /CS0: DeviceRGB" in found, found
    assert "PDF/X-4: page 1: no TrimBox (or ArtBox)" in found
    assert not any("cannot be checked" in f for f in found), found


def test_limits_are_documented():
    spec = (Path(__file__).resolve().parents[1] / "docs" / "spec.md").read_text(encoding="utf-8")
    for figure in (f"{pdfread.MAX_PDF_BYTES:,}", f"{pdfread.MAX_PDF_PAGES}", f"{pdfread.MAX_PAGE_OPERATORS:,}",
                   f"{pdfread.MAX_PDF_OBJECTS:,}",
                   f"{pdfread.MAX_PDF_OPERATORS:,}", f"{pdfread.MAX_CONTENT_BYTES:,}"):
        assert figure in spec, figure
