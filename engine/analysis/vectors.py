"""Writing polygons (threshold masks turned into polygons) to GeoPackage or GeoJSON."""

import json
import os
import re

import numpy as np

from ...shared.errors import UserError
from ...shared.transaction import POLYGONS as DRIVERS
from ..i18n import tr


def driver_for(path):
    ext = os.path.splitext(path)[1].lower()
    if ext not in DRIVERS:
        raise UserError(tr("Cannot write polygons to %r: use a .gpkg (GeoPackage) or .geojson file.") % path)
    return DRIVERS[ext]


def polygonize_block(mask, transform):
    """Shapely polygons of the cells where mask (2-D uint8/bool) is 1, in map coordinates."""
    from rasterio.features import shapes
    from shapely.geometry import shape

    m = np.asarray(mask, dtype=np.uint8)
    if not m.any():
        return []
    return [shape(geom) for geom, value in shapes(m, mask=m == 1, transform=transform, connectivity=4) if value == 1]


def polygonize_values(codes, transform):
    """(code, shapely polygon) of the 4-connected regions of equal code (2-D int32) where the code is
    above 0, in map coordinates."""
    from rasterio.features import shapes
    from shapely.geometry import shape

    c = np.asarray(codes, dtype=np.int32)
    if not (c > 0).any():
        return []
    return [(int(value), shape(geom)) for geom, value in shapes(c, mask=c > 0, transform=transform, connectivity=4)]


def merge_pieces(pieces):
    """Dissolve polygons that were cut at block edges into whole polygons (one per region)."""
    import shapely

    if not pieces:
        return []
    arr = np.array(pieces, dtype=object)
    try:  # pieces from different blocks never overlap: a coverage, whose union is fast
        merged = shapely.coverage_union_all(arr)
    except Exception:
        merged = shapely.union_all(arr)
    parts = list(shapely.get_parts(merged))
    parts = [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    parts.sort(key=lambda p: (-p.area, p.bounds))
    return parts


def layer_name(path):
    """A layer name from a file name (letters, digits and underscores)."""
    base = os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"[^0-9A-Za-z_]", "_", base).strip("_") or "polygons"
    return name if not name[0].isdigit() else "l_" + name


def write_polygons(path, polygons, fields, crs, driver, layer="polygons"):
    """Write polygons with attribute columns (dict name -> list) to path with the given driver."""
    write_features(path, polygons, fields, crs, driver, layer, "Polygon")


def write_features(path, geometries, fields, crs, driver, layer, geometry_type):
    """Write shapely geometries of one type ("Polygon", "Point") with attribute columns (dict name ->
    list; None is NULL) to path with the given driver."""
    import shapely

    try:
        from pyogrio.raw import write
    except ImportError:
        write = None
    if write is None:
        if driver != "GeoJSON":
            raise UserError(
                tr(
                    "Writing a GeoPackage needs the 'pyogrio' package in the runtime; "
                    "write a .geojson file instead or update the runtime."
                )
            )
        features = [
            {
                "type": "Feature",
                "properties": {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in fields.items()},
                "geometry": json.loads(shapely.to_geojson(p)),
            }
            for i, p in enumerate(geometries)
        ]
        doc = {"type": "FeatureCollection", "features": features}
        epsg = crs.to_epsg() if crs is not None else None
        if epsg:
            doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::%d" % epsg}}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        return
    geometry = np.array([shapely.to_wkb(p) for p in geometries], dtype=object)
    names = list(fields)
    data = [np.asarray(fields[n]) for n in names]
    write(
        path,
        geometry,
        data,
        names,
        layer=layer,
        driver=driver,
        geometry_type=geometry_type,
        crs=crs.to_wkt() if crs is not None else None,
    )
