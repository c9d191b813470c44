"""The ALTO 4.4 and METS schemas, loaded offline with lxml: ALTO from tests/schemas (vendored),
METS from the `metsrw` test extra's package data (the official mets.xsd, METS 1.12.1); both
import XLink from http://www.loc.gov/standards/xlink/xlink.xsd, answered here from
tests/schemas/xlink.xsd by a resolver (no network: a schema not resolved locally fails)."""
from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
LOCAL = {"http://www.loc.gov/standards/xlink/xlink.xsd": SCHEMAS / "xlink.xsd"}


class _Offline(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url in LOCAL:
            return self.resolve_filename(str(LOCAL[url]), context)
        raise AssertionError(f"the schema asks for {url}: not vendored (the tests run offline)")


def _schema(data: bytes, base: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    return etree.XMLSchema(etree.fromstring(data, parser, base_url=base))


@cache
def alto_schema() -> etree.XMLSchema:
    path = SCHEMAS / "alto-4-4.xsd"
    return _schema(path.read_bytes(), str(path))


@cache
def mets_schema() -> etree.XMLSchema:
    xsd = resources.files("metsrw") / "resources" / "mets.xsd"
    return _schema(xsd.read_bytes(), "mets.xsd")


def errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    """The schema's complaints about the document (none when valid)."""
    doc = etree.fromstring(data, etree.XMLParser(no_network=True))
    if schema.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]
