"""The engine accepts exactly the choices of shared/catalogue.py: every value the shell can send is
handled, and an unknown one is refused with a message listing the catalogue's values (the shell's side of
the same promise is tests/shell/test_catalogue_choices.py; what shared/catalogue.py alone holds,
tests/quick/test_catalogue.py)."""

import pytest
import torch
from pipeline_fakes import random_s2, use_fake_model, write_raster

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.engine.pipeline import common
from terraembed.engine.sources.earthengine import collections as ee_collections
from terraembed.engine.sources.earthengine.request import normalise
from terraembed.models import device as device_mod
from terraembed.models import loader as loader_mod
from terraembed.models.registry import ARCHITECTURES, MODELS
from terraembed.shared import catalogue
from terraembed.shared.errors import UserError

AOI = {"bounds": [500000, 4000000, 500800, 4000600], "crs": "EPSG:32633"}


def listed(message, values):
    """Every value is named in the message, in the catalogue's order."""
    positions = [message.find(str(v)) for v in values]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_the_registry_builds_exactly_the_catalogue_models_in_its_order():
    assert tuple(MODELS) == catalogue.MODEL_IDS and set(ARCHITECTURES) == set(catalogue.MODELS)
    for model_id, model in catalogue.MODELS.items():
        spec = MODELS[model_id]
        assert (spec.label, spec.modality, spec.bands, spec.dim, spec.hf_repo, spec.hf_filename) == (
            model.label,
            model.modality,
            model.bands,
            model.dim,
            model.hf_repo,
            model.hf_filename,
        )


@pytest.fixture
def small_raster(tmp_path):
    return write_raster(tmp_path / "s2.tif", random_s2(40, 40))


@pytest.mark.parametrize("prep", list(catalogue.PREPARATIONS))
@pytest.mark.parametrize("overlap", list(catalogue.TILE_OVERLAPS))
def test_every_preparation_and_overlap_runs(small_raster, tmp_path, monkeypatch, prep, overlap):
    use_fake_model(monkeypatch)
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": small_raster},
        "model": "fake",
        "prep": prep,
        "overlap": overlap,
        "outputs": {"grid": str(tmp_path / "grid.tif")},
    }
    result = run_job(job, JobContext())
    assert result["cells"] > 0


@pytest.mark.parametrize(
    "key,value,values", [("prep", "sliced", catalogue.PREPARATIONS), ("overlap", "10%", catalogue.TILE_OVERLAPS)]
)
def test_an_unknown_preparation_or_overlap_lists_the_catalogue(small_raster, tmp_path, monkeypatch, key, value, values):
    use_fake_model(monkeypatch)
    job = {
        "type": "embed",
        "source": {"kind": "raster", "path": small_raster},
        "model": "fake",
        "outputs": {"grid": str(tmp_path / "grid.tif")},
        key: value,
    }
    with pytest.raises(UserError) as err:
        run_job(job, JobContext())
    assert value in str(err.value) and listed(str(err.value), values)


def test_every_source_kind_is_handled_and_no_other(monkeypatch, small_raster):
    import terraembed.engine.sources.earthengine as ee_source

    monkeypatch.setattr(ee_source, "fetch_composite", lambda source, ctx: ("/fetched.tif", {"images": 1}))
    aoi = {"bounds": [500000, 4000000, 500800, 4000600], "crs": "EPSG:32633"}  # the space check needs a grid
    fetched = {
        kind: common.fetch_source(
            {"source": {"kind": kind, "path": small_raster, "aoi": aoi, "cache_cap_mb": 0}}, JobContext()
        )
        for kind in catalogue.SOURCES
    }
    assert fetched["raster"][0] == small_raster and fetched["earthengine"][0] == "/fetched.tif"
    assert set(fetched) == {"raster", "earthengine"}
    with pytest.raises(UserError) as err:
        common.fetch_source({"source": {"kind": "stac"}}, JobContext())
    assert listed(str(err.value), catalogue.SOURCES)


