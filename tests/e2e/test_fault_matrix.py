"""The fault matrix through the real qgis_process, for every TerraEmbed algorithm that writes files
and every output it declares. The outputs are read from the provider's destination parameters, so
a new output is covered by default; a new algorithm that writes files fails here until RECIPES has
valid inputs for it.

Cases, each with a file already at every output path from an earlier run:
- one destination is a folder, or lies in a read-only folder (a read-only bind mount; root only):
  refused before any work with a message naming it, no traceback;
- one destination is an input file reached through a symlinked folder (for every output with an
  input of its kind in the recipe: GeoTIFF outputs and GeoTIFF inputs, vector outputs and GeoJSON
  inputs): refused before any work naming both paths, the input byte-identical;
- every output on a full disk (a filled tmpfs; root only): refused up front where the size is
  estimated, else failed at the write, with the folder in the message;
- SIGTERM to the process group in the middle of a run (the worker is frozen with SIGSTOP the
  moment it writes a partial output, or after a second where its outputs are written at the end,
  so the run cannot finish first): "Cancelled: nothing was
  written", exit non-zero, no traceback.
Afterwards every pre-existing file is byte-identical, nothing new is in the output folder (no
partial, no folder the run created) and the run's private temp folder is empty.
"""

import os
import shutil
import signal
import subprocess
import time

import pytest
from faults import (
    QGIS_PROCESS,
    REPO,
    RUNTIME_PYTHON,
    digest,
    make_classifier,
    make_embeddings,
    make_raster,
    mount,
    needs_root,
    read_only_view,
    snapshot,
    umount,
    workers_of,
    write_points,
)

from terraembed.algorithms.provider import _algorithm_classes

EE_AOI = "13.50,13.56,47.80,47.84 [EPSG:4326]"  # about 450 x 450 px of 10 m: a fetch of a few seconds


def declared_outputs():
    """{algorithm: [(destination parameter, file extension)]} of the algorithms that write files."""
    found = {}
    for cls in _algorithm_classes():
        alg = cls()
        alg.initAlgorithm()
        dests = [(p.name(), p.defaultFileExtension()) for p in alg.destinationParameterDefinitions()]
        if dests:
            found[alg.name()] = dests
    return found


OUTPUTS = declared_outputs()
CASES = [(alg, name) for alg, dests in OUTPUTS.items() for name, _ in dests]


def RECIPES(data, long=False):  # noqa: N802 (a table)
    """Valid inputs of a quick run of each algorithm (its outputs are added by the tests); `long`:
    inputs that keep the worker busy for seconds."""
    emb, emb2 = (data["big"], data["big"]) if long else (data["emb"], data["emb2"])
    classifier = data["big_classifier"] if long else data["classifier"]  # of emb's dimensions
    model = {"MODEL": 0, "WEIGHTS_FILE": data["weights"], "BATCH_SIZE": 1}
    return {
        "check_environment": {"DEVICE": 0},
        "embed": dict(model, INPUT=data["s2"], INPUT_PREP=1),
        "embed_features": dict(model, INPUT=data["s2"], INPUT_FEATURES=data["s2_points"]),
        "fetch_imagery": {"AOI": EE_AOI, "COLLECTION": 0},
        "fetch_alphaearth": {"AOI": EE_AOI, "YEAR": 2024},
        "pca": {"INPUT": emb, "COMPONENTS": 3},
        "similarity": {"INPUT": emb, "REFERENCE": data["labels"], "THRESHOLD": 0.5},
        "cluster": {"INPUT": emb, "K": 3},
        "classify": {"INPUT": emb, "LABELS": data["labels"], "FIELD": "class", "FOLDS": 2},
        "change": {"BEFORE": emb, "AFTER": emb2},
        "change_series": {"PERIODS": [emb, emb2, emb]},
        "build_series": (  # long: 12 rasters off the first one's grid, resampled one after the other
            {"LAYERS": [data["big"]] + [data["big_other"]] * 12, "PERIODS": "2001..2013"}
            if long
            else {"LAYERS": [emb, emb2], "PERIODS": "2019,2020"}
        ),
        "compare": {"INPUTS": [emb, emb2], "LABELS": data["labels"], "FIELD": "class", "FOLDS": 2},
        "apply_classifier": {"INPUT": emb, "CLASSIFIER": classifier},
    }


