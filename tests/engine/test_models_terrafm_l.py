"""TerraFM-L (S2 and S1): one forward against the independent reference, strict loading from a local
file and from a pre-filled Hugging Face cache (HF_HUB_OFFLINE=1), a TerraFM-B file refused, and the
real huggingface_hub against a loopback fake hub that lacks the inferred file name TerraFM-L.pth.

The generated TerraFM-L file is 1.4 GB: it is written once for this module."""

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
import weights_factory
from conftest import realistic_s2_chips
from hf_server import FakeHub
from test_models_terrafm import PKG_PATH, assert_equivalent, reference_forward

from terraembed.models.loader import load_model
from terraembed.models.weights import load_state_dict_file
from terraembed.shared.errors import UserError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def large_weights(tmp_path_factory):
    path = tmp_path_factory.mktemp("terrafm-l") / "TerraFM-L.pth"
    return weights_factory.make_terrafm_weights(path, seed=3, model_id="terrafm_l_s2")


@pytest.fixture(scope="module")
def large_state(large_weights):
    return load_state_dict_file(large_weights)


def clean_env(**extra):
    """The environment of a fresh worker: no HF_* variable of this process (huggingface_hub reads them
    when it is imported), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(PYTHONPATH=PKG_PATH, **extra)
    return env


def test_s2_large_matches_reference(large_weights, large_state):
    model = load_model("terrafm_l_s2", weights={"path": large_weights}, device="cpu")
    raw = realistic_s2_chips(1, 224, seed=5)
    pooled, grid = model.embed(raw)
    assert pooled.shape == (1, 1024) and grid.shape == (1, 1024, 14, 14)
    # 12 channels -> the L1C branch, as for TerraFM-B
    assert_equivalent((pooled, grid), reference_forward(large_state, np.clip(raw / 10000.0, 0, 1), "l1c"))
    assert "TerraFM-L" in model.weights_description and large_weights in model.weights_description


_CHILD = """
import json, sys
from terraembed.models.loader import load_model
m = load_model(sys.argv[1])
net = m.module.net
print(json.dumps({"desc": m.weights_description, "dim": m.spec.dim,
                  "s1": float(net.patch_embed.conv2d_s1.weight.double().sum()),
                  "last": float(net.blocks[-1].mlp.fc2.weight.double().sum())}))
"""


def test_s1_large_from_prefilled_hf_cache_offline(tmp_path, large_weights, large_state):
    """A fresh process, as the worker starts, with only HF_HUB_CACHE and HF_HUB_OFFLINE=1 pointing at
    the cache: the S1 model loads the cached TerraFM-L.pth strictly (checked by two tensor sums)."""
    cache = tmp_path / "hub-cache"
    weights_factory.make_hf_cache(cache, "MBZUAI/TerraFM", "TerraFM-L.pth", large_weights)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, "terrafm_l_s1"],
        capture_output=True,
        text=True,
        env=clean_env(HF_HUB_OFFLINE="1", HF_HUB_CACHE=str(cache)),
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert str(cache) in result["desc"] and "MBZUAI/TerraFM/TerraFM-L.pth" in result["desc"]
    assert result["dim"] == 1024
    assert result["s1"] == pytest.approx(float(large_state["patch_embed.conv2d_s1.weight"].double().sum()))
    assert result["last"] == pytest.approx(float(large_state["blocks.23.mlp.fc2.weight"].double().sum()))


def test_base_file_for_large_model_is_refused(terrafm_weights):
    """The user points TerraFM-L at TerraFM-B.pth: the message names the shapes and the missing blocks."""
    with pytest.raises(UserError) as e:
        load_model("terrafm_l_s2", weights={"path": terrafm_weights})
    msg = str(e.value)
    assert "wrong shapes: blocks.0.attn.proj.bias [768] (expected [1024])" in msg
    assert "missing keys: blocks.12." in msg and "(144 in all)" in msg and terrafm_weights in msg


HUB_FILES = {
    ".gitattributes": 1519,
    "README.md": 4100,
    "TerraFM-B.pth": 451_900_000,
    "TerraFM-Large.pth": 1_380_100_000,
}


def run_against_hub(tmp_path, hub, **env):
    """The embed job of TerraFM-L (no weights) in a real worker against the loopback `hub`: its user
    message; nothing may be written."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": os.path.join(REPO, "sample", "s2_sample.tif")},
        "model": "terrafm_l_s2",
        "prep": "resize",
        "device": "cpu",
        "weights": {},
        "outputs": {"grid": str(out_dir / "grid.tif")},
        "work_dir": str(tmp_path),
    }
    (tmp_path / "job.json").write_text(json.dumps(job))
    env = clean_env(HF_ENDPOINT=hub.endpoint, HF_HUB_CACHE=str(tmp_path / "cache"), **env)
    command = [sys.executable, "-m", "terraembed.engine", "--job", str(tmp_path / "job.json")]
    proc = subprocess.run(
        command + ["--result", str(tmp_path / "result.json")], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    outcome = json.loads((tmp_path / "result.json").read_text())
    assert outcome["kind"] == "user"
    assert os.listdir(out_dir) == []
    return outcome["message"]


def test_hub_without_the_file_lists_the_repository(tmp_path):
    """The real worker and the real huggingface_hub against a loopback hub whose MBZUAI/TerraFM has no
    TerraFM-L.pth: the job fails with the repository's file list, and leaves no output behind."""
    with FakeHub({"MBZUAI/TerraFM": HUB_FILES}) as hub:
        msg = run_against_hub(tmp_path, hub)
    assert "MBZUAI/TerraFM has no file TerraFM-L.pth" in msg
    assert "it has: .gitattributes, README.md, TerraFM-B.pth, TerraFM-Large.pth" in msg
    assert "local weights file for model 'terrafm_l_s2'" in msg
    assert ("HEAD", "/MBZUAI/TerraFM/resolve/main/TerraFM-L.pth") in hub.requests
    assert ("GET", "/api/models/MBZUAI/TerraFM/tree/main") in hub.requests


def test_hub_whose_listing_never_answers_is_waited_for_a_bounded_time(tmp_path):
    """huggingface_hub's file listing has no timeout: a hub that never answers it is given
    HF_HUB_ETAG_TIMEOUT (here 2 s), and the message still says what is missing."""
    with FakeHub({"MBZUAI/TerraFM": HUB_FILES}, silent_listing=True) as hub:
        started = time.monotonic()
        msg = run_against_hub(tmp_path, hub, HF_HUB_ETAG_TIMEOUT="2")
        seconds = time.monotonic() - started
    assert "MBZUAI/TerraFM has no file TerraFM-L.pth" in msg
    assert "its file list could not be read either (the hub did not answer within 2 s)" in msg
    assert ("GET", "/api/models/MBZUAI/TerraFM/tree/main") in hub.requests
    assert seconds < 60, seconds  # the worker's start and imports included; no listing deadline: forever
