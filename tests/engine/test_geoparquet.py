"""GeoParquet vectors and exact zone roll-ups (engine/pipeline/geoparquet.py, engine/pipeline/zones.py): the files read
back with pyarrow and geopandas, the GeoParquet 1.1 metadata, the "cells" feature vectors checked
against the embedding grid of Compute embeddings, and two halves of a polygon merged into the whole."""

import json
import os

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import rasterio
import shapely
from pipeline_fakes import embed_job, random_s2, write_raster
from report_reader import num, read
from shapely.geometry import Polygon, box

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

X0, Y0 = 400000.0, 5300000.0
DIM = 13  # the fake model's dimensions (12 bands + 1)


def px(col, row):
    """The map coordinates of the corner of pixel (col, row) of the 10 m test raster."""
    return X0 + col * 10.0, Y0 - row * 10.0


def features_job(path, geoms, out=None, mode=None, attributes=None, fields=None):
    features = []
    for i, geom in enumerate(geoms):
        feature = {"id": i, "bounds": list(geom.bounds), "geometry": geom.wkt, "wkb": shapely.to_wkb(geom, hex=True)}
        if attributes is not None:
            feature["attributes"] = attributes[i]
        features.append(feature)
    job = {
        "type": "embed_features",
        "source": {"kind": "raster", "path": str(path)},
        "model": "fake",
        "features": features,
        "features_crs": "EPSG:32633",
        "batch_size": 2,
    }
    if mode:
        job["feature_vector"] = mode
    if out:
        job["vectors_output"] = {"path": str(out), "fields": fields or [], "crs": "EPSG:32633"}
    return job


def pentagon(c0, r0, c1, r1):
    """A five-sided polygon inside the pixel box (c0, r0)..(c1, r1): not a rectangle of cells."""
    cm = (c0 + c1) / 2.0
    return Polygon([px(c0, r0 + 30), px(cm, r0), px(c1, r0 + 10), px(c1 - 20, r1), px(c0 + 15, r1)])


def grid_mean(grid_path, geom):
    """The mean of the grid's valid cells whose centres lie inside geom, and their count."""
    with rasterio.open(grid_path) as ds:
        grid = ds.read().astype(np.float64)
        rows, cols = np.mgrid[0 : ds.height, 0 : ds.width]
        xs, ys = ds.transform * (cols + 0.5, rows + 0.5)
    inside = shapely.contains_xy(geom, xs, ys) & np.isfinite(grid).all(axis=0)
    return grid[:, inside].mean(axis=1), int(inside.sum())


def test_features_geoparquet_read_back(tmp_path, fake_model):
    data = random_s2(200, 200)
    data[:, 150:, 150:] = 0
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    geoms = [box(*px(10, 50), *px(60, 20)), box(*px(160, 190), *px(190, 160)), box(*px(100, 140), *px(130, 100))]
    attributes = [[1, "wheat", 2.5, True], [2, None, None, False], [3, "maize", 7, None]]
    out = tmp_path / "out" / "features.parquet"
    job = features_job(path, geoms, out, attributes=attributes, fields=["fid", "crop", "yield", "irrigated"])
    result = run_job(job, JobContext())
    assert result["vectors_output"] == str(out) and os.listdir(out.parent) == ["features.parquet"]

    table = pq.read_table(out)
    assert table.column_names == ["fid", "crop", "yield", "irrigated", "embed_status", "embedding", "geometry"]
    kinds = {f.name: str(f.type) for f in table.schema}
    assert kinds["fid"] == "int64" and kinds["crop"] == "string" and kinds["yield"] == "double"
    assert kinds["irrigated"] == "bool" and kinds["geometry"] == "binary"
    assert kinds["embedding"] == "fixed_size_list<element: float>[%d]" % DIM
    rows = table.to_pylist()
    assert [r["crop"] for r in rows] == ["wheat", None, "maize"] and [r["yield"] for r in rows] == [2.5, None, 7.0]
    assert rows[1]["embedding"] is None and rows[1]["embed_status"].startswith("not embedded: all pixels")
    for i in (0, 2):
        assert rows[i]["embed_status"] == "embedded"
        np.testing.assert_array_equal(np.float32(rows[i]["embedding"]), np.float32(result["vectors"][str(i)]))

    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Polygon"]
    assert column["crs"]["id"] == {"authority": "EPSG", "code": 32633}
    np.testing.assert_allclose(column["bbox"], shapely.total_bounds(geoms))

    frame = gpd.read_parquet(out)
    assert frame.crs.to_epsg() == 32633 and list(frame["fid"]) == [1, 2, 3]
    assert all(a.equals(b) for a, b in zip(frame.geometry, geoms))


