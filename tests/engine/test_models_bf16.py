"""Precision 'auto' and bf16 on the CPU: the choice per CPU feature set (models/precision.py), the
bf16 layers (models/cpu_bf16.py), and the bound on bf16 against fp32 for every model (pooled
vectors and grid cells) and downstream (clusters and few-shot classes on a planted-structure raster).

The bound needs a CPU with native bf16 (AVX512-BF16 or AMX): elsewhere the models never run bf16,
and those tests are skipped with that reason."""

import numpy as np
import pytest
import rasterio
import torch
import torch.nn.functional as F
from conftest import realistic_s2_chips
from rasterio.windows import Window
from synthetic import voronoi_labels, write_raster
from test_models_loader import cell_cosines, cosine_rows
from test_models_preprocessing import s1_chips
from test_pipeline_models import S1, S2

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.models import loader as loader_mod
from terraembed.models.cpu_bf16 import BF16Linear, PatchLinear, use_bf16_layers
from terraembed.models.cpu_gemm import onednn_available
from terraembed.models.loader import load_model
from terraembed.models.precision import (
    BF16_MAX_CHANGED_SHARE,
    BF16_MIN_COSINE,
    choose_precision,
    cpu_bf16_features,
    describe_cpu_bf16,
    native_bf16,
)
from terraembed.models.registry import MODELS, get_model_spec
from terraembed.shared.catalogue import PRECISION_DEFAULT, PRECISIONS
from terraembed.shared.errors import UserError

NATIVE = bool(native_bf16(cpu_bf16_features())) and onednn_available()
needs_native_bf16 = pytest.mark.skipif(not NATIVE, reason="this CPU has no native bf16 (AVX512-BF16 or AMX)")

SAPPHIRE_RAPIDS = ("avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8")
ZEN4 = ("avx2", "avx512f", "avx512_bf16")
SKYLAKE_X = ("avx2", "avx512f", "avx512bw", "avx512_vnni")
OLD_LAPTOP = ("sse4_2", "avx", "avx2", "fma")


# -- the choice --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "features, expected",
    [(SAPPHIRE_RAPIDS, "bf16"), (ZEN4, "bf16"), (("amx_bf16",), "bf16"), (SKYLAKE_X, "fp32"), (OLD_LAPTOP, "fp32")],
)
def test_auto_is_bf16_only_on_cpus_with_native_bf16(features, expected):
    assert choose_precision("auto", "cpu", features) == (expected, "")
    assert choose_precision(None, "cpu", features) == (expected, "")  # no choice = auto


def test_auto_on_an_unknown_cpu_is_fp32():
    assert choose_precision("auto", "cpu", ()) == ("fp32", "")
    assert "no native bf16" in describe_cpu_bf16(())
    assert describe_cpu_bf16(SAPPHIRE_RAPIDS) == "native bf16 (AVX512-BF16, AMX)"
    assert describe_cpu_bf16(ZEN4) == "native bf16 (AVX512-BF16)"


def test_auto_on_gpus():
    assert choose_precision("auto", "cuda", (), cuda_bf16=True) == ("bf16", "")
    assert choose_precision("auto", "cuda", SAPPHIRE_RAPIDS, cuda_bf16=False) == ("fp32", "")
    assert choose_precision("auto", "mps", SAPPHIRE_RAPIDS) == ("fp32", "")


def test_bf16_asked_on_a_cpu_without_native_bf16_runs_fp32_with_a_warning():
    precision, warning = choose_precision("bf16", "cpu", SKYLAKE_X)
    assert precision == "fp32" and "emulated" in warning and "fp32" in warning
    assert choose_precision("bf16", "cpu", ZEN4) == ("bf16", "")
    assert choose_precision("bf16", "cuda", (), cuda_bf16=False)[0] == "fp32"


@pytest.mark.parametrize("device", ["cpu", "cuda", "mps"])
def test_fp32_is_kept_everywhere_and_other_choices_fall_back(device):
    assert choose_precision("fp32", device, SAPPHIRE_RAPIDS, cuda_bf16=True) == ("fp32", "")
    fp16, warning = choose_precision("fp16", device, SAPPHIRE_RAPIDS, cuda_bf16=True)
    assert (fp16, warning == "") == (("fp16", True) if device == "cuda" else ("fp32", False))
    int8, warning = choose_precision("int8", device, SAPPHIRE_RAPIDS)
    assert (int8, warning == "") == (("int8", True) if device == "cpu" else ("fp32", False))


