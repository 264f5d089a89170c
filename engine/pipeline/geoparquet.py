"""GeoParquet vectors (catalogue.VECTOR_FORMATS ".parquet"), written by the runtime with pyarrow, so
they work whatever QGIS's GDAL can write.

Layout (GeoParquet 1.1): one row per feature (or per area, for the pooled vector of Compute
embeddings); the attributes as columns, in order, each typed from its values (all booleans: bool; all
whole numbers: int64; all numbers: float64; else text; dates arrive as ISO text); `embedding`: the
vector as ONE fixed-size list column (float32, list size = the model's dimensions; null where a
feature was not embedded); `geometry`: WKB. The schema's "geo" metadata names the geometry column
(version, primary_column, columns.geometry: encoding WKB, geometry_types, crs as PROJJSON, bbox).

`add_output` adds the destination to the job's output transaction before any work (a partial name,
verified by reading the footer back: the row count and the "geo" key); `write` writes the partial.
A file pyarrow cannot write is an OutputError or a UserError naming it; the transaction leaves
nothing behind.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any, Optional

import numpy as np

from ...shared.catalogue import (
    CELLS_FIELD,
    FEATURE_EMBEDDED,
    FEATURE_NOT_EMBEDDED,
    FEATURE_STATUS_FIELD,
    GEOPARQUET_EXTENSION,
)
from ...shared.errors import OutputError, UserError
from ...shared.transaction import Transaction
from ..i18n import tr

EMBEDDING_COLUMN = "embedding"
GEOMETRY_COLUMN = "geometry"
CELLS_COLUMN = CELLS_FIELD
GEO_VERSION = "1.1.0"
FORMATS = {GEOPARQUET_EXTENSION: "GeoParquet"}


class ParquetOutput:
    """One GeoParquet destination of a job: its file, its partial and the rows it must hold."""

    def __init__(self, tx: Transaction, dest: str, what: str, nbytes: int = 0) -> None:
        self.tx, self.dest, self.what = tx, dest, what
        self.rows = None  # set by write(): what verify() expects
        self.partial = tx.add(dest, what, formats=FORMATS, nbytes=nbytes, verify=self.verify)

    def write(self, table: Any) -> None:
        """Write `table` (from `table()`) to the partial; a failure names the file and what to do."""
        import pyarrow.parquet as pq

        self.rows = table.num_rows
        try:
            pq.write_table(table, self.partial)
        except Exception as exc:
            mine = [o for o in self.tx.outputs if o.partial == self.partial]
            error = self.tx.explain(exc, mine[0] if mine else None)
            if isinstance(error, OutputError):
                raise error from exc
            raise UserError(
                tr(
                    "Could not write the %s as GeoParquet to %s (%s); nothing was written. Choose another "
                    "folder, or a .gpkg file."
                )
                % (self.what, self.dest, exc)
            ) from exc

    def verify(self, path: str) -> None:
        import pyarrow.parquet as pq

        try:
            meta = pq.read_metadata(path)
        except Exception as exc:
            raise OutputError(
                tr("The written file %s cannot be read back (%s); nothing was saved.") % (path, exc)
            ) from exc
        if self.rows is not None and meta.num_rows != self.rows:
            raise OutputError(
                tr("The written file %s holds %d of %d rows; nothing was saved.") % (path, meta.num_rows, self.rows)
            )
        if b"geo" not in (meta.metadata or {}):
            raise OutputError(tr("The written file %s has no GeoParquet metadata; nothing was saved.") % path)


def runtime_file(path: Optional[str]) -> Optional[str]:
    """`path` when the runtime writes it (a GeoParquet name), else None (QGIS writes it)."""
    return path if path and str(path).lower().endswith(GEOPARQUET_EXTENSION) else None


def add_output(tx: Transaction, dest: Optional[str], what: str, rows: int = 1, dim: int = 0) -> Optional[ParquetOutput]:
    """The ParquetOutput of `dest` in the job's transaction (free space checked for its rows of `dim`
    float32 values, the embeddings), or None when the job has none."""
    return ParquetOutput(tx, dest, what, nbytes=rows * dim * 4) if dest else None


def table(
    attributes: Sequence[tuple[str, list[Any]]],
    vectors: Sequence[Optional[Sequence[float]]],
    dim: int,
    geometries: Sequence[Any],
    crs: Optional[str],
) -> Any:
    """The pyarrow table of a GeoParquet file.

    attributes: [(name, [value per row])] in column order; vectors: [D floats | None per row];
    geometries: [shapely geometry | None per row]; crs: anything pyproj reads (WKT), or None."""
    import pyarrow as pa
    import shapely

    columns = [pa.array(*_typed(values)) for _, values in attributes]
    names = [name for name, _ in attributes]
    columns.append(_embedding_column(vectors, dim))
    names.append(EMBEDDING_COLUMN)
    columns.append(pa.array(list(shapely.to_wkb(np.array(geometries, dtype=object))), type=pa.binary()))
    names.append(GEOMETRY_COLUMN)
    schema = pa.schema(
        [pa.field(n, c.type) for n, c in zip(names, columns)],
        metadata={b"geo": json.dumps(geo_metadata(geometries, crs)).encode("utf-8")},
    )
    return pa.Table.from_arrays(columns, schema=schema)


def _embedding_column(vectors: Sequence[Optional[Sequence[float]]], dim: int) -> Any:
    import pyarrow as pa

    values: np.ndarray = np.zeros((len(vectors), dim), np.float32)
    missing: np.ndarray = np.zeros(len(vectors), bool)
    for i, vector in enumerate(vectors):
        if vector is None:
            missing[i] = True
        else:
            values[i] = vector
    flat = pa.array(values.reshape(-1), type=pa.float32())
    return pa.FixedSizeListArray.from_arrays(flat, dim, mask=pa.array(missing))


def _typed(values: list[Any]) -> tuple[list[Any], Any]:
    """(values, arrow type) of one attribute column: bool, int64, float64 or text, from its values."""
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return values, pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return values, pa.int64()
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return [None if v is None else float(v) for v in values], pa.float64()
    return [None if v is None else str(v) for v in values], pa.string()


def geo_metadata(geometries: Sequence[Any], crs: Optional[str]) -> dict[str, Any]:
    """The GeoParquet 1.1 "geo" metadata of the geometry column."""
    import shapely

    present = [g for g in geometries if g is not None and not g.is_empty]
    types = sorted({g.geom_type + (" Z" if shapely.has_z(g) else "") for g in present})
    column = {"encoding": "WKB", "geometry_types": types, "crs": _projjson(crs)}
    if present:
        column["bbox"] = [float(v) for v in shapely.total_bounds(np.array(present, dtype=object))]
    return {"version": GEO_VERSION, "primary_column": GEOMETRY_COLUMN, "columns": {GEOMETRY_COLUMN: column}}


def _projjson(crs: Optional[str]) -> Optional[dict[str, Any]]:
    """PROJJSON of crs (null: an unknown CRS; GeoParquet reads a missing key as OGC:CRS84)."""
    if crs is None:
        return None
    from pyproj import CRS

    return CRS.from_user_input(crs).to_json_dict()


def geometries_from_wkb(hex_values: Iterable[Optional[str]]) -> list[Any]:
    """Shapely geometries of hex WKB strings (None stays None)."""
    import shapely

    return [None if not h else shapely.from_wkb(bytes.fromhex(h)) for h in hex_values]


def reserved_clash(names: Iterable[str], cells: bool) -> Optional[str]:
    """The first of `names` (a layer's fields) that a column TerraEmbed adds would overwrite, or None."""
    ours = {FEATURE_STATUS_FIELD, EMBEDDING_COLUMN, GEOMETRY_COLUMN} | ({CELLS_COLUMN} if cells else set())
    return next((n for n in names if n in ours), None)


def features_table(spec: dict[str, Any], result: dict[str, Any]) -> Any:
    """The table of Embeddings for features: the layer's attributes, the status, the cells ("cells"
    vectors), the embedding and the geometry, one row per feature in the job's order."""
    out = spec.get("vectors_output") or {}
    features = spec.get("features") or []
    names = list(out.get("fields") or [])
    rows = [list(f.get("attributes") or [None] * len(names)) for f in features]
    attributes = [(name, [row[i] if i < len(row) else None for row in rows]) for i, name in enumerate(names)]
    ids = [str(f.get("id")) for f in features]
    vectors = [result["vectors"].get(fid) for fid in ids]
    skipped = result.get("skipped") or {}
    status = [
        FEATURE_EMBEDDED if v is not None else FEATURE_NOT_EMBEDDED % skipped.get(fid, "no vector")
        for fid, v in zip(ids, vectors)
    ]
    attributes.append((FEATURE_STATUS_FIELD, status))
    if "cells" in result:
        attributes.append((CELLS_COLUMN, [result["cells"].get(fid) for fid in ids]))
    geometries = geometries_from_wkb([f.get("wkb") for f in features])
    return table(attributes, vectors, int(result["dim"]), geometries, out.get("crs"))


def pooled_table(spec: dict[str, Any], result: dict[str, Any], source: Any) -> Any:
    """The one-row table of Compute embeddings' pooled vector: model, modality, source, cells (the
    valid grid cells), embedding and the area (the AOI polygon, else the grid's bounds) in the
    result's CRS; `source`: the job's RasterSource."""
    import os

    from shapely.geometry import box, shape

    geometry = shape(source.aoi_geometry) if source.aoi_geometry else box(*result["bounds"])

    source = spec.get("source") or {}
    # the source's label, as algorithms/embed.py writes it in the GeoPackage
    label = source.get("name") or os.path.basename(source.get("path") or "") or "earthengine"
    attributes = [
        ("model", [result["model"]]),  # the GeoPackage's fields (algorithms/embed.py pooled_fields)
        ("modality", [result["modality"]]),
        ("source", [label]),
        (CELLS_COLUMN, [int(result["cells"])]),
    ]
    return table(attributes, [result["pooled"]], int(result["dim"]), [geometry], result.get("crs"))
