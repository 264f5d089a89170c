"""Model registry and band matching."""

import ast
import dataclasses
import os
import subprocess
import sys

import pytest

from terraembed.models.registry import MODELS, ModelSpec, get_model_spec
from terraembed.shared import catalogue as bands_mod
from terraembed.shared.catalogue import BAND_ALIASES, canonical_band, match_bands
from terraembed.shared.errors import UserError

S2 = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12")


def test_model_ids_and_fields():
    # the MODEL enum's order: existing indices stay, new models are appended
    sizes = ["tiny", "small", "base", "large"]
    assert list(MODELS) == (
        [
            "terrafm_b_s2",
            "terrafm_b_s1",
            "terramind_v1_tiny",
            "terramind_v1_small",
            "terramind_v1_base",
            "terramind_v1_large",
            "terrafm_l_s2",
            "terrafm_l_s1",
        ]
        + ["terramind_v1_%s_%s" % (size, sensors) for sensors in ("s1", "s2_s1", "s2_s1_dem") for size in sizes]
    )
    both = MODELS["terramind_v1_base_s2_s1_dem"]
    assert both.sensors == ("S2", "S1", "DEM") and both.bands == S2 + ("VV", "VH", "DEM")
    assert both.sensor_slices() == {"S2": slice(0, 12), "S1": slice(12, 14), "DEM": slice(14, 15)}
    assert (both.hf_filename, both.terramind_key, both.dim) == ("TerraMind_v1_base.pt", "terramind_v1_base", 768)
    assert "mean" in both.description and "dB" in both.normalisation
    assert MODELS["terramind_v1_tiny_s1"].bands == ("VV", "VH") and MODELS["terramind_v1_tiny_s1"].modality == "S1"
    large = MODELS["terrafm_l_s2"]
    assert (large.family, large.modality, large.dim, large.default_pooling) == ("terrafm", "S2", 1024, "cls")
    assert MODELS["terrafm_l_s1"].bands == ("VV", "VH") and MODELS["terrafm_l_s1"].dim == 1024
    fm2, fm1 = MODELS["terrafm_b_s2"], MODELS["terrafm_b_s1"]
    assert fm2.bands == S2 and fm1.bands == ("VV", "VH")
    assert (fm2.family, fm2.modality, fm2.dim, fm2.default_pooling) == ("terrafm", "S2", 768, "cls")
    assert fm1.modality == "S1" and fm1.hf_repo == "MBZUAI/TerraFM" and fm1.hf_filename == "TerraFM-B.pth"
    assert fm2.terramind_key is None
    dims = {"tiny": 192, "small": 384, "base": 768, "large": 1024}
    for size, dim in dims.items():
        s = MODELS["terramind_v1_" + size]
        assert s.family == "terramind" and s.dim == dim and s.bands == S2
        assert s.terramind_key == "terramind_v1_" + size and s.default_pooling == "mean"
        assert s.hf_repo == "ibm-esa-geospatial/TerraMind-1.0-" + size
        assert s.hf_filename == "TerraMind_v1_%s.pt" % size
    assert MODELS["terramind_v1_large"].depth == 24
    for s in MODELS.values():
        assert (s.input_size, s.patch_size, s.grid_size) == (224, 16, 14)
        assert s.description and s.normalisation and s.label
    with pytest.raises(dataclasses.FrozenInstanceError):
        fm2.dim = 3
    assert isinstance(fm2, ModelSpec) and fm2.num_channels == 12


def test_get_model_spec():
    assert get_model_spec("terrafm_b_s1") is MODELS["terrafm_b_s1"]
    assert get_model_spec(" TerraMind_v1_Tiny ") is MODELS["terramind_v1_tiny"]
    with pytest.raises(UserError) as e:
        get_model_spec("prithvi")
    for mid in MODELS:
        assert mid in str(e.value)
    assert len(MODELS) == 20 and list(MODELS)[0] == "terrafm_b_s2"


def test_aliases():
    cases = {
        "B01": "B1",
        "b1": "B1",
        "coastal": "B1",
        "COASTAL_AEROSOL": "B1",
        "Blue": "B2",
        "green": "B3",
        "RED": "B4",
        "RED_EDGE_1": "B5",
        "rededge2": "B6",
        "RE3": "B7",
        "nir": "B8",
        "NIR_BROAD": "B8",
        "B08": "B8",
        "B8A": "B8A",
        "b08a": "B8A",
        "NIR_NARROW": "B8A",
        "nir08": "B8A",
        "WATER_VAPOR": "B9",
        "B09": "B9",
        "swir16": "B11",
        "SWIR_1": "B11",
        "swir22": "B12",
        "SWIR_2": "B12",
        "B10": "B10",
        "cirrus": "B10",
        "vv": "VV",
        "VH": "VH",
        "Sigma0_VV": "VV",
        "B4 (red)": "B4",
        "B8A: NIR narrow": "B8A",
        "B 04": "B4",
        "nir-narrow": "B8A",
    }
    for name, want in cases.items():
        assert canonical_band(name) == want, name
    for name in ("Band 1", "", None, "temperature", "B13"):
        assert canonical_band(name) is None
    assert BAND_ALIASES["NIRNARROW"] == "B8A"


def test_match_bands():
    spec = MODELS["terrafm_b_s2"]
    names = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12"]
    assert match_bands(names, spec) == list(range(1, 13))
    # shuffled, other spellings, an extra band (B10) in between
    raster = [
        "swir22",
        "B10",
        "blue",
        "green",
        "red",
        "coastal",
        "rededge1",
        "rededge2",
        "rededge3",
        "nir",
        "nir08",
        "nir09",
        "swir16",
    ]
    assert match_bands(raster, spec) == [6, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 1]
    assert match_bands(names[:-1], spec) is None  # B12 missing
    assert match_bands(["Band 1"] * 12, spec) is None
    assert match_bands(names + ["B02"], spec) is None  # two bands claim B2: ambiguous
    assert match_bands(["VH", "VV"], MODELS["terrafm_b_s1"]) == [2, 1]
    assert match_bands(["VV", "VH", "angle"], ("VV", "VH")) == [1, 2]
    assert match_bands(["VV"], MODELS["terrafm_b_s1"]) is None
    # TerraMind names
    tm = [
        "COASTAL_AEROSOL",
        "BLUE",
        "GREEN",
        "RED",
        "RED_EDGE_1",
        "RED_EDGE_2",
        "RED_EDGE_3",
        "NIR_BROAD",
        "NIR_NARROW",
        "WATER_VAPOR",
        "SWIR_1",
        "SWIR_2",
    ]
    assert match_bands(tm, MODELS["terramind_v1_small"]) == list(range(1, 13))


def test_bands_module_is_stdlib_only():
    tree = ast.parse(open(bands_mod.__file__).read())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "shared/catalogue.py must not import from the package"
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names), imported
    # importable stand-alone by file path (as the QGIS side may do), without numpy or torch
    code = (
        "import importlib.util, sys; s = importlib.util.spec_from_file_location('b', %r); "
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m); "
        "assert m.match_bands(['VV','VH'], ('VV','VH')) == [1, 2]; "
        "assert 'numpy' not in sys.modules and 'torch' not in sys.modules" % bands_mod.__file__
    )
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": os.environ.get("PATH", "")})


def test_registry_imports_no_torch():
    code = (
        "import sys; import terraembed.models.registry as r; assert len(r.MODELS) == 20; "
        "assert 'torch' not in sys.modules and 'terratorch' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=dict(os.environ))