def test_unknown_precision_names_the_choices():
    with pytest.raises(UserError) as err:
        choose_precision("fp8", "cpu", SAPPHIRE_RAPIDS)
    assert all(p in str(err.value) for p in PRECISIONS)
    assert PRECISION_DEFAULT == PRECISIONS[-1] == "auto"  # appended: saved choices keep their meaning


def test_bf16_on_a_cpu_without_native_bf16_is_said(monkeypatch):
    monkeypatch.setattr(loader_mod, "cpu_bf16_features", lambda: SKYLAKE_X)
    ctx = JobContext()
    model = load_model("terrafm_b_s1", weights={"random_init": True}, device="cpu", precision="bf16", ctx=ctx)
    assert model.precision == "fp32" and model.info()["precision"] == "fp32"
    assert any("emulated" in w for w in ctx.warnings)
    assert not any(isinstance(m, BF16Linear) for m in model.module.modules())
    auto = load_model("terrafm_b_s1", weights={"random_init": True}, device="cpu", precision="auto")
    assert auto.precision == "fp32"


# -- the layers --------------------------------------------------------------------------------------
@needs_native_bf16
def test_patch_linear_equals_the_convolution():
    """oneDNN's AMX bf16 convolution of these shapes was wrong (cpu_bf16): the product must not be."""
    torch.manual_seed(0)
    for channels in (2, 12, 16):
        conv = torch.nn.Conv2d(channels, 96, 16, stride=16)
        x = torch.rand(2, channels, 224, 224)
        want = conv(x)
        use_bf16_layers(conv)
        assert type(conv) is PatchLinear
        with torch.inference_mode():
            got = conv(x).float()
        cos = F.cosine_similarity(got.flatten(1), want.flatten(1), dim=1)
        assert cos.min() > 0.9999, channels


# -- the bound, every model ------------------------------------------------------------------------
def sensor_chips(sensor):
    """Two chips of `sensor`: the reference tests' input and a window of a textured generated raster
    (the shipped sample, scripts/make_sample.py; a DEM: generated terrain)."""
    if sensor == "S2":
        with rasterio.open(S2) as ds:
            window = ds.read(window=Window(40, 30, 224, 224)).astype(np.float32)
        return np.stack([realistic_s2_chips(1, 224, seed=31)[0], window])
    if sensor == "S1":
        with rasterio.open(S1) as ds:
            window = ds.read(window=Window(40, 30, 224, 224)).astype(np.float32)
        return np.stack([s1_chips(1, 224, 224, seed=5)[0], window])
    rng = np.random.default_rng(3)
    y, x = np.mgrid[0:224, 0:224] / 224.0
    hills = 400 + 300 * np.sin(5 * y + 1) * np.cos(3 * x) + 150 * y
    return np.stack([hills, hills[::-1] * 1.5]).astype(np.float32)[:, None] + rng.normal(0, 3, (2, 1, 224, 224))


def model_chips(model_id):
    spec = get_model_spec(model_id)
    return np.concatenate([sensor_chips(s) for s in spec.sensors], axis=1).astype(np.float32)


def same_weights(model_id, precision):
    """`model_id` with random weights that are the same in every call (TerraFM: its seed; TerraMind:
    terratorch's initialisation from torch's seeded generator)."""
    torch.manual_seed(11)
    return load_model(model_id, weights={"random_init": True, "seed": 11}, device="cpu", precision=precision)


@needs_native_bf16
@pytest.mark.parametrize("model_id", list(MODELS))
def test_bf16_is_within_the_bound_of_fp32(model_id):
    raw = model_chips(model_id)
    p32, g32 = same_weights(model_id, "fp32").embed(raw)
    bf16 = same_weights(model_id, "auto")
    assert bf16.precision == "bf16"
    assert any(isinstance(m, BF16Linear) for m in bf16.module.modules())
    p16, g16 = bf16.embed(raw)
    assert p16.dtype == g16.dtype == np.float32 and g16.shape == g32.shape
    pooled, cells = cosine_rows(p16, p32), cell_cosines(g16, g32)
    print("%s bf16 vs fp32: pooled min %.6f, grid cells min %.6f" % (model_id, pooled.min(), cells.min()))
    assert pooled.min() >= BF16_MIN_COSINE
    assert cells.min() >= BF16_MIN_COSINE


