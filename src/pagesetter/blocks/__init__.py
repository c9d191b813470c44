"""The block kinds (版面元素): one module per kind of page furniture, each declaring its keys, checker,
font census, layout and options (the protocol: pagespec/kinds.py; how to add one:
docs/architecture.md). Importing this package registers them, in the order docs/spec.md lists them;
`pagesetter/__init__.py` does so, so every entry point sees the same kinds."""
from . import text, headline, image, box, rule  # noqa: F401  (registers each kind)
