"""Preflight (印前检查): what a PDF/X-4 or a PDF/A-2 validator would reject in any PDF.

    problems = preflight(Path("out/page.pdf"))     # [] when the file passes
    pagesetter preflight out/page.pdf              # exit 0 clean, 1 problems, 2 not a PDF

No validator for these standards installs from PyPI or Debian (veraPDF needs Java and a download
of its own), so these are our checks, read with pypdf: the clauses a prepress or archive check
fails most often — version, identification (XMP pdfxid/pdfaid, which need an extension schema
for pdfxid), info vs XMP, output intents with an embedded printer profile, page boxes, embedded
fonts with Unicode maps (PDF/A-2u), device RGB against a CMYK intent, filters and actions PDF/A
forbids, transparency under PDF/X-1a. Each problem names the standard, the place and the fix.
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path

from ..records import record

_RGB_OPS = re.compile(rb"(?<![A-Za-z])(rg|RG)(?![A-Za-z])")


@record
class Finding:
    standard: str  # "PDF/X-4", "PDF/A-2", "PDF/X-1a" or "PDF/X-4 + PDF/A-2"
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.standard}: {self.where}: {self.what}"


def preflight(source: Path | bytes, name: str | None = None) -> list[Finding]:
    """Every problem found; PagesetterError (exit 2) if `source` (a path or the PDF's bytes) is not a
    readable PDF or is over a limit of check/pdfread.py. Damage the survey finds (a font that is a
    number, no /MediaBox, …) is a finding, and no check stops at a damaged object."""
    import logging

    from .pdfread import read_pdf_file
    from .pdfsurvey import open_surveyed

    label = name or ("PDF data" if isinstance(source, bytes) else str(source))
    data = source if isinstance(source, bytes) else read_pdf_file(Path(source))
    reader, found = open_surveyed(data, label)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not our findings
    root = reader.trailer["/Root"].get_object()
    out = [Finding(DAMAGED, d.where, d.what) for d in found.damage]
    xmp = _guarded(found, None, "catalog /Metadata", lambda: _xmp(root)) or ""
    ids = _identification(xmp if isinstance(xmp, str) else "")
    out += _guarded(found, None, "trailer", lambda: _file_checks(data, reader, root, ids)) or []
    out += _guarded(found, None, "XMP", lambda: _xmp_checks(xmp, reader, ids)) or []
    out += _guarded(found, None, "output intents", lambda: _intent_checks(root)) or []
    for n, page in enumerate(reader.pages, 1):
        out += _guarded(found, n, f"page {n}", lambda: _page_checks(page, n, ids)) or []  # noqa: B023 (called at once)
    out += _guarded(found, None, "prepress", lambda: _more_checks(data, reader, root, list(reader.pages))) or []
    return out


def _more_checks(data: bytes, reader, root, pages) -> list[Finding]:
    """Stream syntax, names, structure, layers (check.prepress); inks and resolution (check.inks)."""
    from .inks import ink_checks
    from .prepress import syntax_checks

    return [Finding(*f) for f in syntax_checks(data, reader, root) + ink_checks(reader, root, pages)]


DAMAGED = "PDF/X-4 + PDF/A-2"  # a file whose structure is broken conforms to neither (ISO 32000 first)


def _guarded(found, page: int | None, where: str, check):
    """`check()`, or None when it meets a damaged object: a finding then, unless the survey already
    named damage there (on that page, or in the document for a document-wide check)."""
    from pypdf.errors import PyPdfError

    try:
        return check()
    except (PyPdfError, AttributeError, TypeError, ValueError, KeyError, IndexError, zlib.error) as exc:
        if any(d.page == page for d in found.damage):
            return None
        return [Finding(DAMAGED, where, f"damaged: cannot be checked ({type(exc).__name__}: {exc})")]


def claimed(source: Path | bytes) -> str:
    """The standards the PDF says it meets (its XMP), for the summary line; PDF/X-4 + PDF/A-2 (what
    the checks hold a file claiming nothing to) when it says nothing or cannot be read."""
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else source, strict=False)
        ids = _identification(_xmp(reader.trailer["/Root"].get_object()))
    except Exception:  # noqa: BLE001 (preflight itself reports an unreadable file)
        return "PDF/X-4 + PDF/A-2"
    x = "PDF/X-1a" if (ids["pdfx"] or "").startswith("PDF/X-1a") else "PDF/X-4"
    return f"{x} + PDF/A-{ids['part'] or 2}"


def _xmp(root) -> str:
    meta = root.get("/Metadata")
    if meta is None:
        return ""
    stream = meta.get_object()
    try:
        return stream.get_data().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 (a damaged stream is a finding, reported below)
        return ""


def _identification(xmp: str) -> dict:
    def prop(name):
        m = re.search(rf"<{name}>([^<]*)</{name}>", xmp) or re.search(rf'{name}="([^"]*)"', xmp)
        return m.group(1).strip() if m else None
    return {"pdfx": prop("pdfxid:GTS_PDFXVersion"), "part": prop("pdfaid:part"),
            "conformance": prop("pdfaid:conformance")}


def _file_checks(data: bytes, reader, root, ids) -> list[Finding]:
    out = []
    head = re.match(rb"%PDF-1\.(\d)", data)
    version = int(head.group(1)) if head else None
    if version is None:
        out.append(Finding("PDF/X-4 + PDF/A-2", "header", "no %PDF-1.n header at byte 0"))
    elif version < 6 and not (ids["pdfx"] or "").startswith("PDF/X-1a"):
        out.append(Finding("PDF/X-4", "header", f"PDF 1.{version}; PDF/X-4 needs 1.6"))
    second = data.split(b"\n", 2)[1] if data.count(b"\n") > 1 else b""
    if not (second.startswith(b"%") and sum(b > 127 for b in second[1:5]) == 4):
        out.append(Finding("PDF/A-2", "header", "no binary comment line (4 bytes > 127) after the header"))
    trailer = reader.trailer
    if "/ID" not in trailer:
        out.append(Finding("PDF/X-4 + PDF/A-2", "trailer", "no document /ID"))
    if "/Encrypt" in trailer:
        out.append(Finding("PDF/X-4 + PDF/A-2", "trailer", "the file is encrypted"))
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        out.append(Finding("PDF/X-4 + PDF/A-2", "catalog", "JavaScript"))
    for key in ("/OpenAction", "/AA"):
        if key in root and "/JavaScript" in str(root[key].get_object()):
            out.append(Finding("PDF/X-4 + PDF/A-2", f"catalog {key}", "a JavaScript action"))
    if b"/LZWDecode" in data:
        out.append(Finding("PDF/A-2", "streams", "LZW compression"))
    return out


def _info_value(reader, key: str):
    try:
        info = reader.trailer.get("/Info")
        return None if info is None else info.get_object().get(key)
    except Exception:  # noqa: BLE001
        return None


def _xmp_checks(xmp: str, reader, ids) -> list[Finding]:
    if not xmp:
        return [Finding("PDF/X-4 + PDF/A-2", "catalog", "no XMP metadata stream (/Metadata)")]
    out = []
    if not (ids["pdfx"] or "").startswith(("PDF/X-4", "PDF/X-1a")):
        out.append(Finding("PDF/X-4", "XMP", "no pdfxid:GTS_PDFXVersion PDF/X-4"))
    elif "http://www.aiim.org/pdfa/ns/extension/" not in xmp:
        out.append(Finding("PDF/A-2", "XMP", "pdfxid used without a PDF/A extension schema describing it"))
    if ids["part"] != "2" or (ids["conformance"] or "").upper() not in ("A", "B", "U"):
        out.append(Finding("PDF/A-2", "XMP", "no pdfaid:part 2 with conformance A, B or U"))
    meta = reader.trailer["/Root"].get_object()["/Metadata"].get_object()
    if "/Filter" in meta:
        out.append(Finding("PDF/A-2", "XMP", "the metadata stream is compressed (/Filter)"))
    title = _info_value(reader, "/Title")
    m = re.search(r"<dc:title>.*?<rdf:li[^>]*>([^<]*)</rdf:li>", xmp, re.S)
    if not m or not m.group(1).strip():
        out.append(Finding("PDF/X-4", "XMP", "no dc:title (the document needs a title)"))
    elif title is not None and str(title) != _unescape(m.group(1)):
        out.append(Finding("PDF/A-2", "info /Title", "differs from the XMP dc:title"))
    trapped = _info_value(reader, "/Trapped")
    if str(trapped) not in ("/True", "/False"):
        out.append(Finding("PDF/X-4", "info /Trapped", "must be /True or /False"))
    producer = _info_value(reader, "/Producer")
    pm = re.search(r"<pdf:Producer>([^<]*)</pdf:Producer>", xmp)
    if producer is not None and (not pm or _unescape(pm.group(1)) != str(producer)):
        out.append(Finding("PDF/A-2", "info /Producer", "differs from (or is missing in) the XMP pdf:Producer"))
    return out


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def _intent_checks(root) -> list[Finding]:
    listed = root.get("/OutputIntents")
    listed = listed.get_object() if listed is not None else []
    intents = [i.get_object() for i in listed] if isinstance(listed, list) else []  # (the survey names damage)
    intents = [i for i in intents if hasattr(i, "get")]
    kinds = {str(i.get("/S")): i for i in intents}
    out = []
    for kind, std in (("/GTS_PDFX", "PDF/X-4"), ("/GTS_PDFA1", "PDF/A-2")):
        intent = kinds.get(kind)
        if intent is None:
            out.append(Finding(std, "catalog", f"no {kind[1:]} output intent"))
            continue
        profile = intent.get("/DestOutputProfile")
        if profile is None:
            out.append(Finding(std, f"{kind[1:]} output intent", "no embedded ICC profile (DestOutputProfile)"))
            continue
        if not hasattr(profile.get_object(), "get_data"):  # damaged (the survey names it)
            continue
        icc = profile.get_object().get_data()
        if icc[12:16] != b"prtr" and kind == "/GTS_PDFX":
            out.append(Finding(std, "output intent profile", "not an output (printer) profile"))
        if icc[16:20] != b"CMYK" and kind == "/GTS_PDFX":
            out.append(Finding(std, "output intent profile", f"colour space {icc[16:20]!r}, not CMYK"))
    refs = {getattr(i.get("/DestOutputProfile"), "idnum", None) for i in intents if "/DestOutputProfile" in i}
    if len(refs) > 1:
        out.append(Finding("PDF/A-2", "output intents", "more than one different DestOutputProfile"))
    return out


def _page_checks(page, n: int, ids) -> list[Finding]:
    out = []
    where = f"page {n}"
    media = _box(page, "/MediaBox")
    if "/TrimBox" not in page and "/ArtBox" not in page:
        out.append(Finding("PDF/X-4", where, "no TrimBox (or ArtBox)"))
    for box in ("/BleedBox", "/TrimBox"):
        if box in page and media and (b := _box(page, box)):  # (a box not of four numbers: the survey names it)
            if b[0] < media[0] - 0.01 or b[1] < media[1] - 0.01 or b[2] > media[2] + 0.01 or b[3] > media[3] + 0.01:
                out.append(Finding("PDF/X-4", where, f"{box[1:]} extends beyond the MediaBox"))
    x1a = (ids["pdfx"] or "").startswith("PDF/X-1a")
    out += _resources(page.get("/Resources"), where, x1a, set())
    try:
        content = page.get_contents()
        data = content.get_data() if content is not None else b""
    except Exception:  # noqa: BLE001
        data = b""
    if _RGB_OPS.search(data):
        out.append(Finding("PDF/X-4 + PDF/A-2", where, "DeviceRGB colour (rg/RG) against a CMYK output intent"))
    return out


def _box(page, name: str) -> list[float] | None:
    """A page box as four numbers (the MediaBox inherited), None when missing or damaged."""
    try:
        box = page.mediabox if name == "/MediaBox" else page[name].get_object()
        values = [float(v) for v in box]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return values if len(values) == 4 else None


def _entries(res, key: str) -> list:
    """A resource dictionary's (name, value) pairs under `key`; none when the entry is damaged (a
    number where a dictionary belongs: the survey names it), so the page's other checks go on."""
    entry = res.get(key)
    entry = entry.get_object() if entry is not None else None
    return list(entry.items()) if entry is not None and hasattr(entry, "items") else []


