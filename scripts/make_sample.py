"""Write the synthetic sample rasters in sample/ (deterministic; run with the runtime's Python).

    python scripts/make_sample.py [--out sample]

sample/s2_sample.tif: 12-band uint16 Sentinel-2-like surface reflectance (0..10000; bands B1..B12
without B10, in the models' order), 320 x 288 pixels of 10 m in EPSG:32633 (UTM 33N), nodata 0
(a no-data wedge in the south-west corner, like a swath edge). Land cover is a smooth random
mixture of vegetation (fields with parcel texture), water (a lake and a river), bare soil and
urban patches, each with a plausible spectrum, plus a little sensor noise.
sample/s1_sample.tif: 2-band float32 Sentinel-1 VV, VH linear backscatter on the same grid with
the same land cover and speckle, nodata 0 in the same wedge.
Both are SYNTHETIC (tagged so): they exist to run the plugin and its tests offline, not to learn
anything about a real place.
"""

import argparse
import os

import numpy as np
import rasterio
from rasterio.transform import from_origin

WIDTH, HEIGHT, PIXEL = 320, 288, 10.0
ORIGIN = (400000.0, 5300000.0)  # UTM 33N, upper-left corner (about 47.8 N, 13.7 E)
CRS = "EPSG:32633"
S2_BANDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12")

# surface reflectance x 10000 per class, bands in S2_BANDS order
SPECTRA = {
    "vegetation": (250, 350, 650, 380, 1100, 2700, 3200, 3400, 3500, 3300, 1800, 850),
    "water": (600, 650, 550, 320, 260, 210, 190, 160, 140, 110, 60, 40),
    "soil": (900, 1100, 1450, 1800, 2050, 2250, 2350, 2450, 2550, 2500, 3100, 2600),
    "urban": (1200, 1350, 1450, 1550, 1650, 1800, 1900, 2000, 2050, 1950, 2300, 2100),
}
# linear backscatter (VV, VH) per class
BACKSCATTER = {"vegetation": (0.09, 0.022), "water": (0.004, 0.0008), "soil": (0.05, 0.009), "urban": (0.35, 0.06)}


def smooth_noise(rng, shape, scale):
    """Smooth random field in [0, 1]: white noise low-passed in the Fourier domain."""
    h, w = shape
    noise = rng.standard_normal(shape)
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[None, :]
    spectrum = np.fft.fft2(noise) * np.exp(-((fx**2 + fy**2) * (scale**2)))
    field = np.real(np.fft.ifft2(spectrum))
    field -= field.min()
    return field / max(field.max(), 1e-12)


def land_cover(rng):
    """Per-class abundances (4, H, W) summing to 1, with sharp-ish class borders."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float64)
    veg = smooth_noise(rng, (HEIGHT, WIDTH), 40.0) + 0.35
    soil = smooth_noise(rng, (HEIGHT, WIDTH), 25.0) * 1.3
    urban = smooth_noise(rng, (HEIGHT, WIDTH), 15.0)
    urban = np.where(urban > 0.72, 2.5 * urban, 0.0)
    lake = np.exp(-(((xx - 230) / 38.0) ** 2 + ((yy - 80) / 26.0) ** 2)) * 3.0
    river_y = 200 + 25 * np.sin(xx / 45.0)
    river = np.exp(-(((yy - river_y) / 5.0) ** 2)) * 3.0
    water = lake + river
    logits = np.stack([veg, water, soil, urban]) * 6.0
    logits -= logits.max(axis=0, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=0, keepdims=True)


def nodata_wedge():
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH]
    return (HEIGHT - yy) + xx < 40  # south-west corner triangle


def make_s2(rng, cover, wedge):
    classes = ("vegetation", "water", "soil", "urban")
    spectra = np.array([SPECTRA[c] for c in classes], np.float64)  # (4, 12)
    refl = np.einsum("kc,khw->chw", spectra, cover)
    # parcel texture in the fields: brightness varies per 32 x 32 block
    parcels = rng.uniform(0.85, 1.15, (HEIGHT // 32 + 1, WIDTH // 32 + 1))
    parcels = np.kron(parcels, np.ones((32, 32)))[:HEIGHT, :WIDTH]
    refl *= 1.0 + (parcels - 1.0) * cover[0]
    refl *= 1.0 + 0.03 * rng.standard_normal((1, HEIGHT, WIDTH))  # illumination
    refl += rng.normal(0.0, 12.0, refl.shape)  # sensor noise
    data = np.clip(np.round(refl), 1, 10000).astype(np.uint16)
    data[:, wedge] = 0
    return data


def make_s1(rng, cover, wedge):
    classes = ("vegetation", "water", "soil", "urban")
    sigma = np.array([BACKSCATTER[c] for c in classes], np.float64)  # (4, 2)
    mean = np.einsum("kc,khw->chw", sigma, cover)
    speckle = rng.gamma(4.0, 1.0 / 4.0, mean.shape)  # 4-look speckle
    value = mean * speckle
    # quantise to 0.05 dB steps: realistic precision, and the file compresses well
    db = np.round(10.0 * np.log10(np.maximum(value, 1e-6)) / 0.05) * 0.05
    data = np.power(10.0, db / 10.0).astype(np.float32)
    data[:, wedge] = 0.0
    return data


def write(path, data, descriptions, nodata, tags):
    profile = {
        "driver": "GTiff",
        "width": WIDTH,
        "height": HEIGHT,
        "count": data.shape[0],
        "dtype": data.dtype.name,
        "crs": CRS,
        "transform": from_origin(ORIGIN[0], ORIGIN[1], PIXEL, PIXEL),
        "nodata": nodata,
        "compress": "deflate",
        "zlevel": 9,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "predictor": 3 if data.dtype == np.float32 else 2,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
        dst.descriptions = descriptions
        dst.update_tags(**tags)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "sample"))
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20240601)
    cover = land_cover(rng)
    wedge = nodata_wedge()
    common = {
        "SYNTHETIC": "yes: generated by scripts/make_sample.py, not a real acquisition",
        "GENERATOR": "TerraEmbed scripts/make_sample.py (seed 20240601)",
    }
    s2 = make_s2(rng, cover, wedge)
    write(
        os.path.join(args.out, "s2_sample.tif"),
        s2,
        S2_BANDS,
        0,
        dict(common, CONTENT="Sentinel-2-like L2A surface reflectance x 10000, 12 bands (no B10)"),
    )
    s1 = make_s1(rng, cover, wedge)
    write(
        os.path.join(args.out, "s1_sample.tif"),
        s1,
        ("VV", "VH"),
        0.0,
        dict(common, CONTENT="Sentinel-1-like VV, VH backscatter, linear (not dB)"),
    )
    for name in ("s2_sample.tif", "s1_sample.tif"):
        p = os.path.join(args.out, name)
        print("%s: %d bytes" % (os.path.normpath(p), os.path.getsize(p)))


if __name__ == "__main__":
    main()
