"""What a PDF says about itself (文档信息) — title, dates, language, output intent — which no
pixel shows: read from both files and compared, so a changed title is a difference.

    facts = document_facts(doc)        # {"Info Title": "…", "XMP dc:title": "…", "Lang": "zh-CN", …}
    changes = compare_documents(da, db)

The facts: every entry of the document information dictionary (`Info …`), every property of the
XMP packet (`XMP dc:title`, `XMP xmp:CreateDate`, …; parsed with lxml, no entities, no network),
the catalog's `/Lang`, each output intent (its subtype, condition, registry and the sha256 of its
profile), and the PDF version. Identifiers that change with any change of content (XMP's
DocumentID and InstanceID, the trailer's /ID) are no facts of their own.
"""
from __future__ import annotations

import hashlib
from typing import Any

from ..records import record

IGNORED = frozenset(("xmpMM:DocumentID", "xmpMM:InstanceID"))
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_INTENT_KEYS = ("/S", "/OutputConditionIdentifier", "/OutputCondition", "/RegistryName", "/Info")
MAX_XMP_BYTES = 4 << 20  # a metadata packet larger than this is not read (a fact says so)


@record
class DocChange:
    """One fact about the document that differs: its name, A's value and B's ("" when absent)."""

    name: str
    a: str
    b: str


def _prefixed(qname: Any, nsmap: dict) -> str:
    """`{http://purl.org/dc/elements/1.1/}title` → `dc:title` (the packet's own prefix)."""
    if not isinstance(qname, str) or not qname.startswith("{"):
        return str(qname)
    uri, local = qname[1:].split("}", 1)
    prefix = next((p for p, u in (nsmap or {}).items() if u == uri and p), uri)
    return f"{prefix}:{local}"


def _xmp_value(element: Any) -> str:
    """A property's value: its text, or its list items' texts (rdf:Alt, Bag, Seq) joined."""
    items = [li.text or "" for li in element.iter(f"{{{_RDF}}}li")]
    return " | ".join(t.strip() for t in items) if items else (element.text or "").strip()


def xmp_facts(data: bytes) -> dict[str, str]:
    """`XMP prefix:name` → value for every property of an XMP packet (elements and attributes of
    each rdf:Description)."""
    from lxml import etree

    if len(data) > MAX_XMP_BYTES:
        return {"XMP": f"{len(data)} bytes (not read: over {MAX_XMP_BYTES})"}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data.strip(b"\0 \t\r\n"), parser)
    except etree.XMLSyntaxError as exc:
        return {"XMP": f"unreadable ({exc})"}
    out: dict[str, str] = {}
    for desc in root.iter(f"{{{_RDF}}}Description"):
        for key, value in desc.attrib.items():
            name = _prefixed(key, desc.nsmap)
            if not name.startswith("rdf:") and name not in IGNORED:
                out[f"XMP {name}"] = value
        for prop in desc:
            name = _prefixed(prop.tag, prop.nsmap)
            if name not in IGNORED:
                out[f"XMP {name}"] = _xmp_value(prop)
    return out


def _intent(entry: Any) -> str:
    entry = entry.get_object()
    parts = [f"{k[1:]}={entry[k]}" for k in _INTENT_KEYS if k in entry]
    profile = entry.get("/DestOutputProfile")
    if profile is not None:
        parts.append("profile sha256 " + hashlib.sha256(profile.get_object().get_data()).hexdigest()[:16])
    return ", ".join(parts)


def document_facts(doc) -> dict[str, str]:
    """The facts of a `readback.PdfText` (see the module's doc); {} when they cannot be read."""
    from .signature import reader_of

    try:
        reader = reader_of(doc).reader
        facts = {f"Info {str(k)[1:]}": str(v) for k, v in (reader.metadata or {}).items()}
        root: Any = reader.trailer["/Root"].get_object()
        if "/Lang" in root:
            facts["Lang"] = str(root["/Lang"])
        for n, entry in enumerate(root.get("/OutputIntents") or [], 1):
            facts[f"output intent {n}"] = _intent(entry)
        if "/Metadata" in root:
            facts.update(xmp_facts(root["/Metadata"].get_object().get_data()))
        facts["PDF version"] = str(reader.pdf_header).lstrip("%")
        return facts
    except Exception as exc:  # a damaged document: the one fact is that it could not be read
        return {"document facts": f"unreadable ({type(exc).__name__})"}


def compare_documents(da, db) -> tuple[DocChange, ...]:
    """The facts that differ between two `readback.PdfText`, in name order."""
    fa, fb = document_facts(da), document_facts(db)
    return tuple(DocChange(k, fa.get(k, ""), fb.get(k, "")) for k in sorted(set(fa) | set(fb))
                 if fa.get(k) != fb.get(k))
