"""External validators on every sample PDF: Apache PDFBox Preflight (PDF/A-1-only rules set
aside: tests/validators.py PDFA1_ONLY, docs/validators.md) and pdfcpu's strict validation, on the
sample page, the sample edition and each of its page files, and the press test page's edition."""
from __future__ import annotations

from pathlib import Path

import pytest

from presspage import press_edition
from validators import need_validators, pdfbox, pdfcpu
from pagesetter.build import build
from pagesetter.build_edition import build_edition

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    need_validators()
    folder = tmp_path_factory.mktemp("validated")
    build(ROOT / "layouts" / "jiceng-dangjian.yaml", folder / "page.pdf", png=False)
    build_edition(ROOT / "layouts" / "sample-edition.yaml", folder / "sample-edition.pdf", png=False)
    press = press_edition(tmp_path_factory.mktemp("press"))
    build_edition(press, folder / "press.pdf", png=False)
    files = sorted(folder.rglob("*.pdf"))
    assert len(files) == 8  # page; edition + 3 page files; press edition + 2 page files
    return files


def test_pdfbox_preflight_passes_every_sample_pdf(pdfs):
    for pdf in pdfs:
        kept, set_aside = pdfbox(pdf)
        assert kept == [], f"{pdf.name}: {kept}"
        # what is set aside is only ever the PDF/A-1-only rules (never an empty excuse list)
        assert all(f.split(" ")[0] in ("1.4.8", "2.1.3", "3.1.11", "7.1.1") for f in set_aside)


def test_pdfcpu_strict_validation_passes_every_sample_pdf(pdfs):
    ok, output = pdfcpu(pdfs)
    assert ok, output
    assert output.count(": ok") == len(pdfs)


def test_the_validators_catch_a_stream_without_its_end_of_line(pdfs, tmp_path):
    data = pdfs[0].read_bytes()
    broken = tmp_path / "broken.pdf"
    # the first stream's end-of-line replaced (offsets kept): data, then a stray byte, then endstream
    broken.write_bytes(data.replace(b"\nendstream", b" endstream", 1))
    kept, _ = pdfbox(broken)
    assert any(f.startswith("1.2.2") and "EOL" in f for f in kept), kept