def test_cells_vectors_are_the_grid_cells_inside(tmp_path, fake_model):
    """A feature's "cells" vector is the mean of the cells of Compute embeddings' grid of the whole
    raster (tile preparation) whose centres lie inside it; nodata cells are not counted."""
    data = random_s2(300, 330, seed=3)
    data[:, 200:, :40] = 0  # nodata cells under part of the second feature
    path = write_raster(tmp_path / "in.tif", data, nodata=0)
    run_job(embed_job(path, tmp_path), JobContext())
    geoms = [pentagon(20, 30, 300, 250), pentagon(5, 150, 120, 290)]
    result = run_job(features_job(path, geoms, mode="cells"), JobContext())
    assert result["feature_vector"] == "cells" and result["embedded"] == 2
    for i, geom in enumerate(geoms):
        mean, count = grid_mean(tmp_path / "grid.tif", geom)
        assert result["cells"][str(i)] == count
        np.testing.assert_allclose(result["vectors"][str(i)], mean, rtol=1e-5)


def test_two_halves_merge_into_the_whole(tmp_path, fake_model):
    """Zone roll-up: (cells_a * mean_a + cells_b * mean_b) / (cells_a + cells_b) of the two halves of
    a polygon (embedded in another run) is the whole polygon's mean, to float32 precision."""
    path = write_raster(tmp_path / "in.tif", random_s2(300, 330, seed=5))
    whole = pentagon(20, 30, 300, 250)
    cut = px(128, 0)[0]  # a cell edge (cells are 16 pixels): no cell centre lies on the cut
    left = whole.intersection(box(X0, Y0 - 4000, cut, Y0))
    right = whole.intersection(box(cut, Y0 - 4000, X0 + 4000, Y0))
    out = tmp_path / "halves.parquet"
    whole_run = run_job(features_job(path, [whole], mode="cells"), JobContext())
    job = dict(features_job(path, [left, right], out=out, mode="cells"), html_report=str(tmp_path / "r.html"))
    halves = run_job(job, JobContext())
    report = read(tmp_path / "r.html")
    assert report.fact("What was embedded", "Feature vector").startswith("cells (the mean of the embedding grid")
    assert int(num(report.fact("What was embedded", "Cells (grid cells in the features)"))) == sum(
        halves["cells"].values()
    )

    frame = gpd.read_parquet(out)
    cells = frame["cells"].to_numpy()
    sums = np.stack(frame["embedding"].to_numpy()).astype(np.float64) * cells[:, None]  # sum = mean x cells
    merged = sums.sum(axis=0) / cells.sum()
    assert cells.sum() == whole_run["cells"]["0"] and min(cells) > 0
    np.testing.assert_allclose(merged, whole_run["vectors"]["0"], rtol=2e-7)


def test_cells_feature_without_a_cell_centre_is_skipped(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(100, 100))
    tiny = box(*px(1, 5), *px(5, 1))  # 4 x 4 pixels: no 16-pixel cell's centre inside
    outside = box(X0 - 5000, Y0 - 5000, X0 - 4000, Y0 - 4000)
    result = run_job(features_job(path, [tiny, box(*px(0, 40), *px(40, 0)), outside], mode="cells"), JobContext())
    assert "no grid cell's centre" in result["skipped"]["0"] and "outside" in result["skipped"]["2"]
    assert result["cells"]["1"] == 4 and result["vectors"]["0"] is None


