"""The placeholder layer (占位, "not for press"): image slots without a picture, and their labels,
are drawn in an optional content group whose print state is OFF and which every file's default
configuration hides — placeholders never print, in any file, whatever a RIP or printer reads (a
PDF/X-4 RIP prints what the default configuration shows; PDF/A-2 allows no /AS to tie printing
to the print state). A viewer can switch the layer on. The PNG previews (`build`, `render` of a
spec) are made from a proof rendering of the same page (`DocMeta.proof`), in which a page's
`page.placeholders` shows its slots: one group per view state used, so an edition whose pages
differ in `page.placeholders` gets two ("shown" and "hidden") and a page previews the same alone
and inside its edition.

Optional content as PDF/A-2 and PDF/X-4 want it: every group named, a named default configuration
listing every group in /Order and the shown ones in /ON, the hidden ones in /OFF, no /AS
(ISO 19005-2 §6.9). The print state is said in each group's /Usage (ISO 32000-1 §8.11.4.4), which a
reader that prints by usage honours (Ghostscript does); the default configuration is what a
PDF/X-4 RIP prints, so only a proof rendering, never written as the page's file, shows the layer."""
from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFResourceDictionary, PDFString

TITLE = "图片占位 placeholders (not for press)"
# view state → (its resource name,)
GROUPS = {True: ("OCph",), False: ("OCphHidden",)}


class PlaceholderLayer:
    """The layer of one document; `proof`: a preview's rendering, where a page's
    `page.placeholders` shows its slots (a file's layer is hidden on every page)."""

    def __init__(self, proof: bool = False):
        self.proof = proof
        self.refs: dict[bool, object] = {}  # view state → the group's reference, once used
        self.visible = False  # the page being drawn's view state

    def begin_page(self, placeholders: bool) -> None:
        self.visible = bool(placeholders) and self.proof

    def wrap(self, doc) -> tuple[str, str]:
        """(before, after) operators putting a placeholder's drawing in its page's group."""
        if self.visible not in self.refs:
            view = "ON" if self.visible else "OFF"
            usage = PDFDictionary({"Print": PDFDictionary({"PrintState": PDFName("OFF")}),
                                   "View": PDFDictionary({"ViewState": PDFName(view)})})
            self.refs[self.visible] = doc.Reference(PDFDictionary({
                "Type": PDFName("OCG"), "Name": PDFString(TITLE), "Usage": usage,
                "Intent": PDFName("View")}))
        return f"/OC /{GROUPS[self.visible][0]} BDC", "EMC"

    def finish(self, doc) -> None:
        """The catalog's /OCProperties and each page's /Properties resource, if a group was used."""
        if not self.refs:
            return
        order = [self.refs[v] for v in (True, False) if v in self.refs]
        config = {"Name": PDFString("pagesetter"), "Order": PDFArray(order)}
        if True in self.refs:
            config["ON"] = PDFArray([self.refs[True]])
        if False in self.refs:
            config["OFF"] = PDFArray([self.refs[False]])
        cat = doc.Catalog
        cat.__NoDefault__ = list(cat.__NoDefault__) + ["OCProperties"]
        cat.OCProperties = PDFDictionary({"OCGs": PDFArray(order), "D": PDFDictionary(config)})
        props = {GROUPS[v][0]: ref for v, ref in self.refs.items()}
        for page in doc.Pages.pages:
            page.Resources = _resources(page, props)


def _resources(page, props: dict) -> PDFResourceDictionary:
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
    res.Properties = dict(props)
    return res


__all__ = ["PlaceholderLayer"]
