"""Tagged PDF, article threads and the outline (结构): what lets a reader, a screen reader or an
archive follow the page as the paper does.

- Structure tree: Document (its /P the tree root) → one Art per article (篇) in reading order —
  a sidebar's two reports are two, and a story jumped to another page (转版) is one Art holding
  both pages' content (a continuation is keyed by the story it continues, PageLayout.story_keys)
  — with headline H1, kicker/subtitle/byline P, section leads H2, subheads H3, paragraphs P →
  marked content by MCID; each picture a Figure whose alternate text is its caption, with the
  Caption beside it; text blocks P; what an item declares its lines sit in (`TextLine.parents`:
  a table's Table → TR → TH/TD, a quote's BlockQuote) nested as declared. Page furniture is
  artifacts of its type (ISO 32000-1 §14.8.2.2): running heads, folios, credits and jump lines
  Pagination, rules, boxes and empty picture slots Layout. /MarkInfo, page /StructParents and the
  ParentTree go with it (§14.7).
- Threads: every article set in more than one frame gets an article thread, one bead per frame
  (the frame's lines' bounding box), in flow order, across pages (§12.4.3).
- Outline: one entry per article, titled with its whole headline (PageLayout.articles),
  pointing at its first line.
"""
from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFObjectReference, PDFString

from ..layout.model import TextLine
from ..text.justify import GlyphRun




class _Elem:
    """A structure element being collected (mutable while the pages are drawn)."""

    __slots__ = ("tag", "parent", "kids", "alt", "text", "ref")

    def __init__(self, tag: str, parent: "_Elem | None", alt: str = ""):
        self.tag, self.parent, self.alt = tag, parent, alt
        self.kids: list = []  # _Elem or (page_name, mcid)
        self.text = ""  # a caption's text (the text of other elements is not kept)
        self.ref: PDFObjectReference | None = None