def _resources(res, where: str, x1a: bool, seen: set) -> list[Finding]:
    out: list[Finding] = []
    if res is None:
        return out
    res = res.get_object()
    if not hasattr(res, "get"):  # damaged (the survey names it): the other checks go on
        return out
    for name, ref in _entries(res, "/Font"):
        out += _font(ref.get_object(), f"{where} font {name}")
    for name, ref in _entries(res, "/XObject"):
        key = getattr(ref, "idnum", None)
        if key is not None and key in seen:
            continue
        seen.add(key)
        xo = ref.get_object()
        out += _xobject(xo, f"{where} XObject {name}", x1a, seen)
    for name, ref in _entries(res, "/ExtGState"):
        gs = ref.get_object()
        if x1a and (float(gs.get("/CA", 1)) < 1 or float(gs.get("/ca", 1)) < 1
                    or str(gs.get("/SMask", "/None")) != "/None"):
            out.append(Finding("PDF/X-1a", f"{where} ExtGState {name}", "transparency"))
        if "/TR" in gs:
            out.append(Finding("PDF/X-4 + PDF/A-2", f"{where} ExtGState {name}", "a transfer function (/TR)"))
    for name, cs in _entries(res, "/ColorSpace"):
        if "/DeviceRGB" in str(cs.get_object()):
            out.append(Finding("PDF/X-4 + PDF/A-2", f"{where} colour space {name}", "DeviceRGB"))
    return out


