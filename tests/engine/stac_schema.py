"""Validating STAC Items offline: jsonschema (pinned in the runtime locks) with the schema files of
tests/data/stac-schemas registered under their published URLs (that folder's README says where each
comes from)."""

import json
import os

SCHEMAS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "stac-schemas")
STAC = "https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/"
ITEM = STAC + "item.json"
PROJECTION = "https://stac-extensions.github.io/projection/v1.1.0/schema.json"
FILES = {
    "stac-1.0.0-%s.json" % name: STAC + name + ".json"
    for name in ("item", "basics", "datetime", "instrument", "licensing", "provider")
}
FILES.update(
    {
        "projection-1.1.0.json": PROJECTION,
        "geojson-Feature.json": "https://geojson.org/schema/Feature.json",
        "geojson-Geometry.json": "https://geojson.org/schema/Geometry.json",
    }
)


def registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    resources = []
    for name, uri in FILES.items():
        with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
            resources.append((uri, Resource.from_contents(json.load(f), default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def validate_item(item, schemas=(ITEM, PROJECTION)):
    """Raise jsonschema.ValidationError unless item is a valid STAC 1.0.0 Item (and, when it declares
    it, valid for the projection extension v1.1.0); unknown remote references fail too."""
    from jsonschema import Draft7Validator

    reg = registry()
    for uri in schemas:
        if uri == PROJECTION and PROJECTION not in item.get("stac_extensions", ()):
            continue
        validator = Draft7Validator(reg.contents(uri), registry=reg, format_checker=Draft7Validator.FORMAT_CHECKER)
        validator.validate(item)
