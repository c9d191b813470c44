"""One source of truth: the key table (spec.keys.KEYS), the published JSON Schema
(schema/page.schema.json, `pagesetter schema`) and docs/spec.md say the same keys."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.pagespec import keys as L
from pagesetter.pagespec.kinds import kind_names, kinds, section_keys
from pagesetter.pagespec.load import load_spec
from pagesetter.pagespec.schema import page_schema, schema_keys, schema_text
from specs import SPEC, project

# jsonschema is a test extra (pyproject [test]); without it the validation tests skip, the key tests run
try:
    import jsonschema  # noqa: F811
except ImportError:  # pragma: no cover
    jsonschema = None
needs_jsonschema = pytest.mark.skipif(jsonschema is None, reason="pip install jsonschema (test extra)")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "page.schema.json"
SAMPLE = ROOT / "layouts" / "jiceng-dangjian.yaml"
DOCS = ROOT / "docs" / "spec.md"

LOADER_KEYS = {"top": L.TOP_KEYS, "page": L.PAGE_KEYS, "grid": L.GRID_KEYS, "composition": L.COMPOSITION_KEYS,
               "style": L.STYLE_KEYS, "font": L.FONT_KEYS, "area": L.AREA_KEYS, "story": L.STORY_KEYS,
               "makeup": L.MAKEUP_KEYS, "house": L.HOUSE_KEYS,
               "block": L.BLOCK_COMMON, **{k.name: tuple(k.keys) for k in kinds()}}


def committed() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_committed_schema_is_the_generated_one():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), \
        "schema/page.schema.json is stale: run `pagesetter schema > schema/page.schema.json`"


def test_cli_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == committed()


@needs_jsonschema
def test_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(committed())


@pytest.mark.parametrize("section", sorted(LOADER_KEYS))
def test_schema_keys_equal_loader_keys(section):
    assert schema_keys(committed())[section] == set(LOADER_KEYS[section])


def test_every_section_of_the_key_table_is_in_the_schema():
    assert set(schema_keys(committed())) == set(section_keys())


def _inject(doc: dict, section: str, key: str, value) -> None:
    """Put `key: value` where the loader reads keys of `section`."""
    if section == "top":
        doc[key] = value
    elif section in ("page", "grid"):
        doc[section][key] = value
    elif section == "composition":
        doc["composition"] = {key: value}
    elif section == "style":
        doc["styles"]["body"][key] = value
    elif section == "font":
        doc["fonts"] = {"song": {key: value}}
    elif section == "area":
        doc["frames"]["f1"][key] = value
    elif section == "story":
        doc["stories"]["s"][key] = value
    elif section in ("makeup", "house"):  # a second story, placed by make-up
        doc["stories"]["m"] = {"articles": ["../articles/a.md"]}
        doc["makeup"] = {"area": {"col": 1, "span": 2, "line": 4, "lines": 17}}
        doc["frames"] = {"f1": {"col": 1, "line": 1, "lines": 2}}
        doc["stories"]["s"]["chain"] = ["f1"]
        (doc["makeup"] if section == "makeup" else doc["makeup"].setdefault("house", {}))[key] = value
    elif section == "block":
        doc["blocks"].append({"kind": "box", "at": {"col": 1, "line": 1}, key: value})
    else:  # a block kind
        doc["blocks"].append({"kind": section, "at": {"col": 1, "line": 1}, key: value})


def _problems(tmp_path, doc) -> list[str]:
    path = project(tmp_path, yaml.safe_dump(doc, allow_unicode=True))
    try:
        load_spec(path)
    except PagesetterError as exc:
        return [p.message for p in exc.problems]
    return []


CASES = [(s, k) for s in sorted(schema_keys(page_schema())) for k in sorted(schema_keys(page_schema())[s])]


@pytest.mark.parametrize("section, key", CASES)
def test_loader_accepts_every_schema_key(tmp_path, section, key):
    """Whatever its value, a key the schema names is never an 'unknown key' to the loader."""
    doc = yaml.safe_load(SPEC)
    _inject(doc, section, key, "x")
    assert not [m for m in _problems(tmp_path, doc) if m.startswith(f"unknown key {key!r}")]


@needs_jsonschema
@pytest.mark.parametrize("section", sorted(LOADER_KEYS))
def test_loader_and_schema_both_refuse_an_unknown_key(tmp_path, section):
    doc = yaml.safe_load(SPEC)
    _inject(doc, section, "colour_x", "x")
    assert any(m.startswith("unknown key 'colour_x'") for m in _problems(tmp_path, doc))
    errors = list(jsonschema.Draft202012Validator(committed()).iter_errors(doc))
    assert any("colour_x" in e.message for e in errors) or any(
        "colour_x" in c.message for e in errors for c in (e.context or [])), section


@needs_jsonschema
def test_sample_spec_validates_against_the_schema():
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/page.schema.json\n")
    jsonschema.validate(yaml.safe_load(text), committed(), cls=jsonschema.Draft202012Validator)


@needs_jsonschema
def test_small_spec_validates_against_the_schema():
    jsonschema.validate(yaml.safe_load(SPEC), committed(), cls=jsonschema.Draft202012Validator)


@needs_jsonschema
def test_schema_catches_a_misspelt_key_and_a_wrong_type():
    v = jsonschema.Draft202012Validator(committed())
    doc = yaml.safe_load(SPEC)
    doc["grid"]["colums"] = 2
    assert any("colums" in e.message for e in v.iter_errors(doc))
    doc = yaml.safe_load(SPEC)
    doc["grid"]["lines"] = "twenty"
    assert list(v.iter_errors(doc))
    doc = yaml.safe_load(SPEC)
    doc["styles"]["body"]["role"] = "heibold"
    assert list(v.iter_errors(doc))


@pytest.mark.parametrize("section", sorted(section_keys()))
def test_docs_describe_every_key(section):
    docs = DOCS.read_text(encoding="utf-8")
    heading = {"top": "top level", "area": "areas", "block": "blocks", "font": "fonts", "style": "styles",
               "story": "stories"}.get(section, section)
    part = re.split(r"\n## ", docs)
    chunk = next((p for p in part if p.lower().startswith(heading)), "")
    assert chunk, f"docs/spec.md has no '## {heading}' section"
    for key in section_keys()[section]:
        assert f"`{key}`" in chunk, f"docs/spec.md, section {heading}: key {key} not described"


# ── ranges and defaults: one source (the Key), the same in the loader, the schema and the docs ──

NUMERIC = ("number", "count", "index")


def _keys_with(attr: str):
    return [(s, k, key) for s, keys in sorted(section_keys().items()) for k, key in keys.items()
            if getattr(key, attr) is not None]


def _schema_prop(section: str, key: str) -> dict:
    d = committed()["$defs"]
    if section == "top":
        return committed()["properties"][key]
    name = {"area": "frame"}.get(section, section if section in d else f"block_{section}")
    return d[name]["properties"][key]


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("default")])
def test_schema_default_is_the_key_default(section, key):
    want = section_keys()[section][key].default
    assert _schema_prop(section, key)["default"] == (list(want) if isinstance(want, tuple) else want)


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("hi") if key.type in NUMERIC])
def test_schema_range_is_the_key_range(section, key):
    k = section_keys()[section][key]
    prop = _schema_prop(section, key)
    assert (prop.get("minimum"), prop["maximum"]) == (k.lo if k.lo is not None else prop.get("minimum"), k.hi)


def _row(section: str, key: str) -> str:
    heading = {"top": "top level", "area": "areas", "block": "blocks", "font": "fonts", "style": "styles",
               "story": "stories"}.get(section, section if section in L.KEYS else f"{section} block")
    chunk = next(p for p in re.split(r"\n## ", DOCS.read_text(encoding="utf-8")) if p.lower().startswith(heading))
    row = next(line for line in chunk.splitlines() if line.startswith(f"| `{key}` |"))
    return row.replace("`", "").replace("−", "-")


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("default")])
def test_docs_give_the_default(section, key):
    shown = L.show_default(section_keys()[section][key].default)
    assert f"default {shown}" in _row(section, key), f"docs/spec.md: {section}.{key} should say 'default {shown}'"


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("hi") if key.type in NUMERIC])
def test_docs_give_the_range(section, key):
    k = section_keys()[section][key]
    lo = k.lo if k.lo is not None else (1 if k.type == "count" else 0)
    assert f"{lo:g}–{k.hi:g}" in _row(section, key), f"docs/spec.md: {section}.{key} should say {lo:g}–{k.hi:g}"


# the loader: where each section's value lands once loaded, and a block of each built-in kind
def _area_value(spec, key: str):
    frame = spec.frames["fx"]
    return (frame.area.inset_left, frame.area.inset_right) if key == "inset" else getattr(frame.area, key)


LANDS = {"style": lambda spec, k: getattr(spec.styles["body"], k),
         "composition": lambda spec, k: getattr(spec.composition, k),
         "story": lambda spec, k: getattr(spec.stories[0], k),
         "house": lambda spec, k: getattr(spec.makeup.house, k),
         "area": _area_value,
         "page": lambda spec, k: spec.grid.top if k == "top" else getattr(spec.output, k)}
def _minimal(doc: dict, kind_name: str) -> dict:
    """A block of the kind with only its required keys, each given its Key's example (the value the
    'add <key>: <example>' fix shows), with the style or story an example names defined in `doc`:
    no table of kinds to keep, so a new kind is tested here as it is declared."""
    kind = next(k for k in kinds() if k.name == kind_name)
    block = {}
    for name, key in kind.keys.items():
        if key.required:
            assert key.example, f"{kind_name}.{name} is required and has no example"
            block[name] = value = yaml.safe_load(key.example)
            _define(doc, key.type, value)
        elif key.default is not None:  # a default style must be defined
            _define(doc, key.type, key.default)
    return block


def _define(doc: dict, type_: str, value) -> None:
    """Make the name an example refers to exist: a style, or the spec's story renamed to it."""
    if type_ == "style":
        doc["styles"].setdefault(value, {"role": "song", "size": 9})
    elif type_ == "story" and value not in doc["stories"]:
        doc["stories"][value] = doc["stories"].pop("s")
        for b in doc["blocks"]:
            b.update({"story": value} if b.get("story") == "s" else {})


