"""Safe YAML loading that remembers where every value came from (line and column)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import PagesetterError


@dataclass(frozen=True)
class Located:
    """A loaded document with a map from key paths (tuples of keys / indexes) to 1-based positions."""

    data: object
    marks: dict
    file: Path

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """Position of a value, or of its nearest parent that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))


MAX_NODES = 200_000


def load_yaml(text: str, file: Path) -> Located:
    """Load a YAML document with the safe loader; errors name the file, line and column."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Located({}, {}, file)
        marks: dict = {}
        _walk(node, (), marks)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PagesetterError.at(f"not valid YAML: {exc.problem or exc.context}", file,
                                 mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                                 "check indentation, colons and quotes at this place") from None
    except yaml.YAMLError as exc:
        raise PagesetterError.at(f"not valid YAML: {exc}", file) from None
    finally:
        loader.dispose()
    return Located(data, marks, file)


def _walk(node, path: tuple, marks: dict) -> None:
    if len(marks) > MAX_NODES:
        raise PagesetterError.at(f"spec has over {MAX_NODES:,} values; refusing to read further",
                                 fix="a page spec needs a few hundred values at most")
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            marks[path + (key, "<key>")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), marks)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), marks)
