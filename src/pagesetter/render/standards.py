"""What makes the file PDF/X-4 and PDF/A-2u at once (印刷与存档标准): the output intent with its
embedded CMYK profile, XMP metadata identifying both standards, a document info dictionary that
agrees with it, and a document ID taken from the file's own bytes.

Dates come from the spec (`page.date`, an edition's date), else from SOURCE_DATE_EPOCH (the
reproducible-builds convention: the day it names), else are fixed (2000-01-01, not claimed as the
issue's date in title or subject): never from the clock.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from reportlab.pdfbase.pdfdoc import (PDFArray, PDFCatalog, PDFDictionary, PDFName, PDFObject,
                                      PDFStream, PDFString)

from ..records import record
from .profilecache import profile_stream

# the default output condition: coldset newsprint, CGATS TR 002, as the ICC's registry of
# characterization data names it; the profile made from its data with a 240 % total ink limit
# (tools/make_newsprint_profile.py has the recipe; its sha256 is kept beside it)
DEFAULT_PROFILE = Path(__file__).resolve().parent.parent / "profiles" / "CGATS-TR002-newsprint-240.icc"
DEFAULT_CONDITION = "CGATS TR 002"
DEFAULT_TAC = 240.0  # % total ink the default profile is made for
FIXED_DATE = "2000-01-01"
# placeholder for the document ID, replaced by a digest of the finished file (same length)
ID_PLACEHOLDER = b"D0C1D0C1D0C1D0C1D0C1D0C1D0C1D0C1"


@record
class DocMeta:
    """What the file says about itself: title, paper (报名), issue date, page number (版次), the
    output condition (an ICC profile and its name) and which standards to claim."""

    title: str
    paper: str = ""
    date: str = FIXED_DATE  # YYYY-MM-DD
    page: int | None = None
    profile: Path = DEFAULT_PROFILE
    condition: str = ""  # the output condition's name; default: the profile's description
    standard: str = "x4"  # "x4": PDF/X-4 + PDF/A-2u; "x1a": PDF/X-1a:2003 + PDF/A-2u (no transparency)
    lang: str = "zh-CN"
    keep_rgb: bool = False  # RGB pictures stay RGB (ICC-tagged) instead of going to the profile
    proof: bool = False  # a preview's rendering (never a file's): pages with page.placeholders show their slots
    heading: str = ""  # the page's own title (page.title or its first headline), without paper and date
    labels: tuple = ()  # an edition's page numbers (版次), one per page: its page labels

    @property
    def subject(self) -> str:
        return " ".join(p for p in (self.paper, self.date if self.date != FIXED_DATE else "",
                                    f"第{self.page}版" if self.page else "") if p)


def issue_date() -> str | None:
    """The day SOURCE_DATE_EPOCH names (YYYY-MM-DD, UTC), or None when it is unset or not a
    whole number of seconds."""
    import datetime
    import os

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit() or int(value) > 253402300799:  # (9999-12-31)
        return None
    return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc).date().isoformat()


def chinese_date(date: str) -> str:
    """2022-06-24 → 2022年6月24日 (as a paper prints its date)."""
    y, m, d = date.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def page_title(paper: str, date: str | None, page: int | None, own: str, name: str) -> str:
    """A page's title: paper, date and page (人民日报 2022年6月24日 第2版), then its own title
    after ｜; with none of them, its own title or its name."""
    named = " ".join(p for p in (paper, chinese_date(date) if date and date != FIXED_DATE else "",
                                 f"第{page}版" if page else "") if p)
    return "｜".join(p for p in (named, own) if p) or name


class _Info(PDFObject):
    """The document info dictionary, agreeing with the XMP (PDF/A-2 §6.6.2.3)."""

    def __init__(self, meta: DocMeta):
        self.meta = meta

    def digest(self, md5) -> None:
        md5.update(self.meta.title.encode("utf-8"))

    def format(self, document):
        m = self.meta
        date = PDFString(f"D:{m.date.replace('-', '')}000000+00'00'")
        d = {"Title": PDFString(m.title), "Creator": PDFString("pagesetter"),
             "Producer": PDFString("pagesetter (ReportLab)"), "CreationDate": date, "ModDate": date,
             "Trapped": PDFName("False")}
        if m.subject:
            d["Subject"] = PDFString(m.subject)
        if m.standard == "x1a":
            d["GTS_PDFXVersion"] = PDFString("PDF/X-1a:2003")
        return PDFDictionary(d).format(document)


class _Metadata(PDFObject):
    """The XMP stream, uncompressed (no /Filter at all) so that any tool can read it in place."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document):
        head = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML"),
                              "Length": len(self.data)}).format(document)
        return head + b"\nstream\n" + self.data + b"\nendstream\n"