class Tagger:
    """Collects marked content while pages are drawn; `finish` writes the objects."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.root = _Elem("Document", None)
        self.groups: dict[str, _Elem] = {}  # story id → its Art element
        self.containers: dict[tuple, _Elem] = {}  # (parent element's id, TextLine.parents prefix) → element
        self.current: tuple | None = None  # (group key, tag, para) of the open element
        self.elem: _Elem | None = None
        self.figure: _Elem | None = None
        self.caption: _Elem | None = None
        self.pages: list[tuple[str, list[_Elem]]] = []  # per page: its name, element per MCID
        self.beads: dict[str, list] = {}  # story → [(page name, frame, [x0, y0, x1, y1])]
        self.starts: dict[str, tuple[str, float, float]] = {}  # story → (page, x, top) of its first line
        self.titles: dict[str, str] = {}  # story → its headline
        self.names: dict[str, str] = {}  # story key → the story's id in its spec
        self.page_name, self.keys, self.articles = "", {}, {}  # the page being drawn: name, story keys, articles

    def _story(self, line: TextLine) -> str:
        """The key of the article (篇) a line belongs to in this document: its story as the page
        names it ("<page>/<story>", a continuation's the story it continues, so a jumped story is
        one article) and the article's index in the story (a sidebar's reports are two)."""
        page_story = self.keys.get(line.story) or f"{self.page_name}/{line.story}"
        article, head = self.articles.get((line.story, line.article), (str(line.article), ""))
        key = f"{page_story}#{article}"
        self.names.setdefault(key, line.story)
        if head:
            self.titles.setdefault(key, head)
        return key

    def _title(self, key: str) -> str:
        return self.titles.get(key, self.names.get(key, key))

    def begin_page(self, name: str, layout=None) -> None:
        self.pages.append((name, []))
        self.current = None
        self.page_name = layout.name if layout is not None else str(len(self.pages))
        self.keys = dict(layout.story_keys) if layout is not None else {}
        self.articles = dict(layout.articles) if layout is not None else {}

    def _mark(self, elem: _Elem) -> int:
        page, marks = self.pages[-1]
        marks.append(elem)
        elem.kids.append((page, len(marks) - 1))
        return len(marks) - 1

    def line(self, line: TextLine, height: float, width: float) -> tuple[str, str]:
        """(before, after) operators wrapping the line's BT … ET in marked content."""
        if line.tag.startswith("Artifact"):
            self.current = None
            return artifact(line.tag), "EMC"
        if line.frame in ("caption", "label") and self.figure is not None:
            if self.caption is None:
                self.caption = _Elem("Caption", self.root)
                self.root.kids.append(self.caption)
            elem = self.caption
            elem.text += GlyphRun.of(line.glyphs).text  # (the figure's alternate text)
            self.current = None
        else:
            elem = self._element(line)
        mcid = self._mark(elem)
        if line.story:
            self._bead(line, height, width)
            if line.tag == "H1":
                self.titles.setdefault(self._story(line), GlyphRun.of(line.glyphs).text)
        return f"/{elem.tag} <</MCID {mcid}>> BDC", "EMC"

    def _element(self, line: TextLine) -> _Elem:
        self.figure = self.caption = None
        key = (line.story or line.frame, line.tag or "P", line.para, line.parents)
        if key == self.current and self.elem is not None:
            return self.elem
        parent = self.root
        if line.story:
            story = self._story(line)
            group = self.groups.get(story)
            if group is None:
                group = self.groups[story] = _Elem("Art", self.root, alt=story)
                self.root.kids.append(group)
            parent = group
        parent = self._within(parent, line.parents)
        self.current, self.elem = key, _Elem(line.tag or "P", parent)
        parent.kids.append(self.elem)
        return self.elem

    def _within(self, parent: _Elem, parents: tuple[str, ...]) -> _Elem:
        """The element a line's element goes in: the containers its item declares (`TextLine.parents`:
        a table's Table and TR, an aside's Div …), each made once, under `parent`, in order."""
        for depth in range(len(parents)):
            key = (id(parent), parents[:depth + 1])
            elem = self.containers.get(key)
            if elem is None:
                elem = self.containers[key] = _Elem(parents[depth].split("#", 1)[0], parent)
                parent.kids.append(elem)
            parent = elem
        return parent

    def image(self) -> tuple[str, str]:
        """(before, after) around a placed picture: a Figure, its caption following."""
        self.current = None
        self.figure, self.caption = _Elem("Figure", self.root), None
        self.root.kids.append(self.figure)
        return f"/Figure <</MCID {self._mark(self.figure)}>> BDC", "EMC"

    def _bead(self, line: TextLine, height: float, width: float) -> None:
        if not line.glyphs:
            return
        run = GlyphRun.of(line.glyphs)
        size = run.size
        page = self.pages[-1][0]
        x0, x1 = line.x, line.x + run.xs[-1] + size
        top, bottom = height - line.y + size, height - line.y - size * 0.25
        story = self._story(line)
        if story not in self.starts:  # the outline's destination: the story's first line
            self.starts[story] = (page, x0, top)
            self.canvas.bookmarkPage(f"story-{len(self.starts) - 1}", fit="XYZ", left=x0, top=top)
        if line.frame.startswith("headline:"):
            return
        beads = self.beads.setdefault(story, [])
        if beads and beads[-1][:2] == (page, line.frame):
            r = beads[-1][2]
            r[0], r[1], r[2], r[3] = min(r[0], x0), min(r[1], bottom), max(r[2], min(x1, width)), max(r[3], top)
        else:
            beads.append((page, line.frame, [x0, bottom, min(x1, width), top]))

    def finish(self, doc) -> None:
        """Write the structure tree, the threads and the outline into `doc`."""
        tree = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        tree_ref = doc.Reference(tree)
        tree["K"] = self._write(doc, self.root, tree_ref)  # the Document's /P is the tree root
        nums = []
        for i, (_, marks) in enumerate(self.pages):
            nums += [i, doc.Reference(_Kids([m.ref for m in marks]))]
        tree["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        tree["ParentTreeNextKey"] = len(self.pages)
        cat = doc.Catalog
        cat.StructTreeRoot = tree_ref
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
        for i, page in enumerate(doc.Pages.pages):
            page.__NoDefault__ = list(page.__NoDefault__) + ["StructParents", "Tabs"]
            page.StructParents, page.Tabs = i, PDFName("S")
        threads = [self._thread(doc, story, beads) for story, beads in self.beads.items() if len(beads) > 1]
        if threads:
            cat.__NoDefault__ = list(cat.__NoDefault__) + ["Threads"]
            cat.Threads = PDFArray(threads)
        self._outline(self.canvas)

    def _write(self, doc, elem: _Elem, parent_ref) -> PDFObjectReference:
        d = _StructElem(PDFName(elem.tag), parent_ref)
        elem.ref = doc.Reference(d)
        d.kids = _Kids([self._write(doc, kid, elem.ref) if isinstance(kid, _Elem) else kid
                        for kid in elem.kids])
        if elem.tag == "Figure":
            d.alt = PDFString(self._caption_after(elem) or "picture")
        if elem.tag == "Art" and elem.alt:
            d.title = PDFString(self._title(elem.alt))
        return elem.ref

    def _caption_after(self, figure: _Elem) -> str:
        kids = self.root.kids
        i = kids.index(figure)
        return kids[i + 1].text if i + 1 < len(kids) and kids[i + 1].tag == "Caption" else ""

    def _thread(self, doc, story: str, beads) -> PDFObjectReference:
        thread = PDFDictionary({"Type": PDFName("Thread"),
                                "I": PDFDictionary({"Title": PDFString(self._title(story))})})
        tref = doc.Reference(thread)
        dicts = [PDFDictionary({"Type": PDFName("Bead"), "T": tref, "P": PDFObjectReference(page),
                                "R": PDFArray([round(v, 2) for v in rect])}) for page, _, rect in beads]
        refs = [doc.Reference(d) for d in dicts]
        for i, d in enumerate(dicts):
            d["N"], d["V"] = refs[(i + 1) % len(refs)], refs[i - 1]
        thread["F"] = refs[0]
        return tref

    def _outline(self, canvas) -> None:
        for n, story in enumerate(self.starts):
            canvas.addOutlineEntry(self._title(story), f"story-{n}", 0)


# an artifact's marked content by its line tag (layout: "Artifact:<Type>[:<Subtype>]"), ISO 32000-1
# §14.8.2.2: running heads, folios, credits and jump lines are Pagination; rules, boxes and
# placeholders Layout
def artifact(tag: str = "Artifact:Layout") -> str:
    """The BDC operator opening an artifact of the type (and subtype) `tag` names."""
    parts = tag.split(":")[1:] or ["Layout"]
    sub = f" /Subtype /{parts[1]}" if len(parts) > 1 else ""
    return f"/Artifact <</Type /{parts[0]}{sub}>> BDC"


class _Kids(PDFObject):
    """A /K (or ParentTree) array: struct element references and marked-content references
    (page name, MCID), as the bytes ReportLab's PDFArray of PDFObjectReferences and MCR
    PDFDictionaries formats to. Speed: a page has ~500 MCRs; ReportLab formats each through its
    generic per-value dispatch (~10 calls an MCR, ~6 ms a page), this writes each with one
    %-format (same bytes: keys sorted, one line, numbers as integers)."""

    def __init__(self, kids: list):
        self.kids = kids  # PDFObjectReference or (page name, mcid)

    def format(self, document) -> bytes:
        ids = document.idToObjectNumberAndVersion
        items = [b"<<\n/MCID %d /Pg %d %d R /Type /MCR\n>>" % (kid[1], *ids[kid[0]])
                 if isinstance(kid, tuple) else b"%d %d R" % ids[kid.name] for kid in self.kids]
        if len(items) > 10:  # PDFArray.format: a line break after every 10 items
            for i in reversed(range(10, len(items), 10)):
                items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"


class _StructElem(PDFObject):
    """A structure element's dictionary, written as ReportLab writes the PDFDictionary
    {Type, S, P, K, Alt, T} (keys sorted, on one line: never more than six entries), with the
    dispatch per key and value done once here. Speed: a page has ~90 elements."""

    def __init__(self, tag: str, parent: PDFObjectReference | None):
        self.tag, self.parent = tag, parent  # tag: a PDF name, "/P"
        self.kids: _Kids | None = None
        self.alt: PDFString | None = None
        self.title: PDFString | None = None

    def format(self, document) -> bytes:
        parts = [] if self.alt is None else [b"/Alt " + self.alt.format(document)]
        assert self.kids is not None  # (set before the tree is written)
        parts.append(b"/K " + self.kids.format(document))
        if self.parent is not None:
            parts.append(b"/P %d %d R" % document.idToObjectNumberAndVersion[self.parent.name])
        parts.append(b"/S " + self.tag.encode("ascii"))
        if self.title is not None:
            parts.append(b"/T " + self.title.format(document))
        parts.append(b"/Type /StructElem")
        return b"<<\n" + b" ".join(parts) + b"\n>>"
