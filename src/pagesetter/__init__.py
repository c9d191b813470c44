"""pagesetter: Chinese newspaper pages from a YAML layout spec to print-faithful PDF."""
__version__ = "0.1.0"

from . import blocks  # noqa: E402,F401  registers the built-in block kinds (pagespec/kinds.py)
