"""The jobs' contracts (shared/contract.py, shared/jobs/): each job's keys, types and defaults written once,
read the same way by the worker, shown the same way in docs/JOBS.md."""

import dataclasses
import os
import subprocess
import sys

import pytest

from terraembed.shared import catalogue
from terraembed.shared.contract import Contract
from terraembed.shared.errors import UserError
from terraembed.shared.jobs import CONTRACTS
from terraembed.shared.jobs.analysis import ChangeSeriesJob, ClusterJob, SimilarityJob
from terraembed.shared.jobs.classify import ClassifyJob, CompareJob
from terraembed.shared.jobs.embedding import BuildSeriesJob, EmbedJob, ModelJob, RasterInput, SeriesJob, Weights
from terraembed.shared.jobs.sources import AlphaEarthFetchJob, AlphaEarthSource, EarthEngineRequest, ImagerySource

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def required(contract):
    """The smallest job of a contract: every required key given (paths: a name; other keys: their example)."""
    return {
        key["name"]: "/data/%s.tif" % key["name"] if key["example"] is None else key["example"]
        for key in contract.keys()
        if key["default"] == "required"
    }


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_a_job_with_only_its_required_keys_reads_to_the_defaults(job_type):
    contract = CONTRACTS[job_type]
    assert contract.TYPE == job_type and issubclass(contract, Contract)
    values = contract.read(dict(required(contract), type=job_type))
    for key in contract.keys():
        if key["default"] != "required":
            assert getattr(values, key["name"]) == contract.default(key["name"]), key["name"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        values.input = "elsewhere"  # a job's values do not change while it runs


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_every_key_says_what_it_is(job_type):
    for key in CONTRACTS[job_type].keys():
        assert key["doc"] and key["kind"], key


def test_values_are_read_and_checked_with_the_keys_words():
    job = {"input": "a.tif", "output": "b.tif", "k": "12", "k_range": [3, 5], "seed": 7}
    cluster = ClusterJob.read(job)
    assert (cluster.k, cluster.k_range, cluster.seed, cluster.sample) == (12, (3, 5), 7, 100_000)
    assert ClusterJob.read(dict(job, k="auto")).k is None and ClusterJob.read(dict(job, k=None)).k is None
    with pytest.raises(UserError, match=r"The job's 'k' must be between 0 and 255 \(0 = automatic\), got 300"):
        ClusterJob.read(dict(job, k=300))
    with pytest.raises(UserError, match="The job needs 'output': a file path"):
        ClusterJob.read({"input": "a.tif"})
    with pytest.raises(KeyError):
        ClusterJob.default("input")  # required: no default


def test_the_job_keys_page_is_written_from_the_contracts():
    check = subprocess.run(
        [sys.executable, os.path.join(ROOT, "scripts", "jobs_doc.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_a_nested_dict_is_read_with_its_own_contract_and_named_from_the_top():
    embed = EmbedJob.read({"model": "m", "outputs": {"pca": "p.tif", "pca_components": "5"}, "weights": None})
    assert embed.outputs.pca_components == 5 and embed.outputs.grid is None and embed.weights == Weights()
    assert isinstance(embed.source, RasterInput) and embed.source.scale == 1.0  # no source: a raster's defaults
    with pytest.raises(UserError, match=r"The job's 'outputs.pca_components' must be between 1 and 64, got 0"):
        EmbedJob.read({"model": "m", "outputs": {"pca_components": 0}})
    with pytest.raises(UserError, match=r"The job's 'outputs' must be an object of keys"):
        EmbedJob.read({"model": "m", "outputs": "grid.tif"})
    with pytest.raises(UserError, match=r"Unknown weights option\(s\) colour"):
        EmbedJob.read({"model": "m", "weights": {"colour": 1}})


def test_a_source_is_read_by_its_kind():
    job = {"model": "m", "source": {"kind": "earthengine", "scale": "20", "s1_orbit": "both", "cloud_mask": "SCL"}}
    source = EmbedJob.read(job).source
    assert isinstance(source, ImagerySource) and (source.scale, source.s1_orbit, source.cloud_mask) == (
        20.0,
        "any",
        "scl",
    )
    assert source.max_cloud == catalogue.DEFAULT_MAX_CLOUD and source.start == catalogue.DEFAULT_START
    with pytest.raises(UserError, match=r"The job's 'source.max_cloud' must be between 0 and 100, got 120"):
        EmbedJob.read({"model": "m", "source": {"kind": "earthengine", "max_cloud": 120}})
    with pytest.raises(UserError, match=r"The job's 'source.scale' must be between 1e-06"):
        EmbedJob.read({"model": "m", "source": {"path": "x.tif", "scale": -1}})  # a raster's scale: a factor
    with pytest.raises(UserError, match=r"Unknown source kind 'ftp'"):
        EmbedJob.read({"model": "m", "source": {"kind": "ftp"}})
    with pytest.raises(UserError, match=r"The AlphaEarth year \('source.year'\) must be between 2017"):
        AlphaEarthFetchJob.read({"output": "y.tif", "source": {"year": 2000}})


def test_nested_keys_are_listed_after_their_dict():
    names = [key["name"] for key in EmbedJob.all_keys()]
    assert names.index("outputs") < names.index("outputs.pca_components") < names.index("tags")
    cases = {key["case"] for key in EmbedJob.all_keys() if key["name"] == "source.scale"}
    assert cases == {"raster", "earthengine"}  # one key name, two kinds of source, each its own range


def test_series_periods_are_parsed_and_checked():
    series = SeriesJob.read({"series": "s.vrt", "periods": "2019..2021", "job": {"type": "ee_fetch"}})
    assert [p.label for p in series.periods] == ["2019", "2020", "2021"] and series.if_no_imagery == "stop"
    assert BuildSeriesJob.read({"series": "s.vrt", "periods": " "}).periods is None  # the rasters' own dates
    with pytest.raises(UserError, match="needs a label, a start and an end"):
        SeriesJob.read({"series": "s.vrt", "periods": [{"label": "a"}]})


def test_a_required_key_that_is_no_path_gives_a_valid_example():
    for contract in CONTRACTS.values():
        for key in contract.keys():
            if key["example"] is not None:
                assert key["default"] == "required", key
                assert getattr(contract.read(required(contract)), key["name"]) is not None, key


def test_the_analysis_jobs_read_their_lists_and_examples_with_the_keys_words():
    job = {"input": "a.tif", "output": "b.tif", "reference": {"vectors": [[1.0, 0.0]]}}
    similarity = SimilarityJob.read(dict(job, negatives={"geometries": ["POINT (1 1)"]}, threshold="1.5"))
    assert similarity.reference == ("vectors", [[1.0, 0.0]]) and similarity.negatives[0] == "geometries"
    assert similarity.threshold == 1.5  # with negatives: -2..2
    with pytest.raises(UserError, match=r"'threshold' \(without negatives\) must be between -1 and 1, got 1.5"):
        SimilarityJob.read(dict(job, threshold=1.5))
    with pytest.raises(UserError, match="'reference' must be"):
        SimilarityJob.read(dict(job, reference={"geometries": [], "vectors": []}))
    labels = [{"wkt": "POINT (0 0)", "label": " water "}, {"wkt": "POINT (1 1)", "label": 3}]
    classify = ClassifyJob.read({"input": "a.tif", "output": "b.tif", "labels": labels, "method": "KNN"})
    assert classify.labels == [("POINT (0 0)", "water"), ("POINT (1 1)", "3")] and classify.method == "knn"
    with pytest.raises(UserError, match="Label 2 has an empty class name"):
        ClassifyJob.read({"input": "a.tif", "output": "b.tif", "labels": [labels[0], dict(labels[1], label=" ")]})
    compare = {"rasters": ["a.tif", "b.tif"], "output": "t.csv", "labels": labels}
    assert CompareJob.read(dict(compare, names=["A", None])).names == ["A", None]
    with pytest.raises(UserError, match=r"'names' must be a list of one name per raster \(2\)"):
        CompareJob.read(dict(compare, names=["A"]))
    with pytest.raises(UserError, match="Compare embeddings needs 'rasters'"):
        CompareJob.read(dict(compare, rasters=["a.tif"]))
    series = ChangeSeriesJob.read(
        {"inputs": ["a.tif", "b.tif"], "output": "c.tif", "features": [{"wkt": "POINT (0 0)"}]}
    )
    assert series.features == [("POINT (0 0)", "feature 1")] and series.change_step == catalogue.DEFAULT_CHANGE_STEP
    with pytest.raises(UserError, match="'features' must be a list of"):
        ChangeSeriesJob.read({"inputs": ["a.tif", "b.tif"], "output": "c.tif", "features": ["POINT (0 0)"]})


def _with_nested(contract):
    """The contract and every contract nested in it (a source of each kind, the outputs, the weights)."""
    found = [contract]
    for key in contract.keys():
        for _, inner in key["nested"]:
            found += _with_nested(inner)
    return found


@pytest.mark.parametrize("job_type", sorted(CONTRACTS))
def test_run_options_are_keys_of_their_contract(job_type):
    for contract in _with_nested(CONTRACTS[job_type]):
        names = {key["name"] for key in contract.keys()}
        assert set(contract.run_options()) <= names, contract.__name__


def test_run_options_are_a_contracts_own_and_its_bases_and_a_typo_is_refused():
    assert set(ModelJob.run_options()) < set(EmbedJob.run_options())  # the model's, then the embed job's own
    assert {"device", "outputs", "work_dir"} <= set(EmbedJob.run_options()) and "model" not in EmbedJob.run_options()
    assert set(EarthEngineRequest.run_options()) < set(AlphaEarthSource.run_options())
    assert "year" not in AlphaEarthSource.run_options() and "start" not in ImagerySource.run_options()

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Misspelt(EmbedJob):
        RUN_OPTIONS = ("devise",)

    with pytest.raises(KeyError, match="devise"):
        Misspelt.run_options()