def _xobject(xo, where: str, x1a: bool, seen: set) -> list[Finding]:
    out: list[Finding] = []
    if not hasattr(xo, "get"):  # damaged (the survey names it)
        return out
    if xo.get("/Subtype") == "/Image":
        cs = str(xo.get("/ColorSpace"))
        if "/DeviceRGB" in cs:
            out.append(Finding("PDF/X-4 + PDF/A-2", where, "a DeviceRGB image against a CMYK output intent"))
        if xo.get("/Interpolate"):
            out.append(Finding("PDF/A-2", where, "/Interpolate true"))
        if "/Alternates" in xo:
            out.append(Finding("PDF/A-2", where, "image /Alternates"))
        if x1a and "/SMask" in xo:
            out.append(Finding("PDF/X-1a", where, "a soft mask (transparency)"))
        if "/ICCBased" in cs and "/SMask" not in xo and x1a:
            out.append(Finding("PDF/X-1a", where, "an ICC-based image (X-1a wants CMYK or gray only)"))
    elif xo.get("/Subtype") == "/Form":
        out += _resources(xo.get("/Resources"), where, x1a, seen)
    return out


def _font(font, where: str) -> list[Finding]:
    out: list[Finding] = []
    if not hasattr(font, "get"):  # damaged (the survey names it)
        return out
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return out
    desc = font
    if subtype == "/Type0":
        kids = font.get("/DescendantFonts")
        desc = kids.get_object()[0].get_object() if kids and len(kids.get_object()) else {}
    fd = desc.get("/FontDescriptor")
    fd = fd.get_object() if fd is not None else {}
    if not any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        out.append(Finding("PDF/X-4 + PDF/A-2", where, f"font {font.get('/BaseFont')} is not embedded"))
    if "/ToUnicode" not in font:
        out.append(Finding("PDF/A-2", where, f"font {font.get('/BaseFont')} has no ToUnicode map (PDF/A-2u)"))
    return out
