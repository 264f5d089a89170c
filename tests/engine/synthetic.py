"""Synthetic embedding rasters with known structure, for tests and demonstrations.

Nothing here is used by the jobs themselves. Every function is deterministic given its seed.
"""

import numpy as np

NODATA = -9999.0
CRS = "EPSG:32633"


def grid_transform(origin=(500000.0, 4200000.0), res=10.0):
    from rasterio.transform import from_origin

    return from_origin(origin[0], origin[1], res, res)


def write_raster(path, data, nodata=NODATA, crs=CRS, transform=None, dtype="float32", **options):
    """Write a (bands, height, width) array as a GeoTIFF."""
    import rasterio

    data = np.asarray(data)
    profile = {
        "driver": "GTiff",
        "width": data.shape[2],
        "height": data.shape[1],
        "count": data.shape[0],
        "dtype": dtype,
        "crs": crs,
        "transform": transform if transform is not None else grid_transform(),
        "nodata": nodata,
    }
    profile.update(options)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data.astype(dtype))
    return str(path)


def voronoi_labels(k, height, width, seed=0):
    """Labels 1..k: each cell takes its nearest of k random sites (compact regions)."""
    rng = np.random.default_rng(seed)
    sites = rng.uniform([0, 0], [height, width], size=(k, 2))
    rows, cols = np.mgrid[0:height, 0:width]
    d = (rows[..., None] - sites[:, 0]) ** 2 + (cols[..., None] - sites[:, 1]) ** 2
    return (np.argmin(d, axis=-1) + 1).astype(np.int32)


def embed_labels(labels, bands=64, noise=0.3, seed=0, centres=None, offset=0.0):
    """Embeddings: each class its own random centre plus Gaussian noise. Returns (data, centres)."""
    rng = np.random.default_rng(seed)
    k = int(labels.max())
    if centres is None:
        centres = rng.normal(size=(k + 1, bands)) + offset
    data = centres[labels] + noise * rng.normal(size=labels.shape + (bands,))
    return np.moveaxis(data, -1, 0).astype(np.float32), centres


def punch_nodata(data, seed=0, fraction=0.03, nodata=NODATA, strip=True):
    """Mark some cells nodata: a random fraction in a single band (the cell is still invalid), a
    few NaN cells, and (strip) the first two rows in every band. Returns (data, invalid mask)."""
    rng = np.random.default_rng(seed + 1000)
    data = data.copy()
    bands, height, width = data.shape
    invalid = np.zeros((height, width), dtype=bool)
    cells = rng.random((height, width)) < fraction
    band = rng.integers(0, bands, size=(height, width))
    data[band[cells], np.nonzero(cells)[0], np.nonzero(cells)[1]] = nodata
    invalid |= cells
    nan_cells = (rng.random((height, width)) < fraction / 3) & ~invalid
    data[0, nan_cells] = np.nan
    invalid |= nan_cells
    if strip:
        data[:, :2, :] = nodata
        invalid[:2, :] = True
    return data, invalid


def cell_centre(transform, row, col):
    x, y = transform * (float(col) + 0.5, float(row) + 0.5)
    return float(x), float(y)


def rect_wkt(transform, row0, col0, row1, col1):
    """A polygon covering cells [row0, row1) x [col0, col1) exactly (edges on cell boundaries)."""
    x0, y0 = (float(v) for v in transform * (float(col0), float(row0)))
    x1, y1 = (float(v) for v in transform * (float(col1), float(row1)))
    return "POLYGON ((%r %r, %r %r, %r %r, %r %r, %r %r))" % (x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)


def point_wkt(transform, row, col):
    return "POINT (%r %r)" % cell_centre(transform, row, col)


def planted_raster(path, classes, height, width, bands, noise, seed):
    """An embedding raster of `classes` Voronoi regions (embed_labels) with nodata punched in
    (punch_nodata), written to `path`: (path, labels, invalid)."""
    labels = voronoi_labels(classes, height, width, seed=seed)
    data, _ = embed_labels(labels, bands=bands, noise=noise, seed=seed)
    data, invalid = punch_nodata(data, seed=seed)
    return write_raster(path, data), labels, invalid


