"""Which page of A goes with which page of B: by signature, then by text, never by position alone.

Pages with the same signature (check/signature.py) pair at once, in order (difflib over the
signatures as written; the pages left between those anchors again over their signatures as
drawn); between such anchors, the remaining pages pair by text similarity (a small dynamic
programme over the texts' character-multiset similarity, difflib's quick_ratio, near the
diagonal; pairs above `SIMILAR`), the rest are pages
inserted into B or deleted from A. An inserted page and a deleted one with the same text are one
page that moved (reordered). So one page inserted into a 50-page document is "page 3 inserted"
and 50 equal pages, not 48 changed ones.
"""
from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from ..records import record

SIMILAR = 0.5  # text similarity (0–1) from which two pages are the same page, changed
MAX_CELLS = 10_000  # a larger unmatched block pairs by position (its pages are compared anyway)
BAND = 3  # pages further than this (beyond the difference in page counts) from the diagonal are not compared


@record
class PagePair:
    a: int | None  # 0-based index in A, None: inserted into B
    b: int | None  # 0-based index in B, None: deleted from A
    same: bool = False  # same signature: renders the same, nothing to compare
    moved: bool = False  # out of order against its neighbours


def _keys(doc) -> list:
    return [doc.signature(i) or ("unsigned", i) for i in range(len(doc))]


def _by_text(da, db, ia: list[int], ib: list[int]) -> list[PagePair]:
    if not ia or not ib:
        return [PagePair(i, None) for i in ia] + [PagePair(None, j) for j in ib]
    if len(ia) == len(ib) == 1:  # one page for one, between equal neighbours: the same page, changed
        return [PagePair(ia[0], ib[0])]
    if len(ia) * len(ib) > MAX_CELLS:
        n = min(len(ia), len(ib))
        return ([PagePair(i, j) for i, j in zip(ia, ib)] + [PagePair(i, None) for i in ia[n:]]
                + [PagePair(None, j) for j in ib[n:]])
    m, n = len(ia), len(ib)
    band = abs(m - n) + BAND
    ca = [Counter(da.text(i)) for i in ia]
    cb = [Counter(db.text(j)) for j in ib]
    sim = [[_similarity(ca[x], cb[y]) if abs(x - y) <= band else 0.0 for y in range(n)] for x in range(m)]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for x in range(m - 1, -1, -1):
        for y in range(n - 1, -1, -1):
            pair = best[x + 1][y + 1] + sim[x][y] if sim[x][y] >= SIMILAR else -1.0
            best[x][y] = max(pair, best[x + 1][y], best[x][y + 1])
    out, x, y = [], 0, 0
    while x < m and y < n:
        if sim[x][y] >= SIMILAR and best[x][y] == best[x + 1][y + 1] + sim[x][y]:
            out.append(PagePair(ia[x], ib[y]))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            out.append(PagePair(ia[x], None))
            x += 1
        else:
            out.append(PagePair(None, ib[y]))
            y += 1
    return out + [PagePair(i, None) for i in ia[x:]] + [PagePair(None, j) for j in ib[y:]]


def _similarity(a: Counter, b: Counter) -> float:
    """How alike two pages' texts are, 0–1, as character multisets (difflib's quick_ratio)."""
    total = a.total() + b.total()
    if not total:
        return 1.0
    return 2 * sum((a & b).values()) / total


def _reordered(da, db, pairs: list[PagePair], sig_a: list, sig_b: list) -> list[PagePair]:
    """An inserted page and a deleted page with the same content are one page that moved; so
    are two whose texts are alike (`SIMILAR`): a page moved and changed on the way (a swap that
    renumbered its folio and jump lines), compared as one page."""
    deleted = {p.a: k for k, p in enumerate(pairs) if p.b is None}
    out: list[PagePair | None] = list(pairs)
    inserted = [(k, p.b) for k, p in enumerate(pairs) if p.a is None and p.b is not None]
    for exact in (True, False):
        for k, b in inserted:
            pair = out[k]
            if pair is None or pair.a is not None or not deleted:
                continue
            match = _same(da, db, deleted, b, sig_a, sig_b) if exact else _alike(da, db, deleted, b)
            if match is None:
                continue
            out[k] = PagePair(match, b, sig_a[match] == sig_b[b], moved=True)
            out[deleted.pop(match)] = None
    return [p for p in out if p is not None]


def _same(da: Any, db: Any, deleted: dict, b: int, sig_a: list, sig_b: list) -> int | None:
    return next((i for i in deleted if sig_a[i] == sig_b[b] or da.text(i) == db.text(b)), None)


def _alike(da: Any, db: Any, deleted: dict, b: int) -> int | None:
    cb = Counter(db.text(b))
    scored = [(_similarity(Counter(da.text(i)), cb), -i) for i in deleted]
    best = max(scored, default=None)
    return -best[1] if best is not None and best[0] >= SIMILAR else None


def align_pages(da, db) -> list[PagePair]:
    """Pairs of pages of A (`da`) and B (`db`), two `readback.PdfText`, in B's order: by
    signature as written, then the pages left over by signature as drawn, then by text."""
    sig_a, sig_b = _keys(da), _keys(db)
    pairs: list[PagePair] = []
    for tag, i1, i2, j1, j2 in _opcodes(sig_a, sig_b):
        if tag == "equal":
            pairs.extend(PagePair(i, j, True) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            pairs.extend(_by_drawing(da, db, list(range(i1, i2)), list(range(j1, j2)), sig_a, sig_b))
    return _reordered(da, db, pairs, sig_a, sig_b)


def _opcodes(a: list, b: list) -> list:
    """difflib's opcodes turning `a` into `b` (no junk heuristics: page lists are short)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _by_drawing(da: Any, db: Any, ia: list[int], ib: list[int], sig_a: list, sig_b: list) -> list[PagePair]:
    """Pages not paired as written, paired by what they draw (a shared subset that grew changes
    every page's font bytes, not its drawing); the rest by text. `sig_a`/`sig_b` take the
    signatures as drawn of these pages (for `_reordered`)."""
    if not ia or not ib:
        return _by_text(da, db, ia, ib)
    for i in ia:
        sig_a[i] = da.signature(i, drawn=True) or ("unsigned", i)
    for j in ib:
        sig_b[j] = db.signature(j, drawn=True) or ("unsigned", j)
    out: list[PagePair] = []
    for tag, i1, i2, j1, j2 in _opcodes([sig_a[i] for i in ia], [sig_b[j] for j in ib]):
        if tag == "equal":
            out.extend(PagePair(ia[x], ib[y], True) for x, y in zip(range(i1, i2), range(j1, j2)))
        else:
            out.extend(_by_text(da, db, ia[i1:i2], ib[j1:j2]))
    return out
