"""Safe YAML loading that remembers where every value came from (line and column).

Only the safe loader is used: YAML tags that build Python objects are refused. The document is
read in three guarded passes, so hostile input is refused quickly instead of hanging:

1. the event stream (libyaml's parser when PyYAML has it, which is ~20× faster): at most
   `MAX_NODES` values and `MAX_DEPTH` levels of nesting, counted as they stream by;
2. composing and walking the node graph, counting every value an alias repeats: an alias bomb
   ("billion laughs") stops at `MAX_NODES`, a recursive alias at `MAX_DEPTH`;
3. constructing the Python values (strings, numbers, lists, mappings only).

Keys that occur twice in one mapping are reported (`Located.problems`): YAML would silently keep
the last one, which hides a mistake such as two frames with the same name. A text holding a lone
surrogate (`"\\ud800"`, half of a UTF-16 pair: no character, and no UTF-8 for it) and a control
character the reader refuses (a NUL) are located errors too. Article front matter is read by the
same function under the same limits (`what="front matter"`).
"""
from __future__ import annotations

from dataclasses import field
from pathlib import Path

import re

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..records import record
from ..errors import PagesetterError, Problem

MAX_NODES = 50_000  # values in one spec, aliases expanded; a real page has under 2,000
MAX_DEPTH = 32  # levels of nesting; a real page has 5
_SURROGATE = re.compile("[\ud800-\udfff]")
# what is read → the fix for a document over the limits
_TOO_BIG_FIX = {
    "spec": "a page spec needs a few hundred values, nested a few levels deep; remove the repeated or generated part",
    "front matter": "front matter is a few 'key: value' lines (headline:, byline: …); remove the repeated part",
}


@record
class Located:
    """A loaded document with a map from key paths (tuples of keys / indexes) to 1-based positions."""

    data: object
    marks: dict
    file: Path
    problems: tuple = field(default=())  # duplicate keys, as Problems
    files: dict = field(default_factory=dict)  # key path → file, for values merged from a master

    def file_at(self, path: tuple):
        """The file a value came from: its own or its nearest parent's entry in `files`, else `file`."""
        while path not in self.files and path:
            path = path[:-1]
        return self.files.get(path, self.file)

    def where(self, path: tuple) -> tuple[int | None, int | None]:
        """Position of a value, or of its nearest parent that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (None, None))


_Parser = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class _Replay(Composer, SafeConstructor, Resolver):
    """Composes and constructs from a list of already-checked parser events."""

    def __init__(self, events: list):
        self._events, self._i = events, 0
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)

    def check_event(self, *choices) -> bool:
        if self._i >= len(self._events):
            return False
        return not choices or isinstance(self._events[self._i], choices)

    def peek_event(self):
        return self._events[self._i]

    def get_event(self):
        event = self._events[self._i]
        self._i += 1
        return event


def _too_big(message: str, file: Path, mark=None, what: str = "spec") -> PagesetterError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    return PagesetterError.at(f"{what} {message}", file, line, col, _TOO_BIG_FIX.get(what, _TOO_BIG_FIX["spec"]))


def _events(text: str, file: Path, what: str = "spec", parser_type=None) -> list:
    parser = (parser_type or _Parser)(text)
    events, depth, values = [], 0, 0
    try:
        while parser.check_event():
            event = parser.get_event()
            events.append(event)
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                values += 1
                if isinstance(event, yaml.ScalarEvent):
                    _no_surrogate(event, file)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                values += 1
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_big(f"is nested over {MAX_DEPTH} levels deep; refusing to read further",
                                   file, event.start_mark, what)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if values > MAX_NODES:
                raise _too_big(f"has over {MAX_NODES:,} values; refusing to read further",
                               file, event.start_mark, what)
    finally:
        parser.dispose()
    return events


def load_yaml(text: str, file: Path, what: str = "spec") -> Located:
    """Load a YAML document with the safe loader; errors name the file, line and column. `what`
    names the document in the messages about its size ("spec", "front matter")."""
    try:
        events = _events(text, file, what)
        loader = _Replay(events)
        node = loader.get_single_node()
        if node is None:
            return Located({}, {(): (1, 1)}, file)
        marks: dict = {}
        problems: list[Problem] = []
        _walk(node, loader, marks, problems, file, what)
        data = loader.construct_document(node)
    except yaml.reader.ReaderError as exc:  # a control character (NUL …): its place from its index
        line, col = _place(text, exc.position)
        raise PagesetterError.at(f"not valid YAML: {exc.reason} (character U+{exc.character:04X})"
                                 if isinstance(exc.character, int) else f"not valid YAML: {exc.reason}",
                                 file, line, col, "delete the character: a YAML file holds text, "
                                 "no control characters other than tab and line breaks") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context)
        if "maximum nesting depth" in problem:  # libyaml's own limit (1000), met as it looks ahead:
            _events(text, file, what, yaml.SafeLoader)  # PyYAML's reader finds where it passes ours
            raise _too_big(f"is nested over {MAX_DEPTH} levels deep; refusing to read further", file, mark,
                           what) from None
        if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            problem += " (a tab)"
        raise PagesetterError.at(f"not valid YAML: {problem}", file,
                                 mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                                 _fix_for(problem, _line_at(text, mark.index) if mark else "")) from None
    except yaml.YAMLError as exc:
        raise PagesetterError.at(f"not valid YAML: {exc}", file, fix="check the file is a YAML mapping") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a timestamp like 2023-13-45
        raise PagesetterError.at(f"not valid YAML: a value cannot be read ({exc})", file,
                                 fix="put the value in quotes") from None
    return Located(data, marks, file, tuple(problems))


def _place(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of the character at `index`."""
    index = max(0, min(index, len(text)))
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _line_at(text: str, index: int) -> str:
    """The line of `text` holding the character at `index`."""
    start = text.rfind("\n", 0, max(0, index)) + 1
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


