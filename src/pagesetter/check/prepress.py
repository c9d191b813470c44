"""Preflight, part two (印前检查·续): the file's syntax and structure as a strict reader sees them.

    findings = syntax_checks(data, reader, root)

- stream syntax: each stream's data followed by an end-of-line before `endstream`, /Length the
  exact count (ISO 32000-1 §7.3.8.1, ISO 19005-2 §6.1.7.1);
- name tokens: every `#` followed by two hex digits, no byte outside ! … ~ written raw, the bytes
  UTF-8 (§7.3.5), and every /Separation array of four (a spot ink named `A/B` written unescaped
  splits into two names);
- structure parents: every structure element's /P is the element (or the tree root) that lists
  it as a kid (§14.7.2);
- layers: an optional content group named as not for press must have print state OFF (§8.11.4.4).

Read from what pypdf gives and the raw bytes at each object's offset; bounded (pdfread's MAX_PDF_OBJECTS,
MAX_ELEMENTS), and a part it cannot read is a finding, never an exception.
"""
from __future__ import annotations

import re

from ..render.names import name_text
from .pdfread import MAX_PDF_OBJECTS


def finding(standard: str, where: str, what: str) -> tuple[str, str, str]:
    """A finding as check.preflight.Finding takes it (made there: preflight imports this module)."""
    return (standard, where, what)


MAX_ELEMENTS = 200_000  # structure elements walked
_STREAM = re.compile(rb"\bstream(\r\n|\n)")
_ENDSTREAM = re.compile(rb"(\r\n|\r|\n)endstream")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)  # a literal string (one level of nesting)
_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]*)")
STD = "PDF/X-4 + PDF/A-2"


def syntax_checks(data: bytes, reader, root) -> list[tuple]:
    """Stream syntax, name tokens, structure parents and layer print states (see the module)."""
    out: list[tuple] = []
    for check in (_streams_and_names, _structure, _layers):
        try:
            out += check(data, reader, root)
        except Exception as exc:  # noqa: BLE001 (a damaged part is a finding: preflight reads any PDF)
            out.append(finding(STD, check.__name__.strip("_").replace("_", " "), f"cannot be read: {exc}"))
    return out


def _offsets(reader) -> list[tuple[int, int, int]]:
    """(object number, generation, byte offset) of each object stored at an offset."""
    rows = []
    for gen, table in sorted(getattr(reader, "xref", {}).items()):
        for num, offset in sorted(table.items()):
            rows.append((num, gen, offset))
            if len(rows) >= MAX_PDF_OBJECTS:
                return rows
    return rows


def _streams_and_names(data: bytes, reader, root) -> list[tuple]:
    out = []
    bad_names: list[str] = []
    for num, gen, offset in _offsets(reader):
        head = re.match(rb"\s*%d\s+%d\s+obj" % (num, gen), data[offset:offset + 40])
        if head is None:
            continue
        end = data.find(b"endobj", offset)
        body = data[offset:end if end > 0 else len(data)]
        m = _STREAM.search(body)
        bad_names += [f"{n} (object {num})" for n in _names_wrong(body[:m.start()] if m else body)]
        if m is None:
            continue
        length = _length(reader, body[:m.start()])
        if length is None:
            out.append(finding(STD, f"object {num}", "a stream without a readable /Length"))
            continue
        start = offset + m.end()
        if not _ENDSTREAM.match(data, start + length):
            out.append(finding(STD, f"object {num}", "stream syntax: no end-of-line before endstream at "
                               f"/Length {length} (or /Length is not the data's length)"))
    out += [finding(STD, "name token", n) for n in bad_names[:20]]
    for page_no, page in enumerate(reader.pages, 1):
        out += _content_names(page, page_no)
        out += _separations(page, page_no)
    return out


