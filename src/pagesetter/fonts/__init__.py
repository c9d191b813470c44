"""Fonts: which face serves each role, and faces prepared (subset, converted, measured) for
embedding with ReportLab. See fonts/README.md at the repo root for the user-facing side."""
from pagesetter.fonts.cache import default_cache_dir
from pagesetter.fonts.prepare import FaceMetrics, PreparedFace, prepare_face
from pagesetter.fonts.roles import (
    ROLES,
    SYSTEM_FONT_DIRS,
    FaceOverride,
    FaceSource,
    check_role,
    resolve_face,
)

__all__ = [
    "ROLES",
    "SYSTEM_FONT_DIRS",
    "FaceMetrics",
    "FaceOverride",
    "FaceSource",
    "PreparedFace",
    "check_role",
    "default_cache_dir",
    "prepare_face",
    "resolve_face",
]
