"""The placeholder layer (占位): image slots without a picture are drawn in an optional content
group named as not for press, hidden by default — so by default they neither show nor print
(PDF/X-4 prints what the default configuration shows), and a viewer's layer panel can show them.
`page.placeholders: true` opts in: the layer is on, so placeholders show and print (proofs).
Optional content as PDF/A-2 and PDF/X-4 want it: a named default configuration listing the group
in /Order, no /AS (ISO 19005-2 §6.9)."""
from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFResourceDictionary, PDFString

NAME = "OCph"
TITLE = "图片占位 placeholders (not for press)"


class PlaceholderLayer:
    def __init__(self, visible: bool):
        self.visible = visible
        self.ref = None

    @property
    def state(self) -> str:
        """The layer's default state, on screen and in print: "ON" or "OFF"."""
        return "ON" if self.visible else "OFF"

    def wrap(self, doc) -> tuple[str, str]:
        """(before, after) operators putting a placeholder's drawing in the layer."""
        if self.ref is None:
            usage = PDFDictionary({"Print": PDFDictionary({"PrintState": PDFName(self.state)}),
                                   "View": PDFDictionary({"ViewState": PDFName(self.state)})})
            self.ref = doc.Reference(PDFDictionary({"Type": PDFName("OCG"), "Name": PDFString(TITLE),
                                                     "Usage": usage}))
        return f"/OC /{NAME} BDC", "EMC"

    def finish(self, doc) -> None:
        """The catalog's /OCProperties and each page's /Properties resource, if the layer was used."""
        if self.ref is None:
            return
        config = PDFDictionary({"Name": PDFString("pagesetter"), "Order": PDFArray([self.ref]),
                                self.state: PDFArray([self.ref])})
        cat = doc.Catalog
        cat.__NoDefault__ = list(cat.__NoDefault__) + ["OCProperties"]
        cat.OCProperties = PDFDictionary({"OCGs": PDFArray([self.ref]), "D": config})
        for page in doc.Pages.pages:
            page.Resources = _resources(page, self.ref)


def _resources(page, ref) -> PDFResourceDictionary:
    """The resources ReportLab would give the page (pdfdoc.PDFPage.check_format), plus the layer."""
    res = PDFResourceDictionary()
    res.basicFonts()
    if page.hasImages:
        res.allProcs()
    if page.XObjects:
        res.XObject = page.XObjects
    if page.ExtGState:
        res.ExtGState = page.ExtGState
    res.setShading(page._shadingUsed)
    res.setColorSpace(page._colorsUsed)
    res.Properties = {NAME: ref}
    return res


__all__ = ["PlaceholderLayer"]
