"""The STAC Item sidecar of a fetched AlphaEarth year (the "alphaearth_fetch" job), `<raster stem>.stac.json`.

It is the Earth Engine fetch's Item (engine/pipeline/stac.fetch_item: the footprint, the year as its date
range, the collection's catalogue page as `derived_from`) made an embeddings Item as the embed job's is:
`emb:type` pixel, `emb:dimensions` 64, `data_type` float32, `emb:quantization` none (the float32 values
Earth Engine serves), `terraembed:model` "alphaearth" and the raster as the `embeddings` asset (so the
analysis jobs read the model and the dimensions back from it: stac.read_facts); with the terms the
publisher sets: `license` (SPDX), a `license` link, the publisher as the provider (producer, licensor),
and the attribution text in the description and `terraembed:attribution` (catalogue.ALPHAEARTH, the
facts README's "AlphaEarth Foundations" names).
"""

from typing import Any

from ....shared import catalogue
from ...pipeline import stac

PRODUCT = catalogue.ALPHAEARTH


def alphaearth_item(partial: str, output: str, provenance: dict[str, Any]) -> dict[str, Any]:
    """The Item of one fetched year (partial: the raster's partial file; output: its final name)."""
    item = stac.fetch_item(partial, output, provenance)
    year = provenance.get("year")
    title = "AlphaEarth Foundations embeddings of %s" % year
    averaged = provenance.get("cells_averaged")
    props = item["properties"]
    props.update(
        {
            "title": title,
            "description": "%s from Earth Engine (%s): %d dimensions per cell, NaN where AlphaEarth masks the cell%s. "
            "Licence %s. %s"
            % (
                title,
                PRODUCT.collection_id,
                PRODUCT.dim,
                "; each cell the mean of the %d x %d AlphaEarth cells it covers" % tuple(averaged) if averaged else "",
                PRODUCT.licence,
                PRODUCT.attribution,
            ),
            "license": PRODUCT.licence_spdx,
            "providers": [
                {
                    "name": PRODUCT.publisher,
                    "roles": ["producer", "licensor"],
                    "url": stac.EE_CATALOGUE + PRODUCT.collection_id.replace("/", "_"),
                }
            ],
            "emb:type": "pixel",
            "emb:dimensions": PRODUCT.dim,
            "data_type": "float32",
            "emb:quantization": {"method": "none", "original_dtype": "float32", "quantized_dtype": "float32"},
            "terraembed:model": PRODUCT.id,
            "terraembed:year": year,
            "terraembed:licence": PRODUCT.licence,
            "terraembed:attribution": PRODUCT.attribution,
        }
    )
    composite = item["assets"].pop("composite")
    band_names = "%s..%s" % (PRODUCT.bands[0], PRODUCT.bands[-1])
    item["assets"]["embeddings"] = dict(
        composite,
        title="AlphaEarth embeddings of %s: %d bands %s, float32, NaN nodata" % (year, PRODUCT.dim, band_names),
    )
    item["stac_extensions"] = [stac.EMBEDDINGS, stac.PROJECTION]
    item["links"].append({"rel": "license", "href": PRODUCT.licence_url, "type": "text/html", "title": PRODUCT.licence})
    return item


def write_alphaearth_item(partial: str, output: str, provenance: dict[str, Any]) -> None:
    """The alphaearth_fetch job's sidecar, beside the raster's partial (committed and removed with it)."""
    stac.write_item(partial, alphaearth_item(partial, output, provenance))