# the file names of the recipes' inputs (the weights: the session's weights file)
INPUT_FILES = {
    "weights": "TerraFM-B.pth",
    "s2": "s2.tif",
    "s2_points": "points.geojson",
    "emb": "emb.tif",
    "emb2": "emb2.tif",
    "big": "big.tif",
    "big_other": "big_other.tif",
    "labels": "labels.geojson",
    "classifier": "classifier.json",
    "big_classifier": "big_classifier.json",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory, terrafm_weights):
    folder = tmp_path_factory.mktemp("fault-inputs")
    labels = [
        (500005 + 10 * c, 4199995 - 10 * r, {"class": "a" if c < 25 else "b"})
        for r in (5, 20, 35)
        for c in (5, 15, 35, 45)
    ]
    points = [(400200 + 200 * i, 5299800 - 200 * i, {"name": i}) for i in range(10)]
    name = INPUT_FILES
    return {
        "weights": terrafm_weights,
        "s2": make_raster(folder / name["s2"], 240),
        "s2_points": write_points(folder / name["s2_points"], points),
        "emb": make_embeddings(folder / name["emb"], 40, 50),
        "emb2": make_embeddings(folder / name["emb2"], 40, 50, seed=2),
        "big": make_embeddings(folder / name["big"], 150, 150, bands=64),
        "big_other": make_embeddings(folder / name["big_other"], 160, 140, bands=64),
        "labels": write_points(folder / name["labels"], labels),
        "classifier": make_classifier(folder / name["classifier"], folder / name["emb"]),
        "big_classifier": make_classifier(folder / name["big_classifier"], folder / name["big"]),
    }


