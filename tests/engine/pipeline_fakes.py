"""Helpers for the pipeline tests: a transparent fake model and raster writers.

FakeModel follows the EmbeddingModel interface (spec, device, default_batch_size,
weights_description, embed) but its output is *local*: grid cell (i, j) of a chip
is the mean of each band over the chip's 16 x 16 input pixels of that cell (after the bilinear
resize to 224 when the input is another size), plus a constant 1 band; pooled = grid mean. So a
stitched grid cell can be checked against the raster pixels it claims to cover.
"""

import os
from types import SimpleNamespace

import numpy as np
import rasterio
import torch
import torch.nn.functional as F
from rasterio.transform import from_origin

from terraembed.models.registry import ModelSpec
from terraembed.shared.catalogue import SENSOR_BANDS, sensors_of


class FakeModel:
    def __init__(self, bands=12, modality="S2"):
        names = tuple("B%d" % (i + 1) for i in range(bands))
        sensors = sensors_of(modality)
        if len(sensors) > 1:  # a fake on several sensors stacks their real bands (S2+S1+DEM: 15)
            names = tuple(b for s in sensors for b in SENSOR_BANDS[s])
            bands = len(names)
        self.spec = SimpleNamespace(
            id="fake_%s" % modality.lower(),
            modality=modality,
            bands=names,
            num_channels=bands,
            input_size=224,
            patch_size=16,
            grid_size=14,
            dim=bands + 1,
            family="fake",
            label="Fake",
            sensors=sensors,
            sensor_slices=lambda: (
                ModelSpec.sensor_slices(self.spec) if len(sensors) > 1 else {sensors[0]: slice(0, bands)}
            ),
        )
        self.device = "cpu"
        self.precision = "fp32"
        self.default_batch_size = 3
        self.weights_description = "fake weights"
        self.batches = []  # shapes of the inputs embed() saw

    def embed(self, raw):
        raw = np.asarray(raw, np.float32)
        assert raw.ndim == 4 and raw.shape[1] == self.spec.num_channels, raw.shape
        assert np.isfinite(raw).all()
        self.batches.append(raw.shape)
        x = torch.from_numpy(raw)
        if raw.shape[-2:] != (224, 224):
            x = F.interpolate(x, size=(224, 224), mode="bilinear", align_corners=False)
        b, c = x.shape[:2]
        cells = x.reshape(b, c, 14, 16, 14, 16).mean(dim=(3, 5))
        grid = torch.cat([cells, torch.ones(b, 1, 14, 14)], dim=1).numpy().astype(np.float32)
        return grid.mean(axis=(2, 3)), np.ascontiguousarray(grid)


def use_fake_model(monkeypatch, model=None):
    """Make the embed and feature jobs run `model` (default: a FakeModel) instead of loading one;
    `model.open_calls` lists the jobs (their ModelJob) that asked for it."""
    from terraembed.engine.pipeline import common

    model = model or FakeModel()
    model.open_calls = []

    def open_model(asked, ctx):
        model.open_calls.append(asked)
        return model

    monkeypatch.setattr(common, "open_model", open_model)
    monkeypatch.setattr(common, "model_spec", lambda model_id: model.spec)
    return model


def record_pooled(model):
    """Make `model.embed` also append each batch's pooled vectors to the returned list, in call order."""
    seen = []
    embed = model.embed

    def spy(raw):
        pooled, grid = embed(raw)
        seen.append(pooled)
        return pooled, grid

    model.embed = spy
    return seen


def write_raster(path, data, crs="EPSG:32633", transform=None, nodata=None, descriptions=None):
    data = np.asarray(data)
    count, height, width = data.shape
    transform = transform or from_origin(400000.0, 5300000.0, 10.0, 10.0)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": count,
        "dtype": data.dtype.name,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
    }
    os.makedirs(os.path.dirname(str(path)) or ".", exist_ok=True)
    with rasterio.open(str(path), "w", **profile) as dst:
        dst.write(data)
        if descriptions:
            dst.descriptions = tuple(descriptions)
    return str(path)


def random_s2(height, width, seed=0, bands=12):
    """Smooth-ish positive uint16 reflectance (never 0, so 0 can be nodata)."""
    rng = np.random.default_rng(seed)
    base = rng.integers(200, 4000, (bands, 1, 1))
    yy, xx = np.mgrid[0:height, 0:width]
    wave = (np.sin(yy / 17.0 + rng.random() * 6) + np.cos(xx / 23.0 + rng.random() * 6)) * 300
    noise = rng.integers(-100, 100, (bands, height, width))
    return np.clip(base + wave[None] + noise, 1, 10000).astype(np.uint16)


def embed_job(path, out_dir, outputs=None, source=None, **kw):
    """An embed job of the fake model in tile mode on the raster at `path`: the grid in out_dir
    unless `outputs` says otherwise; `source` keys are added to the raster source, other keys to the job."""
    job = {
        "type": "embed",
        "source": dict({"kind": "raster", "path": str(path)}, **(source or {})),
        "model": "fake",
        "prep": "tile",
        "outputs": outputs if outputs is not None else {"grid": str(out_dir / "grid.tif")},
    }
    job.update(kw)
    return job