# -- downstream --------------------------------------------------------------------------------------
SPECTRA = np.array(  # B1..B12 (no B10) of vegetation, bare soil, water, built-up
    [
        [300, 400, 700, 450, 1200, 2800, 3300, 3500, 3600, 3700, 1900, 900],
        [1200, 1400, 1800, 2200, 2500, 2700, 2900, 3000, 3100, 3100, 3600, 3000],
        [600, 700, 600, 400, 300, 250, 230, 200, 190, 180, 120, 90],
        [1500, 1600, 1700, 1800, 1900, 2000, 2100, 2200, 2250, 2300, 2500, 2300],
    ],
    dtype=np.float32,
)


def planted_s2(path, side=448, seed=4):
    """A Sentinel-2 raster of Voronoi regions of the four SPECTRA with texture: (path, labels per
    16x16 cell (the majority class))."""
    rng = np.random.default_rng(seed)
    labels = voronoi_labels(len(SPECTRA), side // 16, side // 16, seed=seed) - 1
    pixels = np.kron(labels, np.ones((16, 16), np.int32))
    data = SPECTRA[pixels].transpose(2, 0, 1) * (1 + 0.05 * rng.standard_normal((12, side, side)))
    write_raster(path, data.astype(np.float32), nodata=None)
    return path, labels


def embed_grid(path, out, precision):
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": str(path)},
        "model": "terrafm_b_s2",
        "weights": {"random_init": True, "seed": 11},
        "prep": "tile",
        "precision": precision,
        "outputs": {"grid": str(out), "pca": None},
    }
    result = run_job(job, JobContext())
    with rasterio.open(out) as ds:
        assert ds.tags()["TERRAEMBED_PRECISION"] == result["precision"]
    return result


def best_match_agreement(a, b):
    """Share of cells on which two labelings agree, cluster ids matched greedily by overlap."""
    agree = 0
    pairs = sorted(((np.sum((a == i) & (b == j)), i, j) for i in np.unique(a) for j in np.unique(b)), reverse=True)
    used_a, used_b = set(), set()
    for count, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i), used_b.add(j)
            agree += count
    return agree / a.size


@needs_native_bf16
def test_clusters_and_few_shot_classes_are_unchanged(tmp_path):
    path, labels = planted_s2(tmp_path / "planted.tif")
    classes, clusters = {}, {}
    for precision in ("fp32", "auto"):
        grid = tmp_path / ("grid_%s.tif" % precision)
        assert embed_grid(path, grid, precision)["precision"] == ("fp32" if precision == "fp32" else "bf16")
        out = tmp_path / ("cluster_%s.tif" % precision)
        run_job({"type": "cluster", "input": str(grid), "output": str(out), "k": 4, "seed": 0}, JobContext())
        with rasterio.open(out) as ds:
            clusters[precision] = ds.read(1)
        with rasterio.open(grid) as ds:
            transform = ds.transform
        rng = np.random.default_rng(0)
        training = []
        for code in range(len(SPECTRA)):
            rows, cols = np.nonzero(labels == code)
            for i in rng.choice(len(rows), 3, replace=False):
                x, y = transform * (cols[i] + 0.5, rows[i] + 0.5)
                training.append({"wkt": "POINT (%r %r)" % (float(x), float(y)), "label": "class%d" % code})
        out = tmp_path / ("classes_%s.tif" % precision)
        run_job(
            {"type": "classify", "input": str(grid), "output": str(out), "labels": training, "seed": 0}, JobContext()
        )
        with rasterio.open(out) as ds:
            classes[precision] = ds.read(1)
    changed_clusters = 1 - best_match_agreement(clusters["fp32"], clusters["auto"])
    changed_classes = np.mean(classes["fp32"] != classes["auto"])
    print(
        "bf16 vs fp32: %.2f %% of cells change cluster, %.2f %% change class"
        % (100 * changed_clusters, 100 * changed_classes)
    )
    assert changed_clusters <= BF16_MAX_CHANGED_SHARE
    assert changed_classes <= BF16_MAX_CHANGED_SHARE
    assert best_match_agreement(classes["fp32"], labels) > 0.9  # the structure is there to be kept