@pytest.fixture(scope="module")
def earth_engine(tmp_path_factory):
    """The fake Earth Engine (tests/engine/ee_server.py) for fetch_imagery: environment variables. Each
    pixel request takes 3 s (a slow network), so a fetch is still running when a signal is sent."""
    folder = tmp_path_factory.mktemp("ee")
    key = folder / "key.json"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([os.path.join(REPO, ".build", "pkg"), os.path.join(REPO, "tests", "engine")]),
    )
    proc = subprocess.Popen(
        [RUNTIME_PYTHON, os.path.join(REPO, "tests", "engine", "ee_server.py"), str(key), "3"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    (folder / "home").mkdir()
    yield {
        "HOME": str(folder / "home"),
        "TERRAEMBED_EE_API_URL": url,
        "TERRAEMBED_EE_KEY_FILE": str(key),
        "TERRAEMBED_EE_PROJECT": "test-project",
    }
    proc.stdin.close()
    proc.wait(timeout=30)


class Run:
    """One algorithm's run into an output folder where a file exists at every output path."""

    def __init__(self, qgis_process, earth_engine, data, tmp_path, alg, long=False):
        self.alg, self.tmp = alg, tmp_path / "tmp"
        self.out = tmp_path / "out"
        self.out.mkdir()
        self.tmp.mkdir()
        self.params = dict(RECIPES(data, long)[alg])
        for name, ext in OUTPUTS[alg]:
            path = self.out / ("%s.%s" % (name.lower(), ext))
            path.write_bytes(os.urandom(2048))  # an earlier run's file: must stay as it is
            self.params[name] = str(path)
        self.env = dict(
            qgis_process.env, TMPDIR=str(self.tmp), TERRAEMBED_IMAGERY_CACHE=str(tmp_path / "cache"), **earth_engine
        )

    def args(self):
        values = [(k, x) for k, v in self.params.items() for x in (v if isinstance(v, list) else [v])]
        return ["run", "terraembed:" + self.alg, "--"] + ["%s=%s" % kv for kv in values]  # a list: repeated

    def start(self):
        self.before = snapshot(self.out)
        return subprocess.Popen(
            [QGIS_PROCESS, *self.args()],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def fails(self, *words):
        """Run to the end; assert a non-zero exit with the words in the message and no traceback."""
        proc = self.start()
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode != 0, output[-2000:]
        assert "Traceback" not in output, output[-3000:]
        for word in words:
            assert str(word) in output, (word, output[-3000:])
        return output

    def left_nothing(self):
        assert snapshot(self.out) == self.before  # every earlier file byte-identical, nothing new
        assert os.listdir(self.tmp) == []  # no temporary file or folder of the run


@pytest.fixture
def run(qgis_process, earth_engine, data, tmp_path):
    return lambda alg, long=False: Run(qgis_process, earth_engine, data, tmp_path, alg, long)


@pytest.mark.parametrize("alg", sorted(OUTPUTS))
def test_every_algorithm_that_writes_files_has_a_recipe(data, alg):
    assert alg in RECIPES(data), "add valid inputs for terraembed:%s to RECIPES, so its outputs are tested" % alg


@pytest.mark.parametrize("alg, output", CASES)
def test_destination_that_is_a_folder_is_refused(run, alg, output):
    case = run(alg)
    dest = case.params[output]
    os.remove(dest)
    os.mkdir(dest)
    with open(os.path.join(dest, "kept.txt"), "w") as f:
        f.write("a file inside the folder in the way")
    case.fails(dest, "folder")
    case.left_nothing()


# the inputs an output of each kind can be written over (its extension passes the output's checks)
SAME_KIND = {"tif": (".tif",), "gpkg": (".geojson",)}


def same_file_cases():
    """(algorithm, output, input parameter) for every output with an input of its kind in the recipe
    (the HTML and CSV reports, embed's pooled GeoPackage and fetch_imagery have none)."""
    recipes = RECIPES(INPUT_FILES)
    cases = []
    for alg, output in CASES:
        ext = dict(OUTPUTS[alg])[output]
        found = [k for k, v in recipes[alg].items() if v in INPUT_FILES.values() and v.endswith(SAME_KIND.get(ext, ()))]
        cases += [(alg, output, found[0])] if found else []
    return cases


@pytest.mark.parametrize("alg, output, source", same_file_cases())
def test_destination_that_is_an_input_under_another_name_is_refused(run, data, tmp_path, alg, output, source):
    case = run(alg)
    source = case.params[source]
    os.symlink(os.path.dirname(source), tmp_path / "linked")
    case.params[output] = str(tmp_path / "linked" / os.path.basename(source))
    kept = digest(source)
    case.fails("is also an input", source, case.params[output])
    assert digest(source) == kept
    case.left_nothing()


@needs_root
@pytest.mark.parametrize("alg, output", CASES)
def test_destination_in_a_read_only_folder_is_refused(run, tmp_path, alg, output):
    case = run(alg)
    real = tmp_path / "real"
    real.mkdir()
    name = os.path.basename(case.params[output])
    os.replace(case.params[output], real / name)
    with read_only_view(real, tmp_path / "ro") as ro:
        case.params[output] = str(ro / name)
        kept = snapshot(real)
        case.fails("not writable", ro)
        assert snapshot(real) == kept
    case.left_nothing()


# algorithms whose worker writes partial outputs for a while (the others' files are written at the
# end, by the shell or in one move): their runs are signalled while a partial output exists
WRITE_WHILE_RUNNING = {
    "embed",
    "pca",
    "similarity",
    "cluster",
    "classify",
    "change",
    "change_series",
    "build_series",
    "apply_classifier",
}


def _freeze_mid_run(proc, out, alg, timeout=240):
    """Wait until the worker writes a partial output (WRITE_WHILE_RUNNING) or has run for a
    second; freeze it (SIGSTOP) so the run cannot end before the signal arrives. Returns the
    worker pids."""
    deadline, first_seen = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        workers = workers_of(proc.pid)
        if workers and first_seen is None:
            first_seen = time.monotonic()
        if alg in WRITE_WHILE_RUNNING:
            ready = any(".part" in name for _, _, files in os.walk(out) for name in files)
        else:
            ready = first_seen is not None and time.monotonic() - first_seen > 1.0
        if workers and ready:
            for pid in workers:
                os.kill(pid, signal.SIGSTOP)
            return workers
        if proc.poll() is not None:
            pytest.fail("the run ended before it could be signalled:\n%s" % proc.stdout.read()[-2000:])
        time.sleep(0.005)
    proc.kill()
    pytest.fail("no worker started")


@pytest.mark.parametrize("alg", sorted(OUTPUTS))
def test_sigterm_to_the_process_group_mid_run_is_a_clean_cancel(run, alg):
    case = run(alg, long=True)
    first = OUTPUTS[alg][0][0]  # this output goes to a folder the run has to create
    case.params[first] = str(case.out / "new" / "deeper" / os.path.basename(case.params[first]))
    os.remove(case.out / os.path.basename(case.params[first]))
    proc = case.start()
    workers = _freeze_mid_run(proc, case.out, alg)
    os.killpg(proc.pid, signal.SIGTERM)
    time.sleep(0.3)
    for pid in workers:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode != 0, output[-2000:]
    assert "Cancelled: nothing was written" in output, output[-3000:]
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output[-3000:]
    deadline = time.monotonic() + 10  # a worker whose shell has gone cleans up by itself
    while workers_of(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    case.left_nothing()


@needs_root
def test_earth_engine_composite_without_room_is_refused_before_the_fetch(run, tmp_path):
    """The composite's size from its grid (width x height x 12 bands x 4 bytes, about 10 MB) does
    not fit a 4 MB disk: refused with the folder and the sizes, before any pixel is fetched."""
    case = run("fetch_imagery")
    small = mount(tmp_path / "small", "-t", "tmpfs", "-o", "size=4m", "tmpfs")
    try:
        (small / "output.tif").write_bytes(b"an earlier composite")
        case.params["OUTPUT"] = str(small / "output.tif")
        output = case.fails("Not enough free space in %s" % small, "composite")
        assert "Connecting to Earth Engine" not in output  # refused before any request
        assert os.listdir(small) == ["output.tif"] and (small / "output.tif").read_bytes() == b"an earlier composite"
    finally:
        umount(small)
    case.left_nothing()


@needs_root
@pytest.mark.parametrize("alg", sorted(OUTPUTS))
def test_full_disk_keeps_every_earlier_output(run, tmp_path, alg):
    """Every output on a full disk (a 1 MB tmpfs, filled): refused up front where the size is
    estimated, or failed when the write hits the full disk; either way with the folder in the
    message, and the earlier files there unchanged."""
    case = run(alg)
    full = mount(tmp_path / "full", "-t", "tmpfs", "-o", "size=1m", "tmpfs")
    try:
        for name, _ in OUTPUTS[alg]:
            moved = shutil.move(case.params[name], full / os.path.basename(case.params[name]))
            case.params[name] = str(moved)
        used = sum(-(-os.path.getsize(full / n) // 4096) * 4096 for n in os.listdir(full))  # whole pages
        (full / "filler").write_bytes(b"\0" * (1024 * 1024 - used))  # not a byte left
        kept = snapshot(full)
        output = case.fails(full)
        assert "Not enough free space in %s" % full in output or "No space left on the device of %s" % full in output, (
            output[-3000:]
        )
        assert snapshot(full) == kept
    finally:
        umount(full)
    case.left_nothing()