def apply(doc, meta: DocMeta) -> None:
    """Set info, XMP, output intents, /Lang and the ID placeholder on ReportLab's document."""
    doc.info = _Info(meta)
    cat = doc.Catalog
    cat.__NoDefault__ = list(PDFCatalog.__NoDefault__) + ["OutputIntents"]
    cat.__Refs__ = list(PDFCatalog.__Refs__)
    cat.Lang = PDFString(meta.lang)
    cat.Metadata = doc.Reference(_Metadata(xmp_packet(meta).encode("utf-8")))
    packed, desc = profile_stream(meta.profile, lambda: _description(meta.profile))
    icc = doc.Reference(PDFStream(PDFDictionary({"N": 4, "Filter": PDFArray([PDFName("FlateDecode")])}),
                                  packed))
    intents = [PDFDictionary({"Type": PDFName("OutputIntent"), "S": PDFName(kind),
                              **_condition(meta, desc), "DestOutputProfile": icc})
               for kind in ("GTS_PDFX", "GTS_PDFA1")]
    cat.OutputIntents = PDFArray(intents)
    if meta.labels:  # an edition's pages labelled by their numbers (版次), each where it starts a new run
        nums = []
        for i, n in enumerate(meta.labels):
            if i == 0 or n != meta.labels[i - 1] + 1:
                nums += [i, PDFDictionary({"S": PDFName("D"), "St": n})]
        cat.__NoDefault__ = list(cat.__NoDefault__) + ["PageLabels"]
        cat.PageLabels = PDFDictionary({"Nums": PDFArray(nums)})
    doc._ID = b"[<" + ID_PLACEHOLDER + b"><" + ID_PLACEHOLDER + b">]"


def finish(data: bytes) -> bytes:
    """The file with its document ID (trailer and XMP) set from a digest of its own bytes."""
    digest = hashlib.sha256(data).hexdigest()[:32].upper().encode("ascii")
    return data.replace(ID_PLACEHOLDER, digest)


def _description(path: Path) -> str:
    from PIL import ImageCms

    return ImageCms.getProfileDescription(ImageCms.getOpenProfile(str(path))).strip()


def _condition(meta: DocMeta, desc: str) -> dict:
    """The output intent's naming of its condition: the default is the registered CGATS TR 002
    (identifier as the ICC registry has it); a plant's own profile is "Custom", named by
    `page.condition` or its description."""
    if Path(meta.profile) == DEFAULT_PROFILE and not meta.condition:
        return {"OutputConditionIdentifier": PDFString(DEFAULT_CONDITION),
                "OutputCondition": PDFString("Coldset offset on newsprint (CGATS TR 002), 240% total ink"),
                "Info": PDFString(desc), "RegistryName": PDFString("http://www.color.org")}
    name = meta.condition or desc
    return {"OutputConditionIdentifier": PDFString("Custom"), "OutputCondition": PDFString(name),
            "Info": PDFString(name), "RegistryName": PDFString("http://www.color.org")}


_PDFX_SCHEMA = """<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/X ID Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.npes.org/pdfx/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfxid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>GTS_PDFXVersion</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>ID of PDF/X standard</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>"""


def escape(text: str) -> str:
    """`text` safe inside XML character data: &, < and > as entities (what the XMP needs; the
    same as xml.sax.saxutils.escape, whose import pulls in urllib, email and ssl)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xmp_packet(meta: DocMeta) -> str:
    """The XMP packet: Dublin Core title/subject, dates, tool, PDF/A-2u and PDF/X ids, the
    extension schema PDF/A wants for pdfxid, and document/instance ids (placeholders here)."""
    date = f"{meta.date}T00:00:00+00:00"
    ident = ID_PLACEHOLDER.decode()
    pdfx = "PDF/X-1a:2003" if meta.standard == "x1a" else "PDF/X-4"
    subject = (f"<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{escape(meta.subject)}"
               "</rdf:li></rdf:Alt></dc:description>") if meta.subject else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:language><rdf:Bag><rdf:li>{escape(meta.lang)}</rdf:li></rdf:Bag></dc:language>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.title)}</rdf:li></rdf:Alt></dc:title>
{subject}<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate><xmp:CreatorTool>pagesetter</xmp:CreatorTool>
<pdf:Producer>pagesetter (ReportLab)</pdf:Producer><pdf:Trapped>False</pdf:Trapped>
<xmpMM:DocumentID>xmp.did:{ident}</xmpMM:DocumentID><xmpMM:InstanceID>xmp.iid:{ident}</xmpMM:InstanceID>
<xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default</xmpMM:RenditionClass>
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>
<pdfxid:GTS_PDFXVersion>{pdfx}</pdfxid:GTS_PDFXVersion>
{_PDFX_SCHEMA}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
