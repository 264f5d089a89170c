"""A classifier to reuse: Few-shot classification saves it (JSON, no pickle, a SHA-256 over its content),
Apply classifier maps another raster of the same model with it, and refuses what it cannot classify."""

import json
import os

import numpy as np
import pytest
import rasterio
import synthetic

from terraembed.engine.context import JobContext
from terraembed.engine.jobs import run_job
from terraembed.shared.errors import UserError

H, W, D = 40, 50, 24
NAMES = {1: "water", 2: "forest", 3: "urban"}
MODEL = {"TERRAEMBED_MODEL": "terrafm_b", "TERRAEMBED_MODALITY": "S2L2A", "TERRAEMBED_DIM": str(D)}


def _planted(path, seed, centres=None, bands=D, tags=MODEL):
    """Planted classes (Voronoi regions of `seed`) on the class centres of `centres` (new ones when None)."""
    labels = synthetic.voronoi_labels(3, H, W, seed=seed)
    data, centres = synthetic.embed_labels(labels, bands=bands, noise=0.8, seed=seed, centres=centres)
    data, invalid = synthetic.punch_nodata(data, seed=seed)
    synthetic.write_raster(path, data)
    with rasterio.open(path, "r+") as ds:
        ds.update_tags(**tags)
    return str(path), labels, invalid, centres


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A classifier fitted on one planted raster, with the class raster fitted in place."""
    tmp = tmp_path_factory.mktemp("fitted")
    path, labels, invalid, centres = _planted(tmp / "train.tif", seed=1)
    items = synthetic.point_labels(labels, invalid, NAMES, 5, 0)
    spec = {
        "type": "classify",
        "input": path,
        "labels": items,
        "output": str(tmp / "in_place.tif"),
        "probabilities_output": str(tmp / "in_place_prob.tif"),
        "classifier_output": str(tmp / "water_forest.json"),
    }
    result = run_job(spec, JobContext())
    assert result["classifier"] == spec["classifier_output"]
    return {"raster": path, "classifier": spec["classifier_output"], "centres": centres, "tmp": tmp, **spec}


def _apply(raster, classifier, out, **kw):
    spec = {"type": "apply_classifier", "input": str(raster), "classifier": str(classifier), "output": str(out)}
    spec.update(kw)
    ctx = JobContext()
    return run_job(spec, ctx), ctx


def _read(path, band=None):
    with rasterio.open(path) as ds:
        return ds.read() if band is None else ds.read(band)


def test_the_file_is_plain_json_with_what_it_was_fitted_on(fitted):
    with open(fitted["classifier"], encoding="utf-8") as f:
        body = json.load(f)
    assert body["format"] == "terraembed-classifier" and body["method"] == "logistic"
    assert body["classes"] == ["water", "forest", "urban"]
    facts = body["embeddings"]
    assert facts["model"] == "terrafm_b" and facts["modality"] == "S2L2A" and facts["dimensions"] == D
    assert facts["cell_size"] == [10.0, 10.0] and facts["width"] == W and facts["height"] == H
    assert len(body["scaler"]["mean"]) == D and np.shape(body["logistic"]["coef"]) == (3, D)
    assert len(body["sha256"]) == 64 and body["terraembed_version"] not in ("", None)


def test_applied_on_the_training_raster_equals_the_classifier_fitted_in_place(fitted, tmp_path):
    result, _ = _apply(
        fitted["raster"],
        fitted["classifier"],
        tmp_path / "applied.tif",
        probabilities_output=str(tmp_path / "prob.tif"),
        uncertainty_output=str(tmp_path / "unsure.tif"),
    )
    np.testing.assert_array_equal(_read(tmp_path / "applied.tif"), _read(fitted["output"]))
    np.testing.assert_allclose(_read(tmp_path / "prob.tif"), _read(fitted["probabilities_output"]), atol=1e-6)
    with rasterio.open(tmp_path / "applied.tif") as ds:
        assert json.loads(ds.tags()["TERRAEMBED_CLASSES"])[1] == "forest" and ds.nodata == 0
    assert result["classes"] == ["water", "forest", "urban"]
    assert result["classifier"]["embeddings"]["model"] == "terrafm_b"
    prob = _read(tmp_path / "prob.tif")
    np.testing.assert_allclose(_read(tmp_path / "unsure.tif", 1), 1 - np.max(prob, axis=0), atol=1e-6)
    with rasterio.open(tmp_path / "unsure.tif") as ds:  # tagged as the class raster is: the classifier applied
        tags = ds.tags()
    assert tags["TERRAEMBED_CLASSIFIER"] == str(fitted["classifier"]) and tags["TERRAEMBED_METHOD"] == "logistic"
    assert tags["TERRAEMBED_SOURCE"] == str(fitted["raster"]) and json.loads(tags["TERRAEMBED_CLASSES"])[2] == "urban"
    assert json.loads(tags["TERRAEMBED_MEASURES"]) == ["uncertainty", "margin"]


def test_applied_on_another_area_of_the_same_model_finds_its_planted_classes(fitted, tmp_path):
    path, labels, invalid, _ = _planted(tmp_path / "other.tif", seed=9, centres=fitted["centres"])
    result, ctx = _apply(path, fitted["classifier"], tmp_path / "other_classes.tif", block_size=7)
    classes = _read(tmp_path / "other_classes.tif", 1)
    assert (classes[invalid] == 0).all()
    assert (classes[~invalid] == labels[~invalid]).mean() > 0.97  # codes follow the classifier's class order
    assert sum(result["predicted_cells"].values()) == (~invalid).sum()
    assert not ctx.warnings


@pytest.mark.parametrize(
    "bands, tags, message",
    [
        (16, MODEL, "it has 16 bands, the classifier's embeddings 24 dimensions"),
        (D, dict(MODEL, TERRAEMBED_MODEL="terramind_v1_base"), "the model terramind_v1_base, the classifier was"),
        (D, dict(MODEL, TERRAEMBED_MODALITY="S1GRD"), "of S1GRD imagery, the classifier's of S2L2A"),
    ],
)
def test_a_raster_of_other_embeddings_is_refused_with_the_reason(fitted, tmp_path, bands, tags, message):
    path, *_ = _planted(tmp_path / "other.tif", seed=2, bands=bands, tags=tags)
    with pytest.raises(UserError, match=message) as err:
        _apply(path, fitted["classifier"], tmp_path / "out.tif", probabilities_output=str(tmp_path / "p.tif"))
    assert "terrafm_b (S2L2A) 24-d" in str(err.value)
    assert sorted(os.listdir(tmp_path)) == ["other.tif"]


def test_a_raster_without_a_model_tag_is_classified_with_a_warning(fitted, tmp_path):
    path, *_ = _planted(tmp_path / "untagged.tif", seed=2, tags={"note": "another maker"})
    _, ctx = _apply(path, fitted["classifier"], tmp_path / "out.tif")
    assert any("cannot be checked" in w for w in ctx.warnings)


def _edited(fitted, tmp_path, change):
    with open(fitted["classifier"], encoding="utf-8") as f:
        body = json.load(f)
    change(body)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b["logistic"]["intercept"].__setitem__(0, b["logistic"]["intercept"][0] + 1.0),
        lambda b: b["classes"].__setitem__(1, "grassland"),
        lambda b: b["embeddings"].__setitem__("model", "terramind_v1_base"),
    ],
)
def test_an_edited_classifier_is_refused(fitted, tmp_path, change):
    edited = _edited(fitted, tmp_path, change)
    with pytest.raises(UserError, match="was changed after it was saved"):
        _apply(fitted["raster"], edited, tmp_path / "out.tif")
    assert not (tmp_path / "out.tif").exists()


def test_the_same_content_rewritten_is_accepted(fitted, tmp_path):
    """The hash is over the content, not the bytes: the file re-indented by an editor still loads."""
    path = _edited(fitted, tmp_path, lambda b: None)
    _apply(fitted["raster"], path, tmp_path / "out.tif")
    np.testing.assert_array_equal(_read(tmp_path / "out.tif"), _read(fitted["output"]))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not json at all", "not JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not JSON"),
        (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "no \"format\""),
        (json.dumps([1, 2, 3]).encode(), "no \"format\""),
    ],
)
def test_a_file_that_is_not_a_classifier_is_refused(fitted, tmp_path, content, message):
    path = tmp_path / "labels.json"
    path.write_bytes(content)
    with pytest.raises(UserError, match="is not a TerraEmbed classifier") as err:
        _apply(fitted["raster"], path, tmp_path / "out.tif")
    assert message in str(err.value)
    with pytest.raises(UserError, match="does not exist"):
        _apply(fitted["raster"], tmp_path / "missing.json", tmp_path / "out.tif")


def test_knn_cannot_be_saved_and_nothing_is_written(fitted, tmp_path):
    spec = {k: fitted[k] for k in ("type", "input", "labels")}
    spec.update(output=str(tmp_path / "c.tif"), classifier_output=str(tmp_path / "knn.json"), method="knn")
    with pytest.raises(UserError, match="Only a logistic regression classifier can be saved"):
        run_job(spec, JobContext())
    assert os.listdir(tmp_path) == []


def test_the_classifier_file_is_not_overwritten_by_an_output(fitted, tmp_path):
    with pytest.raises(UserError, match="also an input"):
        _apply(fitted["raster"], fitted["classifier"], tmp_path / "c.tif", probabilities_output=fitted["classifier"])


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda b: b["logistic"]["coef"].pop(), "do not fit 3 classes of 24 dimensions"),
        (lambda b: b["scaler"]["scale"].__setitem__(3, 0.0), "do not fit 3 classes"),
        (lambda b: b.__setitem__("classes", "abc"), "classes or the facts of its embeddings"),
        (lambda b: b["embeddings"].__setitem__("cell_size", "10 m"), "missing or malformed"),
        (lambda b: b.pop("scaler"), "missing or malformed"),
    ],
)
def test_a_malformed_classifier_with_a_matching_hash_is_refused(fitted, tmp_path, change, message):
    """The hash only says the content is what was written: the parts are checked as well."""
    from terraembed.engine.analysis import classifier_file

    def rewrite(body):
        change(body)
        body["sha256"] = classifier_file.digest(body)

    with pytest.raises(UserError, match="is not a TerraEmbed classifier") as err:
        _apply(fitted["raster"], _edited(fitted, tmp_path, rewrite), tmp_path / "out.tif")
    assert message in str(err.value)


def test_nan_in_a_classifier_file_is_refused(fitted, tmp_path):
    text = open(fitted["classifier"], encoding="utf-8").read().replace('"scale": [', '"scale": [NaN, ', 1)
    (tmp_path / "nan.json").write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="NaN is not a number JSON allows"):
        _apply(fitted["raster"], tmp_path / "nan.json", tmp_path / "out.tif")


def test_the_report_says_what_the_classifier_was_fitted_on_and_what_it_found(fitted, tmp_path):
    from report_reader import num, read

    path, labels, invalid, _ = _planted(tmp_path / "other.tif", seed=9, centres=fitted["centres"])
    result, _ = _apply(path, fitted["classifier"], tmp_path / "c.tif", html_report=str(tmp_path / "apply.html"))
    report = read(result["html_report"])
    assert report.external == [] and "Predicted cells per class" in report.svg_titles
    facts = "Apply classifier"
    assert report.fact(facts, "Fitted on") == fitted["raster"]
    assert report.fact(facts, "The classifier's embeddings") == "terrafm_b (S2L2A) 24-d, cells of 10 x 10"
    assert report.fact(facts, "The raster's embeddings") == "terrafm_b (S2L2A) 24-d, cells of 10 x 10"
    assert report.fact(facts, "Classes") == "water, forest, urban"
    rows = report.table("Predicted cells per class")[1:]
    assert [r[0] for r in rows] == ["water", "forest", "urban"]
    assert [int(num(r[2])) for r in rows] == [result["predicted_cells"][n] for n in NAMES.values()]
    assert sum(int(num(r[2])) for r in rows) == (~invalid).sum()
