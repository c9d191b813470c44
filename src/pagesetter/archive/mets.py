"""METS (an issue's 封装) of one regenerated issue, written with lxml: the files (the edition's
PDF, per page a PDF, a PNG and an ALTO file, each with its SHA-256), a physical structure map
(issue → pages → their files) and a logical one (issue → articles): each source article is one
`div TYPE="ARTICLE"` whose `area BETYPE="IDREF"` point at its ALTO TextBlocks in reading order,
on every page it runs over (a continuation, 转版, stays one article). Descriptive metadata in
MODS (the paper, the date; per article its headline and its source file), as the US NDNP and
Europeana Newspapers profiles carry it.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from lxml import etree

from ..records import record

METS_NS = "http://www.loc.gov/METS/"
MODS_NS = "http://www.loc.gov/mods/v3"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMAS = f"{METS_NS} http://www.loc.gov/standards/mets/mets.xsd {MODS_NS} http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"
# File groups by use, and each file's MIME type.
GROUPS = (("pdf", "application/pdf"), ("image", "image/png"), ("alto", "text/xml"))


@record
class PageFiles:
    """One page: its number (版次), label (第1版), files by use ('pdf', 'image', 'alto': name,
    bytes) and, per story on it, its ALTO block ids."""

    number: int
    label: str
    files: dict[str, tuple[str, bytes]]
    blocks: dict[str, list[str]]


@record
class Article:
    """A source article: its id in the METS, headline, source file, and the (page, story) parts
    it was set in, in reading order (its own story, then any continuation)."""

    id: str
    label: str
    source: str
    parts: tuple[tuple[int, str], ...]


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def _mods(parent: etree._Element, title: str, date: str = "", source: str = "", genre: str = "") -> None:
    wrap = etree.SubElement(parent, _m("mdWrap"), {"MDTYPE": "MODS"})
    mods = etree.SubElement(etree.SubElement(wrap, _m("xmlData")), f"{{{MODS_NS}}}mods")
    info = etree.SubElement(mods, f"{{{MODS_NS}}}titleInfo")
    etree.SubElement(info, f"{{{MODS_NS}}}title").text = title
    if genre:
        etree.SubElement(mods, f"{{{MODS_NS}}}genre").text = genre
    if date:
        origin = etree.SubElement(mods, f"{{{MODS_NS}}}originInfo")
        etree.SubElement(origin, f"{{{MODS_NS}}}dateIssued", {"encoding": "iso8601"}).text = date
    if source:
        etree.SubElement(mods, f"{{{MODS_NS}}}identifier", {"type": "source-file"}).text = source
    etree.SubElement(mods, f"{{{MODS_NS}}}language").append(_lang())


def _lang() -> etree._Element:
    el = etree.Element(f"{{{MODS_NS}}}languageTerm", {"type": "code", "authority": "iso639-2b"})
    el.text = "chi"
    return el


def _file(group: etree._Element, fid: str, mime: str, name: str, data: bytes) -> None:
    f = etree.SubElement(group, _m("file"), {"ID": fid, "MIMETYPE": mime, "SIZE": str(len(data)),
                                              "CHECKSUM": hashlib.sha256(data).hexdigest(), "CHECKSUMTYPE": "SHA-256"})
    etree.SubElement(f, _m("FLocat"), {"LOCTYPE": "URL", f"{{{XLINK}}}href": name})


def _file_sec(root: etree._Element, edition: tuple[str, bytes], pages: Sequence[PageFiles]) -> None:
    sec = etree.SubElement(root, _m("fileSec"))
    for use, mime in GROUPS:
        group = etree.SubElement(sec, _m("fileGrp"), {"USE": use, "ID": f"FG_{use.upper()}"})
        if use == "pdf":
            _file(group, "F_EDITION", mime, *edition)
        for p in pages:
            if use in p.files:
                _file(group, f"F_{use.upper()}_{p.number:02d}", mime, *p.files[use])


def _physical(root: etree._Element, title: str, pages: Sequence[PageFiles]) -> None:
    smap = etree.SubElement(root, _m("structMap"), {"TYPE": "PHYSICAL", "LABEL": "pages"})
    issue = etree.SubElement(smap, _m("div"), {"TYPE": "Newspaper", "LABEL": title, "ID": "PHYS_ISSUE"})
    etree.SubElement(issue, _m("fptr"), {"FILEID": "F_EDITION"})
    for p in pages:
        div = etree.SubElement(issue, _m("div"), {"TYPE": "page", "ID": f"PHYS_{p.number:02d}", "ORDER": str(p.number),
                                                  "ORDERLABEL": p.label, "LABEL": p.label})
        for use, _ in GROUPS:
            if use in p.files:
                etree.SubElement(div, _m("fptr"), {"FILEID": f"F_{use.upper()}_{p.number:02d}"})


def _logical(root: etree._Element, title: str, pages: Sequence[PageFiles], articles: Sequence[Article]) -> None:
    smap = etree.SubElement(root, _m("structMap"), {"TYPE": "LOGICAL", "LABEL": "articles"})
    issue = etree.SubElement(smap, _m("div"), {"TYPE": "ISSUE", "LABEL": title, "ID": "LOG_ISSUE", "DMDID": "DMD_ISSUE"})
    by_number = {p.number: p for p in pages}
    for order, a in enumerate(articles, 1):
        div = etree.SubElement(issue, _m("div"), {"TYPE": "ARTICLE", "ID": f"LOG_{a.id}", "ORDER": str(order),
                                                  "LABEL": a.label, "DMDID": f"DMD_{a.id}"})
        areas = [(n, b) for n, story in a.parts for b in by_number[n].blocks.get(story, [])]
        if not areas:
            continue
        seq = etree.SubElement(etree.SubElement(div, _m("fptr")), _m("seq"))
        for n, block in areas:
            etree.SubElement(seq, _m("area"), {"FILEID": f"F_ALTO_{n:02d}", "BEGIN": block, "BETYPE": "IDREF"})


def issue_mets(paper: str, date: str, edition: tuple[str, bytes], pages: Sequence[PageFiles],
               articles: Sequence[Article], software: str) -> bytes:
    """The issue's METS document (UTF-8 bytes)."""
    root = etree.Element(_m("mets"), nsmap={"mets": METS_NS, "mods": MODS_NS, "xlink": XLINK, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMAS)
    title = f"{paper} {date}"
    root.set("OBJID", f"{paper}-{date}")
    root.set("LABEL", title)
    root.set("TYPE", "Newspaper")
    hdr = etree.SubElement(root, _m("metsHdr"))
    agent = etree.SubElement(hdr, _m("agent"), {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"})
    etree.SubElement(agent, _m("name")).text = software
    _mods(etree.SubElement(root, _m("dmdSec"), {"ID": "DMD_ISSUE"}), paper, date, genre="newspaper issue")
    for a in articles:
        _mods(etree.SubElement(root, _m("dmdSec"), {"ID": f"DMD_{a.id}"}), a.label, source=a.source, genre="article")
    _file_sec(root, edition, pages)
    _physical(root, title, pages)
    _logical(root, title, pages, articles)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
