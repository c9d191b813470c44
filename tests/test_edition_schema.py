"""One source of truth for editions too: the key table (pagespec.edition.EDITION_KEYS), the loader,
the published schema (schema/edition.schema.json, `pagesetter schema --edition`) and docs/spec.md."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from editions import EDITION, edition_project
from pagesetter.cli import main
from pagesetter.errors import PagesetterError
from pagesetter.pagespec.edition import EDITION_KEYS, edition_schema_text, load_edition

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "edition.schema.json"


def test_committed_edition_schema_is_the_generated_one():
    assert SCHEMA.read_text(encoding="utf-8") == edition_schema_text(), \
        "schema/edition.schema.json is stale: run `pagesetter schema --edition > schema/edition.schema.json`"
    result = CliRunner().invoke(main, ["schema", "--edition"])
    assert result.exit_code == 0 and json.loads(result.output) == json.loads(edition_schema_text())


def test_schema_keys_are_the_key_table():
    s = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert set(s["properties"]) == set(EDITION_KEYS["edition-top"])
    assert set(s["$defs"]["edition"]["properties"]) == set(EDITION_KEYS["edition"])
    assert set(s["$defs"]["page"]["properties"]) == set(EDITION_KEYS["edition-page"])


@pytest.mark.parametrize("section", sorted(EDITION_KEYS))
def test_docs_describe_every_edition_key(section):
    docs = (ROOT / "docs" / "spec.md").read_text(encoding="utf-8")
    chunk = next(p for p in re.split(r"\n## ", docs) if p.startswith("Editions"))
    for key in EDITION_KEYS[section]:
        assert f"| `{key}` |" in chunk, f"docs/spec.md#editions does not describe {section} key {key}"


@pytest.mark.parametrize("section, key", [(s, k) for s in ("edition", "edition-page") for k in EDITION_KEYS[s]])
def test_loader_knows_every_key_and_refuses_others(tmp_path, section, key):
    doc = yaml.safe_load(EDITION)
    target = doc["edition"] if section == "edition" else doc["pages"][1]
    target[key] = "x"
    path = edition_project(tmp_path, edition=yaml.safe_dump(doc, allow_unicode=True))
    try:
        load_edition(path)
        messages = []
    except PagesetterError as exc:
        messages = [p.message for p in exc.problems]
    assert not [m for m in messages if m.startswith(f"unknown key {key!r}")]
    target.pop(key)
    target["colour_x"] = 1
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PagesetterError) as info:
        load_edition(path)
    assert any(p.message.startswith("unknown key 'colour_x'") for p in info.value.problems)


def test_sample_edition_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    doc = yaml.safe_load((ROOT / "layouts" / "sample-edition.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft202012Validator)


def test_pages_based_on_a_master_validate_against_the_page_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schema" / "page.schema.json").read_text(encoding="utf-8"))
    for name in ("sample-page-2.yaml", "masters/broadsheet.yaml"):
        doc = yaml.safe_load((ROOT / "layouts" / name).read_text(encoding="utf-8"))
        jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
