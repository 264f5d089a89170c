"""The chip reader's validity equals GDAL's own masks for every way a raster marks nodata: a nodata value on
integer bands (computed from the values already read, without decoding the blocks a second time), NaN as
nodata, a float nodata value, an internal mask band (alpha takes the same path: GDAL's masks), and none."""

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from terraembed.engine.pipeline.reader import WindowReader
from terraembed.engine.pipeline.source import RasterSource

H, W = 90, 70


def write(path, dtype, nodata=None, mask=False):
    rng = np.random.default_rng(1)
    count = 12
    data = rng.integers(1, 3000, size=(count, H, W)).astype(dtype)
    holes = rng.random((H, W)) < 0.2
    if nodata is not None:
        data[:12, holes] = nodata
        data[3, :10] = nodata  # one band alone has a nodata strip
    profile = dict(
        driver="GTiff",
        width=W,
        height=H,
        count=count,
        dtype=dtype,
        crs="EPSG:32633",
        transform=from_origin(500000, 4000000, 10, 10),
        nodata=nodata,
        tiled=True,
        blockxsize=32,
        blockysize=32,
    )
    with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True):
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(data)
            if mask:
                dst.write_mask(np.where(holes, 0, 255).astype("uint8"))
    return str(path)


@pytest.mark.parametrize(
    "dtype, nodata, mask",
    [
        ("uint16", 0, False),
        ("int16", -9999, False),
        ("float32", float("nan"), False),
        ("float32", -9999.0, False),
        ("uint16", None, True),
        ("uint16", None, False),
    ],
)
def test_validity_is_gdals_masks(tmp_path, dtype, nodata, mask):
    path = write(tmp_path / "in.tif", dtype, nodata, mask)
    source = RasterSource(path, 12, bands=list(range(1, 13)))
    with WindowReader(source) as reader:
        data, valid = reader.read(5, 7, 64, 50)
    with rasterio.open(path) as ds:
        window = rasterio.windows.Window(7, 5, 50, 64)
        gdal = ds.read_masks(list(range(1, 13)), window=window) != 0
        finite = np.isfinite(ds.read(list(range(1, 13)), window=window)).all(axis=0)
    expected = gdal.any(axis=0) & finite  # valid: some band has a value (GDAL's masks), none is NaN or ±Inf
    assert data.shape == (12, 64, 50)
    assert np.array_equal(valid, expected)
    assert (~expected).any() or (nodata is None and not mask)
