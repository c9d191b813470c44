"""The survey of a PDF (版面文件体检) before pdfium or the preflight checks read it: the page tree
walked by hand, each page's boxes, resources and content operators counted against the limits of
check/pdfread.py; refusals raised, damage collected.

    found = vet(data, "x.pdf")     # Survey(pages, operators, damage); PagesetterError over a limit

Operators are counted as pdfium would parse them: each content stream's once (decompressed a
megabyte at a time, so a bomb stops at the limit), each form XObject's as many times as it is
drawn (`/X Do` ten times of a form drawing another ten times … multiplies). A picture's declared
pixels are held to the build's picture limit. Inherited page attributes (/MediaBox, /Resources,
/Rotate) come down the tree as walked, never up a /Parent link (which may loop).
"""
from __future__ import annotations

import logging
import math
import re
import zlib
from collections import Counter
from typing import Any, TypeGuard

from .pdfread import (CHUNK, MAX_CONTENT_BYTES, MAX_FORM_DEPTH, MAX_IMAGE_PIXELS, MAX_PAGE_OPERATORS,
                      MAX_PDF_OPERATORS, MAX_PDF_PAGES, MAX_TREE_DEPTH, PAGE_SIDES, SMALLER, Damage, Survey,
                      open_reader, reason, refuse)

# an operator: a run of letters (and * ' " digits after the first) not part of a name or number
_OPERATOR = re.compile(rb"(?<![/\w#.+<-])[A-Za-z'\"][A-Za-z0-9*'\"]*")
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![A-Za-z0-9])")  # an XObject drawn: /Name Do
_INLINE = re.compile(rb"(?<![A-Za-z])BI\s(.{0,600}?)\sID\s", re.S)  # an inline image's dictionary
_SIDE = re.compile(rb"/(W|Width|H|Height)\s+(\d{1,12})")
INHERITED = ("/MediaBox", "/Resources", "/Rotate")
BOXES = ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
MAX_REPAIRS = 5  # repairs listed one by one; more are counted
SIMPLER = ("that is more than a page should hold: simplify its artwork (e.g. rasterise it), "
           "or check the program that made it")


def vet(data: bytes, label) -> Survey:
    """The survey of PDF bytes: PagesetterError (exit 2) if they cannot be read or would take
    unbounded work; the damage found otherwise."""
    return open_surveyed(data, label)[1]


def open_surveyed(data: bytes, label):
    """pypdf's reader over the bytes and their survey; what pypdf had to repair on the way (a wrong
    stream /Length, a broken xref) is damage too."""
    from dataclasses import replace

    with _Repairs() as repairs:
        reader = open_reader(data, label)
        found = survey(reader, label)
    return reader, replace(found, damage=found.damage + repairs.damage())


class _Repairs(logging.Handler):
    """Collects what pypdf logs as it repairs a file while the survey reads it."""

    def __enter__(self) -> "_Repairs":
        super().__init__(logging.WARNING)
        self.seen: dict[str, None] = {}  # the first few, in order
        self.more = 0
        self.log = logging.getLogger("pypdf")
        self.saved = (self.log.level, self.log.propagate)
        self.log.setLevel(logging.WARNING)
        self.log.propagate = False
        self.log.addHandler(self)
        return self

    def emit(self, record) -> None:
        text = record.getMessage().strip()
        if len(self.seen) < MAX_REPAIRS:
            self.seen.setdefault(text)
        elif text not in self.seen:
            self.more += 1

    def __exit__(self, *exc) -> None:
        self.log.removeHandler(self)
        self.log.setLevel(self.saved[0])
        self.log.propagate = self.saved[1]

    def damage(self) -> tuple[Damage, ...]:
        shown = [Damage("structure", f"repaired on reading: {t}") for t in self.seen if t]
        if self.more:
            shown.append(Damage("structure", f"and {self.more:,} more repairs"))
        return tuple(shown)


def survey(reader, label) -> Survey:
    """Walk an open pypdf reader's document (see the module's doc)."""
    from pypdf.errors import PyPdfError

    from ..errors import PagesetterError

    try:
        return _Walk(reader, label).run()
    except PagesetterError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
            zlib.error) as exc:
        raise refuse(label, f"cannot read the PDF's structure: {reason(exc)}") from None


