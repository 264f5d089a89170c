"""STAC Item sidecars: what an embedding run or an Earth Engine fetch made, for the tools of the field.

Every embed run that writes a raster (grid, PCA or composite) and every Earth Engine fetch (a composite,
an AlphaEarth year: engine/sources/earthengine/alphaearth_stac.py) writes a STAC Item (STAC 1.0.0,
GeoJSON) named after its first raster: `<grid stem>.stac.json` beside `<grid stem>.tif` (the PCA's,
then the composite's, when there is no grid). It is written beside that raster's partial file under the
partial's name, so the output transaction commits it with the raster, and a failed or cancelled run
removes it with the raster (shared/transaction.py: a partial's sidecars).

The Item holds the STAC core fields (geometry and bbox in WGS 84, datetime or the date range of the
imagery: Earth Engine's dates, else the time of the run, said in `terraembed:datetime`), the
projection extension (v1.1.0: proj:epsg, proj:wkt2, proj:shape, proj:transform, proj:bbox), the fields
of the proposed Embeddings extension (geo-embeddings/embeddings-stac-specification v0.0.1:
emb:type, emb:dimensions, data_type, emb:quantization, emb:runtime_parameters, the `emb:model` and
`emb:source-data` links, an `embeddings` asset), the source imagery with its Earth Engine collection
ids, the model id and where its weights came from (random weights said in the title, the
description and `terraembed:warning`), and assets for the grid, PCA, composite, pooled vectors and
report (hrefs relative to the Item). The proposal puts emb:type and emb:dimensions on a Collection;
a sidecar has none, so the Item carries them (README, "STAC sidecar").

`read_facts(raster, warn)` reads one back: the model and the dimensions of the raster it names.
"""

import datetime
import json
import os

from ...shared.errors import OutputError
from ..i18n import tr

SUFFIX = ".stac.json"
STAC_VERSION = "1.0.0"
PROJECTION = "https://stac-extensions.github.io/projection/v1.1.0/schema.json"
EMBEDDINGS = "https://stac-extensions.github.io/embeddings/v0.0.1/schema.json"
COG = "image/tiff; application=geotiff; profile=cloud-optimized"
MEDIA_TYPES = {
    ".tif": "image/tiff; application=geotiff",
    ".tiff": "image/tiff; application=geotiff",
    ".gpkg": "application/geopackage+sqlite3",
    ".geojson": "application/geo+json",
    ".json": "application/geo+json",
    ".parquet": "application/vnd.apache.parquet",
    ".html": "text/html",
    ".htm": "text/html",
    ".csv": "text/csv",
}
EE_CATALOGUE = "https://developers.google.com/earth-engine/datasets/catalog/"
RANDOM_WARNING = "RANDOM WEIGHTS: the model was not pretrained; these embeddings are meaningless (tests only)."


def sidecar_path(raster: str) -> str:
    """The STAC sidecar of a raster: its name with .stac.json for its extension."""
    return os.path.splitext(raster)[0] + SUFFIX


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _href(item_folder: str, path: str) -> str:
    """path relative to the Item's folder ('/'-separated), or absolute on another drive."""
    try:
        return os.path.relpath(os.path.abspath(path), item_folder).replace(os.sep, "/")
    except ValueError:
        return os.path.abspath(path)


def _asset(item_folder: str, path: str, title: str, roles: list, media: str = "") -> dict:
    ext = os.path.splitext(path)[1].lower()
    return {"href": _href(item_folder, path), "type": media or MEDIA_TYPES.get(ext, ""), "title": title, "roles": roles}


def footprint(crs, transform, rows: int, cols: int) -> dict:
    """STAC core and projection fields of a raster: geometry and bbox in WGS 84 (its outline, 8
    points per edge so a UTM outline keeps its shape), proj:*."""
    from rasterio.warp import transform_geom

    x0, y0 = transform.c, transform.f
    x1, y1 = x0 + transform.a * cols, y0 + transform.e * rows
    left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    fields = {"proj:shape": [int(rows), int(cols)], "proj:transform": [float(v) for v in list(transform)[:6]]}
    fields["proj:bbox"] = [left, bottom, right, top]
    if crs is None:
        return {"geometry": None, "properties": dict(fields, **{"proj:epsg": None})}
    n = 8
    ring = [(left + (right - left) * i / n, top) for i in range(n)]
    ring += [(right, top - (top - bottom) * i / n) for i in range(n)]
    ring += [(right - (right - left) * i / n, bottom) for i in range(n)]
    ring += [(left, bottom + (top - bottom) * i / n) for i in range(n)]
    ring.append(ring[0])
    geometry = transform_geom(crs, "EPSG:4326", {"type": "Polygon", "coordinates": [ring]})
    coords = [tuple(p) for p in geometry["coordinates"][0]]
    bbox = [min(p[0] for p in coords), min(p[1] for p in coords), max(p[0] for p in coords), max(p[1] for p in coords)]
    fields["proj:epsg"] = crs.to_epsg()
    fields["proj:wkt2"] = crs.to_wkt(version="WKT2_2019")
    geometry = {"type": "Polygon", "coordinates": [[list(p) for p in coords]]}
    return {"geometry": geometry, "bbox": bbox, "properties": fields}