def _loaded_default(tmp_path, section: str, key: str):
    doc = yaml.safe_load(SPEC)
    if section in kind_names():
        lines = next(k for k in kinds() if k.name == section).min_lines
        doc["blocks"].append({"kind": section, "at": {"col": 1, "line": 1, "lines": lines}, **_minimal(doc, section)})
        return getattr(load_spec(project(tmp_path, yaml.safe_dump(doc, allow_unicode=True))).blocks[-1].options, key)
    doc["frames"]["fx"] = {"col": 1, "line": 1, "overlap": True}  # an area with only what it needs
    if section == "house":
        _inject(doc, "house", "lead", "left")
        doc["makeup"]["house"].pop(key, None)
        doc["styles"]["headline"] = {"role": "hei", "size": 12}
    doc.get(section, {}).pop(key, None)
    spec = load_spec(project(tmp_path, yaml.safe_dump(doc, allow_unicode=True)))
    return LANDS[section](spec, key)


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("default")
                                          if s not in ("font", "top", "block") and not (s == "area" and k == "overlap")
                                          and not (s == "page" and k == "allow_outside")])
def test_loader_uses_the_key_default(tmp_path, section, key):
    """A spec without the key loads with the Key's default, converted like a written value."""
    from pagesetter import units

    want = section_keys()[section][key].default
    if section_keys()[section][key].type == "length":
        want = units.length(want)
    got = _loaded_default(tmp_path, section, key)
    assert (list(got) if isinstance(got, tuple) else got) == (list(want) if isinstance(want, tuple) else want)


