"""Shared fixtures for the engine tests.

- This folder is put on sys.path, so tests can `import weights_factory` (and other helpers here).
- HF_HUB_OFFLINE=1 unless already set: engine tests never reach the Hugging Face hub.
- `fake_model`: the jobs run a FakeModel instead of a real one.
- Session-scoped generated weight files (writing the 450 MB TerraFM-B file once per session).
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def fake_model(monkeypatch):
    """The embed and feature jobs run a transparent FakeModel (pipeline_fakes) instead of loading a
    model; returns it (its `batches` and `open_calls` record what the jobs asked of it)."""
    from pipeline_fakes import use_fake_model

    return use_fake_model(monkeypatch)


@pytest.fixture(scope="session")
def terrafm_weights(tmp_path_factory):
    """Path of a generated TerraFM-B.pth (published key format, random values, seed 0)."""
    import weights_factory

    path = tmp_path_factory.mktemp("terrafm") / "TerraFM-B.pth"
    return weights_factory.make_terrafm_weights(path, seed=0)


@pytest.fixture(scope="session")
def terramind_tiny_weights(tmp_path_factory):
    """Path of a generated TerraMind_v1_tiny.pt (published key format, random values, seed 0)."""
    import weights_factory

    path = tmp_path_factory.mktemp("terramind") / "TerraMind_v1_tiny.pt"
    return weights_factory.make_terramind_weights(path, size="tiny", seed=0)


def realistic_s2_chips(batch=2, size=224, seed=0):
    """Fields/water/forest-like patches with band-typical reflectances (0..10000) plus noise."""
    import numpy as np

    rng = np.random.default_rng(seed)
    # typical reflectance spectra (B1..B12 without B10) for vegetation, soil, water, urban
    spectra = np.array(
        [
            [300, 400, 700, 450, 1200, 2800, 3300, 3500, 3600, 3700, 1900, 900],
            [1200, 1400, 1800, 2200, 2500, 2700, 2900, 3000, 3100, 3100, 3600, 3000],
            [600, 700, 600, 400, 300, 250, 230, 200, 190, 180, 120, 90],
            [1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200, 2250, 2300, 2500, 2300],
        ],
        dtype=np.float32,
    )
    out = np.empty((batch, 12, size, size), np.float32)
    yy, xx = np.mgrid[0:size, 0:size] / size
    for b in range(batch):
        # Voronoi-like parcels
        centers = rng.random((12, 2))
        kinds = rng.integers(0, len(spectra), 12)
        d = (yy[None] - centers[:, 0, None, None]) ** 2 + (xx[None] - centers[:, 1, None, None]) ** 2
        label = kinds[np.argmin(d, axis=0)]
        img = spectra[label].transpose(2, 0, 1)
        shade = 1 + 0.15 * np.sin(6 * np.pi * (yy + rng.random())) * np.cos(4 * np.pi * (xx + rng.random()))
        img = img * shade[None] * (1 + 0.05 * rng.standard_normal((12, size, size)))
        out[b] = np.clip(img, 0, 10000)
    return out