def test_every_device_resolves_and_no_other():
    for name in catalogue.DEVICES:
        device, message = device_mod.resolve_device(name)
        assert isinstance(device, torch.device)
        assert device.type == name or name == "auto" or (device.type == "cpu" and "running on the CPU" in message)
    with pytest.raises(UserError) as err:
        device_mod.resolve_device("tpu")
    assert listed(str(err.value), catalogue.DEVICES)
    assert set(catalogue.DEVICE_ORDER) == set(catalogue.DEVICES) - {"auto"}
    for name, size in catalogue.DEFAULT_BATCH.items():
        assert device_mod.default_batch_size(name) == size


class BuiltError(Exception):
    """The loader got past its checks to building the network."""


def test_every_precision_and_pooling_is_accepted_by_the_loader(monkeypatch):
    def build(*args, **kwargs):
        raise BuiltError()

    monkeypatch.setattr(loader_mod, "_build_terrafm", build)
    monkeypatch.setattr(loader_mod, "_build_terramind", build)
    for precision in catalogue.PRECISIONS:
        with pytest.raises(BuiltError):
            loader_mod.load_model("terrafm_b_s2", precision=precision, device="cpu")
    with pytest.raises(UserError) as err:
        loader_mod.load_model("terrafm_b_s2", precision="fp8", device="cpu")
    assert listed(str(err.value), catalogue.PRECISIONS)
    # "model default" is the job's None; every other pooling is one that some model family takes
    for pooling in catalogue.POOLINGS:
        value = None if pooling == catalogue.POOLING_DEFAULT else pooling
        accepted = []
        for model_id in ("terrafm_b_s2", "terramind_v1_tiny"):
            try:
                loader_mod.load_model(model_id, pooling=value, device="cpu")
            except BuiltError:
                accepted.append(model_id)
            except UserError:
                pass
        assert accepted, pooling


def test_earth_engine_takes_every_collection_cloud_mask_and_orbit_and_no_other():
    assert set(ee_collections.COLLECTIONS) == set(catalogue.COLLECTIONS)
    for key in catalogue.COLLECTIONS:
        assert normalise({"aoi": AOI, "collection": key})["bands"] == list(catalogue.SENSOR_BANDS[key])
    for mask in catalogue.CLOUD_MASKS:
        assert normalise({"aoi": AOI, "cloud_mask": mask})["filters"]["cloud_mask"] == mask
    with pytest.raises(UserError) as err:
        normalise({"aoi": AOI, "cloud_mask": "fmask"})
    assert listed(str(err.value), catalogue.CLOUD_MASKS)
    for orbit in catalogue.ORBITS:
        chosen = normalise({"aoi": AOI, "collection": "S1", "s1_orbit": orbit})["filters"]["orbit"]
        assert chosen == (None if orbit == catalogue.ORBIT_ANY else orbit)
    with pytest.raises(UserError) as err:
        normalise({"aoi": AOI, "collection": "S1", "s1_orbit": "north"})
    assert listed(str(err.value), [o for o in catalogue.ORBITS if o != catalogue.ORBIT_ANY])
    request = normalise({"aoi": AOI})
    assert (request["start"], request["end"]) == (catalogue.DEFAULT_START, catalogue.DEFAULT_END)


def test_the_imagery_cache_cap_is_the_catalogue_default():
    from terraembed.engine.sources.cache import ImageryCache
    from terraembed.shared.jobs.sources import EarthEngineRequest

    assert EarthEngineRequest.default("cache_cap_mb") == catalogue.IMAGERY_CACHE_CAP_MB
    assert ImageryCache.__init__.__defaults__[-1] == catalogue.IMAGERY_CACHE_CAP_MB


def test_every_job_type_the_worker_runs_has_its_contract():
    """One contract per job (shared/jobs/): the worker's job types and the contracts are the same set, so a
    new job cannot run without its keys, defaults and docs written once."""
    from terraembed.engine.jobs import HANDLER_MODULES
    from terraembed.shared.jobs import CONTRACTS

    assert set(HANDLER_MODULES) == set(CONTRACTS)