def test_pooled_vector_as_geoparquet(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(100, 120))
    polygon = pentagon(5, 5, 110, 95)
    aoi = {"bounds": list(polygon.bounds), "crs": "EPSG:32633", "geometry": polygon.wkt}
    outputs = {"grid": str(tmp_path / "grid.tif"), "pooled": str(tmp_path / "pooled.parquet")}
    result = run_job(embed_job(path, tmp_path, outputs=outputs, aoi=aoi), JobContext())
    frame = gpd.read_parquet(tmp_path / "pooled.parquet")
    assert list(frame.columns) == ["model", "modality", "source", "cells", "embedding", "geometry"]
    assert frame["cells"][0] == result["cells"] and frame["source"][0] == "in.tif"
    np.testing.assert_array_equal(np.float32(frame["embedding"][0]), np.float32(result["pooled"]))
    assert frame.geometry[0].equals(polygon) and frame.crs.to_epsg() == 32633
    asset = json.loads((tmp_path / "grid.stac.json").read_text())["assets"]["pooled"]  # the STAC sidecar
    assert asset["href"] == "pooled.parquet" and asset["type"] == "application/vnd.apache.parquet"


def test_bad_geoparquet_destinations_write_nothing(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(60, 60))
    geoms = [box(*px(0, 40), *px(40, 0))]
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="is a file, not a folder"):
        run_job(features_job(path, geoms, out=blocker / "x.parquet"), JobContext())
    with pytest.raises(UserError, match=r"\.parquet \(GeoParquet\)"):
        run_job(features_job(path, geoms, out=tmp_path / "x.gpkg"), JobContext())
    with pytest.raises(UserError, match="already has a field named embedding"):
        run_job(
            features_job(path, geoms, out=tmp_path / "x.parquet", attributes=[[1]], fields=["embedding"]), JobContext()
        )
    existing = tmp_path / "keep.parquet"
    existing.write_bytes(b"old bytes")
    outside = [box(X0 - 5000, Y0 - 5000, X0 - 4000, Y0 - 4000)]
    with pytest.raises(UserError, match="None of the 1 feature"):
        run_job(features_job(path, outside, out=existing), JobContext())
    assert existing.read_bytes() == b"old bytes"
    assert sorted(os.listdir(tmp_path)) == ["a_file", "in.tif", "keep.parquet"]


def test_unknown_feature_vector_is_refused(tmp_path, fake_model):
    path = write_raster(tmp_path / "in.tif", random_s2(60, 60))
    with pytest.raises(UserError, match="The job's 'feature_vector' must be one of chip, cells, got 'pixels'"):
        run_job(features_job(path, [box(*px(0, 40), *px(40, 0))], mode="pixels"), JobContext())


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0), reason="mounting a tmpfs needs root")
def test_a_full_disk_keeps_the_old_file_and_says_so(tmp_path, fake_model):
    """pyarrow meets a full disk (a 64 KB tmpfs) while writing: the message names the folder, the old
    file is byte-identical and no partial is left."""
    import subprocess

    path = write_raster(tmp_path / "in.tif", random_s2(100, 100))
    geoms = [box(*px(i, 40), *px(i + 40, 0)) for i in range(0, 60, 3)]
    notes = [[os.urandom(12000).hex()] for _ in geoms]  # about 480 KB of text that does not compress
    disk = tmp_path / "mnt"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=True)
    try:
        dest = disk / "features.parquet"
        dest.write_bytes(b"previous result")
        with pytest.raises(UserError, match="free space|No space left") as info:
            run_job(features_job(path, geoms, out=dest, attributes=notes, fields=["note"]), JobContext())
        assert str(disk) in str(info.value)
        assert dest.read_bytes() == b"previous result" and os.listdir(disk) == ["features.parquet"]
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_cells_of_features_in_another_crs(tmp_path, fake_model):
    """Features in lon/lat are taken into the raster's CRS before their cells are chosen: the same cells
    and vector as the same polygon given in the raster's CRS."""
    from pyproj import Transformer

    path = write_raster(tmp_path / "in.tif", random_s2(200, 200, seed=7))
    utm = Polygon([px(20, 12), px(150, 28), px(180, 170), px(36, 140)])  # corners 4 px from cell centres
    to_lonlat = Transformer.from_crs("EPSG:32633", "EPSG:4326", always_xy=True)
    lonlat = shapely.transform(utm, lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1])))
    reference = run_job(features_job(path, [utm], mode="cells"), JobContext())
    job = features_job(path, [lonlat], mode="cells")
    job["features_crs"] = "EPSG:4326"
    result = run_job(job, JobContext())
    assert result["cells"] == reference["cells"] and reference["cells"]["0"] > 50
    np.testing.assert_array_equal(result["vectors"]["0"], reference["vectors"]["0"])
