"""A fixed-advance test face: Han and full-width marks 1 em, ASCII ½ em; closing marks ink in the
left half, opening marks in the right half, as in Noto Serif CJK SC."""
from pagesetter.text import classes as C
from pagesetter.text.measure import Composition, Run, measure


class FixedMetrics:
    def advance(self, ch: str) -> float:
        return 0.5 if ch.isascii() else 1.0

    def ink_x(self, ch: str):
        if ch == " ":
            return None
        if ch in C.CLOSING:
            return (0.1, 0.4)
        if ch in C.OPENING:
            return (0.6, 0.9)
        return (0.05, 0.95)


SIZE = 10.0  # pt; 1 em = 10 pt so widths read as characters × 10


def par(text: str, indent: float = 0.0, **settings):
    return measure([Run(text, "f", SIZE)], lambda f: FixedMetrics(), Composition(**settings), indent)
