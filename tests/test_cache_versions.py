"""A cached entry is only as fresh as its version: each on-disk cache names the functions that make
its bytes, pinned here by a digest of their source. Changing one fails this test until its cache's
version is bumped (old entries are then never read) and the digest updated. CI cannot catch a
forgotten bump otherwise: every test run starts from an empty cache (conftest.py)."""
from __future__ import annotations

import hashlib
import inspect

import pytest

from pagesetter.fonts import facecheck, faceinfo, metricscache, prepare, subset, subsetcache
from pagesetter.render import fontobjects

# cache → (its version as the code has it, the producers of its bytes, their digest at that version)
PINNED = {
    "metrics": (lambda: metricscache.VERSION, [prepare._measure, facecheck.check_outlines, metricscache.encode,
                                               metricscache.decode], 5, "fe28b8130838e1bf"),
    "subsets": (lambda: subsetcache.VERSION, [subset._program, subsetcache.encode, subsetcache.decode],
                4, "c645bb55da6f83be"),
    "pdf pieces": (lambda: fontobjects.PIECES_VERSION, [fontobjects.pdf_pieces, fontobjects.widths_array,
                                                          fontobjects.to_unicode_cmap], 1, "533edf2efdb49fc3"),
    "face facts": (lambda: faceinfo.FACTS_VERSION, [faceinfo._read_face_info, faceinfo._info, faceinfo._scripts], 3, "12eb7830a9a695a2"),
}


def _digest(functions) -> str:
    return hashlib.sha256("\n".join(inspect.getsource(f) for f in functions).encode()).hexdigest()[:16]


@pytest.mark.parametrize("cache", sorted(PINNED))
def test_what_a_cache_holds_is_pinned_to_its_version(cache):
    version, producers, pinned_version, pinned_digest = PINNED[cache]
    now = _digest(producers)
    assert (version(), now) == (pinned_version, pinned_digest), (
        f"the {cache} cache's producers ({', '.join(f.__qualname__ for f in producers)}) changed: if "
        f"the bytes they make change, bump the cache's version; then pin ({version()}, {now!r}) here")