ITEM_IN_MAPPING = ("a mapping cannot hold '- ' items: a list is all '- ' lines, a mapping all 'key: value' "
                   "lines. Over a master, blocks: is either a list (added after the master's blocks) or a "
                   "mapping of the master's block numbers, with add: [ … ] for new blocks")


def _fix_for(problem: str, line: str = "") -> str:
    if "expected key" in problem and line.lstrip().startswith("- "):
        return ITEM_IN_MAPPING
    if "constructor for the tag" in problem:
        return "remove the !tag: a spec holds only plain values (text, numbers, true/false, lists, mappings)"
    if "another document" in problem:
        return "a spec is one YAML document: remove the second '---' and what follows, or merge them"
    if "unhashable key" in problem:
        return "a key must be a plain name, not a list or mapping"
    if "escape code" in problem:
        return "write the character itself, or an escape of a whole character (\\u4e00, \\U0001F600)"
    if "(a tab)" in problem:
        return "indent with spaces, not tabs"
    return "check indentation, colons and quotes at this place"


def _pos(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _walk(root, loader: _Replay, marks: dict, problems: list, file: Path, what: str = "spec") -> None:
    """Record the position of every value, iteratively, counting values that aliases repeat."""
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    count = 0
    while stack:
        node, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise _too_big(f"has over {MAX_NODES:,} values once its aliases (*name) are expanded; "
                           "refusing to read further", file, node.start_mark, what)
        if len(path) > MAX_DEPTH:
            raise _too_big(f"is nested over {MAX_DEPTH} levels deep (a recursive alias?); "
                           "refusing to read further", file, node.start_mark, what)
        marks.setdefault(path, _pos(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key = _key(key_node, loader)
                if key == "<<":  # merge key: the merged mappings' values belong to this one
                    merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    stack.extend((m, path) for m in merged)
                    continue
                if key in seen:
                    line, col = _pos(key_node)
                    problems.append(Problem(
                        f"key {key!r} appears twice in one mapping (first at line {seen[key]})",
                        file, line, col, "remove or rename one of them: YAML would silently keep the last"))
                else:
                    seen[key] = _pos(key_node)[0]
                marks.setdefault(path + (key, "<key>"), _pos(key_node))
                stack.append((value_node, path + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, path + (i,)))
        else:
            try:
                loader.construct_object(node)
            except yaml.MarkedYAMLError:
                raise
            except Exception as exc:  # e.g. a date like 2023-13-45
                line, col = _pos(node)
                raise PagesetterError.at(f"not valid YAML: value {node.value!r} cannot be read ({exc})",
                                         file, line, col, "put the value in quotes") from None


def _no_surrogate(event, file: Path) -> None:
    """A located error for a text holding a lone surrogate (written as an escape, "\\ud800"): it
    is no character, cannot be written as UTF-8 and would fail later without a place. (libyaml
    refuses such an escape itself; PyYAML's own reader builds it.)"""
    if isinstance(event.value, str) and (m := _SURROGATE.search(event.value)):
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        raise PagesetterError.at(f"text holds a lone surrogate \\u{ord(m.group(0)):04x} (half of a UTF-16 pair, "
                                 "no character)", file, line, col, "write the character itself, or its "
                                 "\\UXXXXXXXX escape (e.g. \\U0001F600), not the two halves of a pair")


def _key(node, loader: _Replay):
    """The key as the constructor will build it (so `1:` is the number 1), or a stand-in."""
    if isinstance(node, yaml.ScalarNode):
        try:
            value = loader.construct_object(node)
            hash(value)
            return value
        except Exception:  # an unhashable or unreadable key: the constructor reports it later
            return node.value
    return ("<complex key>", _pos(node))