def point_labels(labels, invalid, names, per_class, rng, transform=None):
    """Labelled points ({"wkt", "label"}) on `per_class` random valid cells of each class of `names`
    ({code: name}, in its order); `rng` is a seed or a numpy Generator (drawn from in that order)."""
    rng = np.random.default_rng(rng)
    transform = transform or grid_transform()
    items = []
    for code, name in names.items():
        rows, cols = np.nonzero((labels == code) & ~invalid)
        for i in rng.choice(len(rows), per_class, replace=False):
            items.append({"wkt": point_wkt(transform, rows[i], cols[i]), "label": name})
    return items


# -- Google's int8 AlphaEarth files ------------------------------------------------------------------
ALPHAEARTH_BANDS = tuple("A%02d" % i for i in range(64))


def quantise_alphaearth(values):
    """Embedding values in [-1, 1] as AlphaEarth's int8 codes: the inverse of the published
    de-quantisation sign(v) * (v / 127.5)^2, i.e. round(sign(x) * sqrt(|x|) * 127.5) in [-127, 127]."""
    x = np.asarray(values, dtype=np.float64)
    return np.clip(np.round(np.sign(x) * np.sqrt(np.abs(x)) * 127.5), -127, 127).astype(np.int8)


def alphaearth_vectors(labels, seed=0, noise=0.15, dim=64):
    """Unit vectors (dim, h, w) float32: each class of `labels` a random direction plus noise, renormalised."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(int(labels.max()) + 1, dim))
    vectors = centres[labels] + noise * rng.normal(size=labels.shape + (dim,))
    return np.moveaxis(vectors / np.linalg.norm(vectors, axis=-1, keepdims=True), -1, 0).astype(np.float32)


def write_alphaearth_cog(path, codes, bands=ALPHAEARTH_BANDS, nodata=-128, **profile):
    """int8 codes (bands, h, w) as one of Google's AlphaEarth COGs: bands named `bands` (A00..A63), nodata
    -128, a cloud-optimised GeoTIFF (tiled; overviews when larger than a tile), on synthetic's grid unless
    `profile` says otherwise."""
    import rasterio
    import rasterio.shutil

    plain = str(path) + ".plain.tif"
    options = {"driver": "GTiff", "width": codes.shape[2], "height": codes.shape[1], "count": codes.shape[0]}
    options.update(dtype="int8", crs=CRS, transform=grid_transform(), nodata=nodata)
    options.update(profile)
    with rasterio.open(plain, "w", **options) as dst:
        dst.write(codes)
        dst.descriptions = tuple(bands)
    rasterio.shutil.copy(plain, str(path), driver="COG", BLOCKSIZE=128)
    rasterio.shutil.delete(plain)
    return str(path)


def alphaearth_cog(path, labels, masked=None, seed=0, noise=0.15, bands=ALPHAEARTH_BANDS, nodata=-128, **profile):
    """A small fake AlphaEarth COG of planted classes (alphaearth_vectors, quantised); `masked` cells
    -128 in every band. Returns (path, the unit vectors before quantisation, (bands, h, w) float32)."""
    vectors = alphaearth_vectors(labels, seed, noise, len(bands))
    codes = quantise_alphaearth(vectors)
    if masked is not None:
        codes[:, masked] = -128
    return write_alphaearth_cog(path, codes, bands, nodata, **profile), vectors


# a series with planted change: a break in one region, a periodic change in another
SERIES_BREAK = (5, 5, 15, 20)  # rows 5..14, cols 5..19: a new land cover from SERIES_BREAK_AT on
SERIES_PERIODIC = (18, 22, 28, 38)  # rows 18..27, cols 22..37: alternating between two covers
SERIES_BREAK_AT = 3  # 0-based period of the break, so the break number (1-based) is 4


def planted_series(periods=6, height=30, width=40, bands=16, noise=0.02, seed=3):
    """Period arrays (bands, height, width) of one area: Voronoi land covers that stay (each period
    adds a little noise), SERIES_BREAK taking a new cover from period SERIES_BREAK_AT on, and
    SERIES_PERIODIC alternating between two covers every period. Returns (arrays, regions) with
    regions {"break", "periodic"} boolean masks."""
    rng = np.random.default_rng(seed)
    labels = voronoi_labels(3, height, width, seed=seed)
    base, _ = embed_labels(labels, bands=bands, noise=0.3, seed=seed)
    new, cover_a, cover_b = (rng.normal(size=bands).astype(np.float32) * 2 for _ in range(3))
    regions = {}
    for name, (r0, c0, r1, c1) in (("break", SERIES_BREAK), ("periodic", SERIES_PERIODIC)):
        mask = np.zeros((height, width), dtype=bool)
        mask[r0:r1, c0:c1] = True
        regions[name] = mask
    arrays = []
    for k in range(periods):
        data = base + noise * rng.normal(size=base.shape).astype(np.float32)
        if k >= SERIES_BREAK_AT:
            data[:, regions["break"]] = new[:, None] + noise * rng.normal(size=(bands, regions["break"].sum()))
        cover = cover_a if k % 2 == 0 else cover_b
        data[:, regions["periodic"]] = cover[:, None] + noise * rng.normal(size=(bands, regions["periodic"].sum()))
        arrays.append(data.astype(np.float32))
    return arrays, regions


def cosine_distance(a, b):
    """1 - cos between two (bands, ...) arrays, per cell (float64)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    cos = (a * b).sum(axis=0) / (np.linalg.norm(a, axis=0) * np.linalg.norm(b, axis=0))
    return 1.0 - np.clip(cos, -1.0, 1.0)