def imagery_dates(provenance: dict) -> dict:
    """datetime fields of fetched imagery: its date range (Earth Engine's end date is exclusive, a STAC
    end_datetime inclusive: the last second before it); None without provenance."""
    start, end = (provenance or {}).get("start"), (provenance or {}).get("end")
    if not start or not end:
        return {}
    last = datetime.datetime.fromisoformat(str(end)[:10]) - datetime.timedelta(seconds=1)
    return {
        "datetime": None,
        "start_datetime": "%sT00:00:00Z" % str(start)[:10],
        "end_datetime": last.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def source_collections(provenance: dict) -> list:
    """The Earth Engine collection ids of the imagery, one per sensor."""
    sensors = (provenance or {}).get("sensors") or {}
    if sensors:
        return [sensors[s]["collection_id"] for s in sensors if "collection_id" in sensors[s]]
    return [provenance["collection_id"]] if (provenance or {}).get("collection_id") else []


def _source_links(provenance: dict, source_path: str) -> list:
    if provenance:
        return [
            {
                "rel": "emb:source-data",
                "href": EE_CATALOGUE + cid.replace("/", "_"),
                "type": "text/html",
                "title": "Earth Engine collection %s" % cid,
            }
            for cid in source_collections(provenance)
        ]
    if source_path:
        from pathlib import Path

        return [
            {"rel": "emb:source-data", "href": Path(os.path.abspath(source_path)).as_uri(), "title": "input raster"}
        ]
    return []


def _model_links(model, weights: dict) -> list:
    """The emb:model link: the weights file used, else the model's Hugging Face repository (random
    weights: the architecture's home, the title says the weights were random)."""
    spec, repo = model.spec, getattr(model.spec, "hf_repo", "")
    if weights.get("path") and not weights.get("random_init"):
        from pathlib import Path

        href = Path(os.path.abspath(weights["path"])).as_uri()
    elif repo:
        href = "https://huggingface.co/%s" % repo
    else:
        return []
    described = str(getattr(model, "weights_description", ""))
    return [
        {"rel": "emb:model", "href": href, "title": "%s, weights: %s" % (getattr(spec, "label", spec.id), described)}
    ]


def _run_parameters(spec: dict, result: dict, model) -> dict:
    from .tiling import CHIP, OVERLAPS, PATCH

    outputs = spec.get("outputs") or {}
    tile = result["prep"] == "tile"
    return {
        "model": model.spec.id,
        "preparation": result["prep"],
        "overlap": result["overlap"],
        "chip_size": CHIP,
        "stride": OVERLAPS[result["overlap"]] * PATCH if tile else CHIP,
        "cell_pixels": PATCH if tile else None,
        "bands": list(model.spec.bands),
        "device": result["device"],
        "precision": result["precision"],
        "pooling": spec.get("pooling"),
        "batch_size": spec.get("batch_size"),
        "pca_components": result["pca_components"],
        "grid_compression": outputs.get("grid_compression") or "none",
    }


def _assets(item_folder: str, spec: dict, result: dict) -> dict:
    dim, k = result["dim"], result["pca_components"]
    found = {
        "embeddings": (
            result["grid"],
            "Embedding grid: %d bands emb_000.. (one per dimension), float32, NaN nodata" % dim,
            ["data"],
            COG,
        ),
        "pca": (result["pca"], "PCA of the grid: %d components (PC1..PC3 as RGB)" % k, ["visual"], COG),
        "composite": (
            result.get("input_copy"),
            "The model's input: the AOI window, bands in model order",
            ["source"],
            COG,
        ),
        "pooled": (
            (spec.get("outputs") or {}).get("pooled"),
            "Pooled embedding of the area (%d values)" % dim,
            ["data"],
            "",
        ),
        "report": (spec.get("html_report"), "Run report", ["metadata"], ""),
    }
    return {
        key: _asset(item_folder, path, title, roles, media)
        for key, (path, title, roles, media) in found.items()
        if path
    }


def embed_item(spec: dict, result: dict, transform, model, item_path: str) -> dict:
    """The STAC Item of one embed run (result: the job's result; item_path: the sidecar's final name)."""
    from rasterio.crs import CRS

    crs = CRS.from_wkt(result["crs"]) if result.get("crs") else None
    rows, cols = result["grid_shape"]
    place = footprint(crs, transform, rows, cols)
    weights = spec.get("weights") or {}
    random = bool(weights.get("random_init"))
    provenance = result.get("provenance")
    props = dict(place["properties"])
    props.update(imagery_dates(provenance) or {"datetime": _now()})
    label = getattr(model.spec, "label", model.spec.id)
    title = "Embeddings by %s%s" % (label, " (RANDOM WEIGHTS)" if random else "")
    props.update(
        {
            "title": title,
            "description": "%s of %s, %d x %d cells of %g x %g units.%s"
            % (
                title,
                result["source"],
                cols,
                rows,
                result["cell_size"][0],
                result["cell_size"][1],
                (" " + RANDOM_WARNING) if random else "",
            ),
            "created": _now(),
            "terraembed:datetime": "the imagery's date range"
            if provenance
            else "the time of the run (the input raster's date is not known)",
            "emb:type": "pixel" if result["grid"] else "chip",
            "emb:dimensions": int(result["dim"]),
            "data_type": "float32",
            "emb:quantization": {"method": "none", "original_dtype": "float32", "quantized_dtype": "float32"},
            "emb:runtime_parameters": _run_parameters(spec, result, model),
            "terraembed:model": model.spec.id,
            "terraembed:modality": model.spec.modality,
            "terraembed:weights": str(result["weights"]),
            "terraembed:random_weights": random,
            "terraembed:input": "Earth Engine composite" if provenance else result["source"],
            "terraembed:source_collections": source_collections(provenance),
        }
    )
    if crs is not None and crs.linear_units in ("metre", "meter"):
        props["gsd"] = float(result["cell_size"][0])
    if random:
        props["terraembed:warning"] = RANDOM_WARNING
    folder = os.path.dirname(os.path.abspath(item_path))
    return _item(
        item_path,
        place,
        props,
        [EMBEDDINGS, PROJECTION],
        _assets(folder, spec, result),
        _model_links(model, weights) + _source_links(provenance, None if provenance else result["source"]),
    )


def _item(item_path: str, place: dict, props: dict, extensions: list, assets: dict, links: list) -> dict:
    item = {
        "stac_version": STAC_VERSION,
        "stac_extensions": extensions,
        "type": "Feature",
        "id": os.path.basename(item_path)[: -len(SUFFIX)],
        "geometry": place["geometry"],
        "properties": props,
        "links": links,
        "assets": assets,
    }
    if place.get("bbox"):
        item["bbox"] = place["bbox"]
    return item


def write_item(partial_raster: str, item: dict) -> str:
    """Write item beside the raster's partial file (committed and removed with it); read it back."""
    path = sidecar_path(partial_raster)
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(item, f, indent=1, allow_nan=False)
        with open(path, encoding="utf-8") as f:
            json.load(f)
    except (OSError, ValueError) as exc:
        raise OutputError(tr("Could not write the STAC sidecar %s (%s); nothing was saved.") % (path, exc)) from exc
    return path


def write_embed_item(spec: dict, result: dict, transform, model, outs: list) -> None:
    """The embed job's sidecar, beside its first raster output (outs: _Pending or None; none: no sidecar)."""
    first = next((o for o in outs if o is not None), None)
    if first is not None:
        write_item(first.temp, embed_item(spec, result, transform, model, sidecar_path(first.final)))


def write_fetch_item(partial: str, output: str, provenance: dict) -> None:
    """The ee_fetch job's sidecar: the composite's footprint, dates and collections."""
    write_item(partial, fetch_item(partial, output, provenance))


def fetch_item(partial: str, output: str, provenance: dict) -> dict:
    """The STAC Item of a fetched Earth Engine raster (partial: its file; output: its final name): its
    footprint, dates and collections, the raster as the COG asset "composite"."""
    import rasterio

    with rasterio.open(partial) as ds:
        place = footprint(ds.crs, ds.transform, ds.height, ds.width)
        count = ds.count
    props = dict(place["properties"], **imagery_dates(provenance))
    if "datetime" not in props:
        props["datetime"] = _now()
    ids = source_collections(provenance)
    props.update(
        {
            "title": "Earth Engine composite of %s" % ", ".join(ids),
            "created": _now(),
            "terraembed:source_collections": ids,
            "terraembed:images": provenance.get("images"),
            "terraembed:composite": provenance.get("composite"),
        }
    )
    item_path = sidecar_path(output)
    folder = os.path.dirname(item_path)
    assets = {"composite": _asset(folder, output, "Composite: %d bands, float32" % count, ["data"], COG)}
    links = [dict(link, rel="derived_from") for link in _source_links(provenance, None)]
    return _item(item_path, place, props, [PROJECTION], assets, links)


def read_facts(raster: str, warn) -> dict:
    """The model and dimensions of `raster` from its STAC sidecar: {"model", "dimensions" (None
    unless the raster is the Item's embeddings asset), "sidecar"}; None without a sidecar that names
    the raster. A sidecar that is not a readable STAC Item is ignored with warn(message)."""
    path = sidecar_path(raster)
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            item = json.load(f)
        props, assets = item["properties"], item["assets"]
        names = {k: os.path.basename(str(a["href"])) for k, a in assets.items()}
        model, dims = props.get("terraembed:model"), props.get("emb:dimensions")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        warn(
            "The STAC sidecar %s cannot be read (%s: %s); it is ignored and the raster's own tags are used. "
            "Delete it, or compute the embeddings again to rewrite it." % (path, type(exc).__name__, exc)
        )
        return None
    key = next((k for k, name in names.items() if name == os.path.basename(raster)), None)
    if key is None:
        return None
    return {
        "model": model if isinstance(model, str) else None,
        "dimensions": dims if key == "embeddings" and isinstance(dims, int) else None,
        "sidecar": path,
    }