def _inject_value(doc: dict, section: str, key: str, value) -> None:
    if section in kind_names():
        doc["blocks"].append({"kind": section, "at": {"col": 1, "line": 1, "lines": 20}, **_minimal(doc, section),
                              key: value})
    elif section == "area":
        doc["frames"]["f1"][key] = value
    elif section == "font":
        doc["fonts"] = {"song": {"file": "x.ttf", key: value}}
    else:
        _inject(doc, section, key, value)


RANGE_WORDS = ("over the limit", "must be from", "must be at least")


@pytest.mark.parametrize("section, key", [(s, k) for s, k, key in _keys_with("hi") if key.type in NUMERIC])
def test_loader_range_is_the_key_range(tmp_path, section, key):
    """The loader refuses just outside the Key's range and accepts its ends (range messages only)."""
    k = section_keys()[section][key]
    lo = k.lo if k.lo is not None else (1 if k.type == "count" else 0)
    step = 1 if k.type in ("count", "index") else 0.01
    for value, refused in ((lo - step, True), (lo, False), (k.hi, False), (k.hi + step, True)):
        doc = yaml.safe_load(SPEC)
        _inject_value(doc, section, key, value)
        ranged = [m for m in _problems(tmp_path, doc) if any(w in m for w in RANGE_WORDS)]
        assert bool(ranged) == refused, (value, ranged)


@needs_jsonschema
def test_schema_takes_blocks_over_a_master_as_changes_and_additions():
    """blocks: {4: {…}, add: [ … ]} (docs/spec.md, Masters): the mapping form validates, a stray key does not."""
    v = jsonschema.Draft202012Validator(committed())
    rule = {"kind": "rule", "at": {"col": 1, "span": 2, "line": 3, "lines": 1}}
    good = {"master": "m.yaml", "blocks": {4: {"at": {"lines": 45}}, "add": [rule]}}
    assert not list(v.iter_errors(yaml.safe_load(yaml.safe_dump(good))))
    bad = {"master": "m.yaml", "blocks": {"plus": [rule]}}
    assert list(v.iter_errors(bad))
    bad_add = {"master": "m.yaml", "blocks": {"add": [{"kind": "rull"}]}}
    assert list(v.iter_errors(bad_add))
