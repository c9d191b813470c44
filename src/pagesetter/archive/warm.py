"""A worker's start (预热): what every issue would otherwise pay for on its worker's first task,
done once — the rendering modules imported, each role's face found and its metrics table read
(fonts.prepare, from the face cache), the output profile compressed and described
(render.profilecache). A role with no face on the worker is left for the issue to report."""
from __future__ import annotations

from ..errors import PagesetterError

# What every 1946 page sets in furniture (报头/报眉: paper, date, 第N版) and the digits.
WARM_CHARS = "人民日报第版一二三四五六七八九十〇年月日星期　0123456789"


def warm_faces() -> int:
    """Prepare every role's face; the number prepared."""
    from ..fonts.prepare import prepare_face
    from ..fonts.roles import ROLES, resolve_face
    from ..render import pdf, png  # noqa: F401  (ReportLab, pdfium: imported once per worker)
    from ..render.profilecache import profile_stream
    from ..render.standards import DEFAULT_PROFILE, _description

    done = 0
    for role in ROLES:
        try:
            prepare_face(resolve_face(role), WARM_CHARS)
            done += 1
        except PagesetterError:
            pass
    profile_stream(DEFAULT_PROFILE, lambda: _description(DEFAULT_PROFILE))
    return done
