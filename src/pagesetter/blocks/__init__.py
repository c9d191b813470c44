"""The block kinds (版面元素): one module per kind of page furniture, each declaring its keys, checker,
font census, layout and options (the protocol: pagespec/kinds.py; how to add one:
docs/architecture.md). Importing this package imports every module of it — a new kind is its
module and nothing else here — in the order of their names, which is the order the kinds are
listed in (the schema's enum, "did you mean", docs/spec.md's sections: tests/test_blocks_registry.py).
A module whose name starts with `_` holds helpers, not a kind. `pagesetter/__init__.py` imports
this package, so every entry point sees the same kinds."""
import os
from importlib import import_module

# (the folder listed directly: pkgutil would add its own imports to every command's start)
MODULES = tuple(sorted(f[:-3] for f in os.listdir(__path__[0]) if f.endswith(".py") and f[0] not in "_."))
for _name in MODULES:
    import_module(f"{__name__}.{_name}")  # (registers its kind)