def resolve(obj):
    """The object an indirect reference names; None when it is missing (or null)."""
    from pypdf.generic import IndirectObject, NullObject

    for _ in range(32):
        if not isinstance(obj, IndirectObject):
            break
        obj = obj.get_object()
    return None if isinstance(obj, (NullObject, IndirectObject)) else obj


def kind(obj) -> str:
    """What a PDF object is, for a message: 'a number', 'missing', …"""
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, StreamObject)

    for cls, name in ((StreamObject, "a stream"), (DictionaryObject, "a dictionary"), (ArrayObject, "an array"),
                      (BooleanObject, "a boolean"), ((NumberObject, FloatObject), "a number"), (NameObject, "a name")):
        if isinstance(obj, cls):
            return name
    return "missing" if obj is None else "a string"


def _four_numbers(box) -> bool:
    values = [resolve(v) for v in box] if _is(box, "ArrayObject") else []
    return len(values) == 4 and all(_is(v, "NumberObject") or _is(v, "FloatObject") for v in values)


def _id(ref):
    return getattr(ref, "idnum", None)


def _is(obj, name: str) -> TypeGuard[Any]:
    from pypdf import generic

    return isinstance(obj, getattr(generic, name))


class _Walk:
    def __init__(self, reader, label):
        self.reader, self.label = reader, label
        self.damage: list[Damage] = []
        self.total = 0
        self.streams: dict = {}  # stream idnum → (operators, draws by name)
        self.forms: dict = {}  # form idnum → operators when drawn once
        self.drawing: set = set()  # forms being counted (a form drawing itself)
        self.checked: set = set()  # resource dictionaries, fonts and pictures already looked at

    def hurt(self, page: int | None, where: str, what: str) -> None:
        self.damage.append(Damage(where, what, page))

    def run(self) -> Survey:
        root = resolve(self.reader.trailer.get("/Root"))
        if not _is(root, "DictionaryObject"):
            raise refuse(self.label, f"the trailer's /Root is {kind(root)}, not a document catalog")
        self._catalog(root)
        pages = 0
        for pages, page, inherited in self._pages(root):
            ops = self._page(pages, page, inherited)
            self.total += ops
            if self.total > MAX_PDF_OPERATORS:
                raise refuse(self.label, f"the PDF draws over {MAX_PDF_OPERATORS:,} content operators in its first "
                             f"{pages} pages", SMALLER)
        if not pages:
            raise refuse(self.label, "the PDF has no pages", "give a PDF with at least one page")
        claimed = resolve(resolve(root.get("/Pages")).get("/Count"))
        if not _is(claimed, "NumberObject") or int(claimed) != pages:
            self.hurt(None, "page tree /Count", f"says {claimed!r}; the tree holds {pages}")
        return Survey(pages, self.total, tuple(self.damage))

    # ── the document ──

    def _catalog(self, root) -> None:
        intents = resolve(root.get("/OutputIntents"))
        if intents is not None and not _is(intents, "ArrayObject"):
            self.hurt(None, "catalog /OutputIntents", f"is {kind(intents)}, not an array of output intents")
        for i, ref in enumerate(intents if _is(intents, "ArrayObject") else (), 1):
            intent = resolve(ref)
            if not _is(intent, "DictionaryObject"):
                self.hurt(None, f"output intent {i}", f"is {kind(intent)}, not a dictionary")
            elif "/DestOutputProfile" in intent and not _is(resolve(intent["/DestOutputProfile"]), "StreamObject"):
                self.hurt(None, f"output intent {i} /DestOutputProfile",
                          f"is {kind(resolve(intent['/DestOutputProfile']))}, not an ICC profile stream")
        meta = resolve(root.get("/Metadata"))
        if "/Metadata" in root and not _is(meta, "StreamObject"):
            self.hurt(None, "catalog /Metadata", f"is {kind(meta)}, not an XMP metadata stream")
        info = resolve(self.reader.trailer.get("/Info"))
        if "/Info" in self.reader.trailer and not _is(info, "DictionaryObject"):
            self.hurt(None, "trailer /Info", f"is {kind(info)}, not a dictionary")

    def _pages(self, root):
        """(number, page, inherited attributes) in order, the tree walked by hand: a loop, a missing
        kid, too deep a tree or too many pages is refused."""
        top = root.get("/Pages")
        if not _is(resolve(top), "DictionaryObject"):
            raise refuse(self.label, f"the catalog's /Pages is {kind(resolve(top))}, not a page tree")
        seen: set = set()
        stack: list[tuple[Any, int, dict, str]] = [(top, 0, {}, "the catalog's /Pages")]
        count = 0
        while stack:
            ref, depth, inherited, named = stack.pop()
            node = resolve(ref)
            if not _is(node, "DictionaryObject"):
                raise refuse(self.label, f"{named} is {kind(node)}, not a page")
            ident = _id(ref)
            if ident is not None and ident in seen:
                raise refuse(self.label, f"the page tree meets object {ident} twice (a loop, or a node listed twice)")
            seen.add(ident)
            if depth > MAX_TREE_DEPTH:
                raise refuse(self.label, f"the page tree is over {MAX_TREE_DEPTH} levels deep")
            inherited = {**inherited, **{k: node[k] for k in INHERITED if k in node}}
            if "/Kids" not in node and node.get("/Type") != "/Pages":
                count += 1
                if count > MAX_PDF_PAGES:
                    raise refuse(self.label, f"the PDF has over {MAX_PDF_PAGES} pages (the most pagesetter reads, "
                                 "as in an edition)", SMALLER)
                yield count, node, inherited
                continue
            kids = resolve(node.get("/Kids"))
            if not _is(kids, "ArrayObject"):
                raise refuse(self.label, f"page tree node {ident}: /Kids is {kind(kids)}, not an array of pages")
            stack += [(kid, depth + 1, inherited, f"kid {i + 1} of page tree node {ident}")
                      for i, kid in reversed(list(enumerate(kids)))]

    # ── a page ──

    def _page(self, n: int, page, inherited) -> int:
        where = f"page {n}"
        self._parents(n, page)
        self._media_box(n, inherited.get("/MediaBox"))
        for box in BOXES:
            values = resolve(page.get(box))
            if box in page and not _four_numbers(values):
                self.hurt(n, f"{where} {box}", f"is {kind(values)}, not four numbers")
        rotate = resolve(inherited.get("/Rotate"))
        if rotate is not None and (not _is(rotate, "NumberObject") or int(rotate) % 90):
            self.hurt(n, f"{where} /Rotate", f"is {rotate!r}, not a multiple of 90")
        res = resolve(inherited.get("/Resources"))
        if res is not None and not _is(res, "DictionaryObject"):
            self.hurt(n, f"{where} /Resources", f"is {kind(res)}, not a dictionary")
            res = None
        ops = self._resources(n, where, res) if res is not None else 0
        ops += self._annotations(n, where, page, res)
        contents = resolve(page.get("/Contents"))
        if contents is None:
            return ops
        refs = list(contents) if _is(contents, "ArrayObject") else [page.get("/Contents")]
        streams = [resolve(r) for r in refs]
        if not all(_is(s, "StreamObject") for s in streams):
            bad = next(s for s in streams if not _is(s, "StreamObject"))
            part = "the page is" if len(streams) == 1 else "that part of the page is"
            self.hurt(n, f"{where} /Contents", f"is {kind(bad)}, not a content stream: {part} not drawn")
            streams = [s for s in streams if _is(s, "StreamObject")]
        ops += self._drawn(n, where, [(_id(r), s) for r, s in zip(refs, streams)], res, 0)
        if ops > MAX_PAGE_OPERATORS:
            raise refuse(self.label, f"{where} draws over {MAX_PAGE_OPERATORS:,} content operators "
                         "(forms counted each time they are drawn)", SIMPLER)
        return ops

    def _annotations(self, n: int, where: str, page, res) -> int:
        """Operators of the annotations' appearances (pdfium draws them with the page), each a form."""
        annots = resolve(page.get("/Annots"))
        if annots is not None and not _is(annots, "ArrayObject"):
            self.hurt(n, f"{where} /Annots", f"is {kind(annots)}, not an array")
            return 0
        ops = 0
        for i, ref in enumerate(annots or (), 1):
            annot = resolve(ref)
            looks = resolve(annot.get("/AP")) if _is(annot, "DictionaryObject") else None
            normal = resolve(looks.get("/N")) if _is(looks, "DictionaryObject") else None
            states = normal.values() if _is(normal, "DictionaryObject") and not _is(normal, "StreamObject") else (
                [looks.get("/N")] if normal is not None and looks is not None else [])
            for state in states:
                form = resolve(state)
                if _is(form, "StreamObject") and form.get("/Subtype") in (None, "/Form"):
                    ops += self._form(n, f"{where} annotation {i}", state, res, 0, any_form=True)
            if ops > MAX_PAGE_OPERATORS:
                break
        return ops

    def _parents(self, n: int, page) -> None:
        """A /Parent chain that loops or breaks (the walk does not follow it; pdfium looks up inherited
        attributes along it)."""
        seen, node = set(), page
        for _ in range(MAX_TREE_DEPTH + 1):
            ref = node.get("/Parent")
            if ref is None:
                return
            if _id(ref) in seen:
                self.hurt(n, f"page {n} /Parent", f"links loop back to object {_id(ref)}")
                return
            seen.add(_id(ref))
            node = resolve(ref)
            if not _is(node, "DictionaryObject"):
                self.hurt(n, f"page {n} /Parent", f"leads to {kind(node)}, not a page tree node")
                return
        self.hurt(n, f"page {n} /Parent", f"links run over {MAX_TREE_DEPTH} deep")

    def _media_box(self, n: int, raw) -> None:
        where = f"page {n} /MediaBox"
        box = resolve(raw)
        if box is None:
            self.hurt(n, f"page {n}", "has no /MediaBox: its size is a guess (pdfium: US Letter)")
            return
        values = [resolve(v) for v in box] if _is(box, "ArrayObject") else []
        if not _four_numbers(box):
            self.hurt(n, where, f"is {kind(box) if not values else repr(list(values))}, not four numbers: "
                      "its size is a guess (pdfium: US Letter)")
            return
        x0, y0, x1, y1 = (float(v) for v in values)
        w, h = abs(x1 - x0), abs(y1 - y0)
        lo, hi = PAGE_SIDES
        if not (math.isfinite(w) and math.isfinite(h)) or w * h == 0:
            self.hurt(n, where, f"{[x0, y0, x1, y1]} has no area: its size is a guess (pdfium: US Letter)")
        elif not (lo <= w <= hi and lo <= h <= hi):
            self.hurt(n, where, f"is {w:g} × {h:g} units, outside the {lo:g}–{hi:,.0f} a page side may be "
                      "(ISO 32000-1, Annex C)")

    # ── resources: fonts, pictures, forms ──

    def _once(self, obj, ref) -> bool:
        """True the first time an object is looked at (shared resources are checked once)."""
        key = _id(ref) if _id(ref) is not None else id(obj)
        if key in self.checked:
            return False
        self.checked.add(key)
        return True

    def _resources(self, n: int, where: str, res) -> int:
        """Fonts and pictures checked; the operators of tiling patterns and Type3 glyphs (each
        counted once: pdfium draws a cell or a glyph once and repeats the pixels)."""
        if not self._once(res, None):
            return 0
        ops = 0
        for key, label, check in (("/Font", "font", self._font), ("/XObject", "XObject", self._picture),
                                  ("/Pattern", "pattern", self._pattern)):
            table = resolve(res.get(key))
            if table is not None and not _is(table, "DictionaryObject"):
                self.hurt(n, f"{where} {key}", f"is {kind(table)}, not a dictionary")
                continue
            for name, ref in (table or {}).items():
                ops += check(n, f"{where} {label} {name}", ref, res) or 0
        return ops

    def _pattern(self, n: int, where: str, ref, res) -> int:
        cell = resolve(ref)
        return self._form(n, where, ref, res, 0, any_form=True) if _is(cell, "StreamObject") else 0

    def _glyphs(self, n: int, where: str, font, res) -> int:
        """A Type3 font's glyph programs, each counted once."""
        procs = resolve(font.get("/CharProcs"))
        own = resolve(font.get("/Resources"))
        own = own if _is(own, "DictionaryObject") else res
        return sum(self._form(n, f"{where} glyph {name}", ref, own, 0, any_form=True)
                   for name, ref in (procs.items() if _is(procs, "DictionaryObject") else ()))

    def _font(self, n: int, where: str, ref, res=None) -> int:
        font = resolve(ref)
        if not _is(font, "DictionaryObject"):
            self.hurt(n, where, f"is {kind(font)}, not a font dictionary: its text is not drawn")
            return 0
        if not self._once(font, ref):
            return 0
        if font.get("/Subtype") == "/Type3":
            return self._glyphs(n, where, font, res)
        if font.get("/Subtype") != "/Type0":
            return 0
        kids = resolve(font.get("/DescendantFonts"))
        first = resolve(kids[0]) if _is(kids, "ArrayObject") and len(kids) else None
        if not _is(first, "DictionaryObject"):
            shown = "empty" if _is(kids, "ArrayObject") and not len(kids) else f"{kind(first if kids else kids)}"
            self.hurt(n, where, f"is a Type0 font without its descendant font (/DescendantFonts {shown}): "
                      "its text is not drawn")
        return 0

    def _picture(self, n: int, where: str, ref, res=None) -> None:
        """An XObject in a resource dictionary: a stream; a picture within the pixel limit."""
        xo = resolve(ref)
        if not _is(xo, "StreamObject"):
            self.hurt(n, where, f"is {kind(xo)}, not a stream: it is not drawn")
            return
        if xo.get("/Subtype") != "/Image" or not self._once(xo, ref):
            return
        w, h = resolve(xo.get("/Width")), resolve(xo.get("/Height"))
        if not (_is(w, "NumberObject") and _is(h, "NumberObject") and int(w) > 0 and int(h) > 0):
            self.hurt(n, where, f"is a picture of {w!r} × {h!r} pixels, not a positive size: it is not drawn")
        elif int(w) * int(h) > MAX_IMAGE_PIXELS:
            raise refuse(self.label, f"{where} is a picture of {int(w):,} × {int(h):,} = "
                         f"{int(w) * int(h) / 1e6:,.0f} million pixels, over the limit of "
                         f"{MAX_IMAGE_PIXELS / 1e6:.0f} million", SIMPLER)

    # ── content: operators counted, forms as drawn ──

    def _drawn(self, n: int, where: str, streams: list, res, depth: int) -> int:
        """Operators of these content streams, each form they draw counted once per draw."""
        ops, size = 0, 0
        draws: Counter[bytes] = Counter()
        for ident, stream in streams:
            counted = self.streams.get(ident) if ident is not None else None
            if counted is None:
                counted = self._count(n, where, stream)
                if ident is not None:
                    self.streams[ident] = counted
            ops, size = ops + counted[0], size + counted[2]
            draws.update(counted[1])
            if size > MAX_CONTENT_BYTES:
                raise refuse(self.label, f"{where}'s content is over {MAX_CONTENT_BYTES:,} bytes once decompressed",
                             SIMPLER)
        table = resolve(res.get("/XObject")) if res is not None else None
        for raw, times in draws.items():
            ref = table.get(_name(raw)) if _is(table, "DictionaryObject") else None
            inner = f"{where} → {_name(raw)}" if " XObject " in where else f"{where} XObject {_name(raw)}"
            ops += times * self._form(n, inner, ref, res, depth)
            if ops > MAX_PAGE_OPERATORS:
                raise refuse(self.label, f"page {n} draws over {MAX_PAGE_OPERATORS:,} content "
                             "operators (forms counted each time they are drawn)", SIMPLER)
        return ops

    def _form(self, n: int, where: str, ref, res, depth: int, any_form: bool = False) -> int:
        """Operators a form XObject costs each time it is drawn (0 for a picture or a missing one);
        `any_form`: an appearance stream, which may omit /Subtype /Form."""
        form = resolve(ref)
        if not _is(form, "StreamObject") or (form.get("/Subtype") != "/Form" and not any_form):
            return 0
        key = _id(ref) if _id(ref) is not None else id(form)
        if key in self.forms:
            return self.forms[key]
        if key in self.drawing:
            self.hurt(n, where, "is a form that draws itself (pdfium stops the loop; the drawing is cut short)")
            return 0
        if depth >= MAX_FORM_DEPTH:
            raise refuse(self.label, f"{where}: forms drawing forms over {MAX_FORM_DEPTH} deep", SIMPLER)
        own = resolve(form.get("/Resources"))
        if own is not None and not _is(own, "DictionaryObject"):
            self.hurt(n, f"{where} /Resources", f"is {kind(own)}, not a dictionary")
        own = own if _is(own, "DictionaryObject") else res
        self.drawing.add(key)
        ops = self._resources(n, where, own) if own is not None and own is not res else 0
        ops += self._drawn(n, where, [(_id(ref), form)], own, depth + 1)
        self.drawing.discard(key)
        self.forms[key] = ops
        return ops

    def _count(self, n: int, where: str, stream) -> tuple[int, Counter, int]:
        """(operators, draws by XObject name, decompressed bytes) of one stream, stopping at the limits."""
        ops, size, tail = 0, 0, b""
        draws: Counter[bytes] = Counter()
        for chunk in self._decoded(n, where, stream):
            size += len(chunk)
            body, tail = _cut(tail + chunk)
            ops += len(_OPERATOR.findall(body))
            draws.update(_DO.findall(body))
            if b"BI" in body:
                self._inline_images(where, body)
            if ops > MAX_PAGE_OPERATORS or size > MAX_CONTENT_BYTES:
                return ops, draws, size  # the caller refuses, naming the page
        return ops + len(_OPERATOR.findall(tail)), draws + Counter(_DO.findall(tail)), size

    def _inline_images(self, where: str, body: bytes) -> None:
        """An inline image (BI … ID … EI) is held to the picture limit as an XObject is."""
        for m in _INLINE.finditer(body):
            sides = {k[:1]: int(v) for k, v in _SIDE.findall(m.group(1))}
            w, h = sides.get(b"W", 0), sides.get(b"H", 0)
            if w * h > MAX_IMAGE_PIXELS:
                raise refuse(self.label, f"{where} has an inline picture of {w:,} × {h:,} = {w * h / 1e6:,.0f} million "
                             f"pixels, over the limit of {MAX_IMAGE_PIXELS / 1e6:.0f} million", SIMPLER)

    def _decoded(self, n: int, where: str, stream):
        """The stream's bytes a megabyte at a time: Flate inflated here (a bomb stops where the
        caller stops reading), other filters through pypdf (whose own output limits hold)."""
        from pypdf.errors import PyPdfError

        filters = resolve(stream.get("/Filter"))
        names = [filters] if _is(filters, "NameObject") else list(filters) if _is(filters, "ArrayObject") else []
        raw = getattr(stream, "_data", None)
        try:
            if names in ([], ["/FlateDecode"]) and "/DecodeParms" not in stream and isinstance(raw, bytes):
                yield from (_inflate(raw) if names else (raw[i:i + CHUNK] for i in range(0, len(raw), CHUNK)))
            else:
                yield stream.get_data()
        except (PyPdfError, zlib.error, ValueError, TypeError, NotImplementedError) as exc:
            self.hurt(n, f"{where} content", f"cannot be decoded ({reason(exc)}): it is drawn in part or not at all")


def _cut(body: bytes) -> tuple[bytes, bytes]:
    """`body` less its last two tokens (an operator and its operand may run on into the next chunk),
    and those tokens."""
    def space_before(end: int) -> int:
        return max(body.rfind(b" ", 0, end), body.rfind(b"\n", 0, end), body.rfind(b"\r", 0, end))

    last = space_before(len(body.rstrip()))
    cut = space_before(last) if last > 0 else -1
    return (body[:cut + 1], body[cut + 1:]) if cut >= 0 else (body, b"")


def _inflate(raw: bytes):
    d = zlib.decompressobj()
    data = raw
    while True:
        out = d.decompress(data, CHUNK)
        if out:
            yield out
        data = d.unconsumed_tail
        if d.eof or (not out and not data):
            return


def _name(raw: bytes) -> str:
    """A content stream's name token (without its /) as pypdf keys it: #xx escapes undone."""
    text = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    try:
        return "/" + text.decode("utf-8")
    except UnicodeDecodeError:
        return "/" + text.decode("latin-1")