def ambiguous_raster(path, height, width, bands, region, noise=0.2, seed=0, tags=None):
    """Two classes (1: columns left of the middle, 2: the rest) with a planted ambiguous region
    (region = (row0, col0, row1, col1), inside class 1) whose cells are the mean of the two classes'
    centres plus noise: a classifier of the two is unsure there and sure elsewhere. Returns (path,
    classes (height, width), region mask, centres)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(3, bands))
    classes = np.where(np.arange(width)[None, :] < width // 2, 1, 2).repeat(height, axis=0)
    vectors = centres[classes]
    mask = np.zeros((height, width), dtype=bool)
    r0, c0, r1, c1 = region
    mask[r0:r1, c0:c1] = True
    vectors[mask] = 0.5 * (centres[1] + centres[2])
    data = vectors + noise * rng.normal(size=vectors.shape)
    write_raster(path, np.moveaxis(data, -1, 0).astype(np.float32))
    if tags:
        import rasterio

        with rasterio.open(path, "r+") as ds:
            ds.update_tags(**tags)
    return str(path), classes, mask, centres


def fine_blocks(means, spread=0.5, seed=0):
    """A (bands, 2h, 2w) array twice as fine as `means` (bands, h, w) whose 2 x 2 blocks have exactly those
    means: a block's cells are its mean plus -2, -1, +1 and +2 times a per-band step (spread x 0.5..1), in
    an order shuffled per block, so no cell equals its block's mean (nearest neighbour onto the coarse grid
    picks one of them)."""
    rng = np.random.default_rng(seed)
    bands, h, w = means.shape
    step = spread * rng.uniform(0.5, 1.0, size=(bands, 1, 1))
    offsets = np.array([-2.0, -1.0, 1.0, 2.0])[np.argsort(rng.random((h, w, 4)), axis=2)]  # (h, w, 4)
    fine = np.empty((bands, 2 * h, 2 * w), np.float64)
    for k, (dr, dc) in enumerate(((0, 0), (0, 1), (1, 0), (1, 1))):
        fine[:, dr::2, dc::2] = means + step * offsets[None, :, :, k]
    return fine.astype(np.float32)
