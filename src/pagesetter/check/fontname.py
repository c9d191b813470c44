"""A font's name as a diff compares it: the PostScript name without what the subset added.

Read back (check/readback.py) and in page signatures (check/signature.py) alike, so the same face
compares equal across subsets and builds.
"""
from __future__ import annotations

import re

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
# pagesetter names each font subset it embeds `<PostScript name>-<6 hex digits>` (the digits
# depend on the page's characters), so the suffix is dropped too: a text edit is no font change
OWN_SUBSET_SUFFIX = re.compile(r"-[0-9a-f]{6}$")


def font_name(raw: object) -> str:
    """The font's PostScript name without its subset tag (`ABCDEF+`) or pagesetter's suffix."""
    return OWN_SUBSET_SUFFIX.sub("", SUBSET_TAG.sub("", str(raw or "")))