def _length(reader, head: bytes) -> int | None:
    """The /Length in a stream's dictionary (`head`: the bytes before `stream`), direct or
    indirect; None if there is none or it cannot be read."""
    m = re.search(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?", head)
    if m is None:
        return None
    if m.group(2) is None:
        return int(m.group(1))
    try:
        return int(reader.get_object(int(m.group(1))))
    except Exception:  # noqa: BLE001
        return None


def _names_wrong(chunk: bytes) -> list[str]:
    """What is wrong with the name tokens in a piece of PDF syntax (strings skipped)."""
    out = []
    chunk = _LITERAL.sub(b"()", chunk)
    chunk = re.sub(rb"<[0-9A-Fa-f\s]*>(?!>)", b"<>", chunk)  # hex strings (not dictionaries)
    for m in _NAME.finditer(chunk):
        token = m.group(1)
        shown = token[:40].decode("latin-1")
        if any(b < 0x21 or b > 0x7E for b in token):
            out.append(f"/{shown}: a byte outside ! … ~ written raw (write it #xx)")
        else:
            try:
                name_text(token)
            except UnicodeDecodeError:
                out.append(f"/{shown}: its bytes are not UTF-8 (a name written per ISO 32000 §7.3.5 is)")
            except ValueError:
                out.append(f"/{shown}: a # not followed by two hex digits")
    return out


def _content_names(page, page_no: int) -> list[tuple]:
    contents = page.get_contents()
    if contents is None:
        return []
    data = contents.get_data()
    data = re.sub(rb"BI\b.*?\bEI\b", b"", data, flags=re.S)  # inline images: binary
    return [finding(STD, f"page {page_no} content", n) for n in _names_wrong(data)[:20]]


def _separations(page, page_no: int) -> list[tuple]:
    """Every /Separation colour space an array of four: /Separation name alternate tint."""
    res = page.get("/Resources")
    spaces = res.get_object().get("/ColorSpace") if res is not None else None
    out = []
    for key, cs in (spaces.get_object().items() if spaces is not None else ()):
        cs = cs.get_object()
        if isinstance(cs, list) and cs and cs[0] == "/Separation" and len(cs) != 4:
            out.append(finding(STD, f"page {page_no} colour space {key}",
                               f"a /Separation of {len(cs)} entries, not 4 (an ink name with a / unescaped?)"))
    return out


def _structure(data: bytes, reader, root) -> list[tuple]:
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return []
    tree_ref = root.raw_get("/StructTreeRoot")
    out: list = []
    seen: set = set()
    todo = [(kid, tree_ref) for kid in _kids(tree.get_object())]
    while todo and len(seen) < MAX_ELEMENTS:
        ref, parent = todo.pop()
        if not hasattr(ref, "idnum"):
            continue  # a marked-content id or a direct dictionary (MCR, OBJR): no /P of its own
        if ref.idnum in seen:
            continue
        seen.add(ref.idnum)
        elem = ref.get_object()
        if not hasattr(elem, "get") or elem.get("/Type", "/StructElem") != "/StructElem" or "/S" not in elem:
            continue
        p = elem.raw_get("/P") if "/P" in elem else None
        if p is None:
            out.append(finding(STD, f"structure element {elem.get('/S')} (object {ref.idnum})", "no /P (parent)"))
        elif getattr(p, "idnum", None) != getattr(parent, "idnum", None):
            out.append(finding(STD, f"structure element {elem.get('/S')} (object {ref.idnum})",
                               f"/P is object {getattr(p, 'idnum', p)}, not the element that lists it"))
        todo += [(kid, ref) for kid in _kids(elem)]
    return out[:50]


def _kids(node) -> list:
    k = node.raw_get("/K") if "/K" in node else None
    if k is None:
        return []
    value = k.get_object() if hasattr(k, "get_object") else k
    if isinstance(value, list):
        return list(value)
    return [k]


def _layers(data: bytes, reader, root) -> list[tuple]:
    props = root.get("/OCProperties")
    if props is None:
        return []
    out = []
    for ref in props.get_object().get("/OCGs", []):
        ocg = ref.get_object()
        name = str(ocg.get("/Name", ""))
        if "not for press" not in name.lower() and "不印" not in name:
            continue
        usage = ocg.get("/Usage")
        prints = usage.get_object().get("/Print") if usage is not None else None
        state = prints.get_object().get("/PrintState") if prints is not None else None
        if state != "/OFF":
            out.append(finding("PDF/X-4", f"layer {name!r}", "named not for press but its print state is not OFF "
                               "(/Usage /Print /PrintState /OFF)"))
    return out
