"""From what the user chose in the panel to the parameters of terraembed:embed: plain values in, the
algorithm's parameter dict out, a PanelError for what must be fixed first. No widgets: the panel reads
its widgets into a PanelChoices, and tests build one by hand.

Enum parameters are mapped by value through the catalogue (the panel never copies an option index).
"""

import datetime
import os
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..shared import catalogue
from ..shared.jobs.embedding import EmbedJob, EmbedOutputs, RasterInput
from ..shared.jobs.sources import ImagerySource
from ..shared.periods import PeriodError, check_series, parse_periods
from ..shell.i18n import tr
from .aoi import AreaOfInterest

OUTPUT_SUFFIXES = {"OUTPUT_GRID": "_grid.tif", "OUTPUT_PCA": "_pca.tif", "OUTPUT_POOLED": "_pooled.gpkg"}


class PanelError(Exception):
    """Something the user must fix before a run can start (shown in the panel and the message bar)."""


@dataclass(frozen=True)
class RasterChoice:
    """A raster layer source: its file (or layer id), value scale, bands in model order ([] = by name), and
    for a TerraMind model on several sensors the other sensors' own layers ({"S1"/"DEM": file or layer id};
    the bands of a sensor not given here come from the main layer)."""

    path: str
    name: str
    scale: float = RasterInput.default("scale")
    bands: List[int] = field(default_factory=list)
    sensors: Dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EarthEngineChoice:
    start: str = ImagerySource.default("start")  # yyyy-mm-dd
    end: str = ImagerySource.default("end")
    pixel_size: float = ImagerySource.default("scale")
    max_cloud: float = ImagerySource.default("max_cloud")
    cloud_mask: str = ImagerySource.default("cloud_mask")
    periods: str = ""  # a series (periods.py's syntax); "" = the dates


@dataclass(frozen=True)
class PanelChoices:
    model: str
    source: str  # a key of catalogue.SOURCES
    prep: str = EmbedJob.default("prep")
    overlap: str = EmbedJob.default("overlap")
    grid_compression: str = EmbedOutputs.default("grid_compression")  # a key of catalogue.GRID_COMPRESSIONS
    device: str = EmbedJob.default("device")
    pca_components: int = EmbedOutputs.default("pca_components")
    aoi: Optional[AreaOfInterest] = None
    aoi_polygon_path: str = ""  # the AOI polygon as a file (aoi.write_polygon), if a polygon
    raster: Optional[RasterChoice] = None  # source "raster": None = no layer chosen
    earthengine: EarthEngineChoice = EarthEngineChoice()
    run_name: str = ""  # "" = automatic: model_layer_date


def option_index(options: Iterable[str], value: str, what: str) -> int:
    """The enum index of a catalogue value."""
    options = list(options)
    if value not in options:
        raise PanelError(tr("Unknown %s %r: choose one of %s.") % (what, value, ", ".join(options)))
    return options.index(value)


def safe_name(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text.strip()).strip("._")
    return text[:80] or "run"


def run_name(choices: PanelChoices, now: Optional[datetime.datetime] = None) -> str:
    """The run's name (its layer group and file names): the user's, made file-safe, else model_layer_date."""
    if choices.run_name.strip():
        return safe_name(choices.run_name)
    if choices.source == "earthengine":
        label = "ee_%s" % catalogue.MODELS[choices.model].modality.lower()
    else:
        label = choices.raster.name if choices.raster else "raster"
    now = now or datetime.datetime.now()
    return safe_name("%s_%s_%s" % (choices.model, label, now.strftime("%Y%m%d_%H%M%S")))


def unique_name(folder: str, name: str, taken: Container[str] = ()) -> str:
    """`name`, or name_2, name_3 ... when a layer group of that name exists (`taken`) or its files do."""
    candidate, n = name, 1
    while candidate in taken or any(
        os.path.exists(os.path.join(folder, candidate + suffix)) for suffix in OUTPUT_SUFFIXES.values()
    ):
        n += 1
        candidate = "%s_%d" % (name, n)
    return candidate


def output_paths(folder: str, name: str) -> Dict[str, str]:
    return {key: os.path.join(folder, name + suffix) for key, suffix in OUTPUT_SUFFIXES.items()}


def embed_parameters(choices: PanelChoices) -> Dict[str, Any]:
    """The terraembed:embed parameters for `choices` (without the outputs: output_paths); PanelError for
    what must be fixed first."""
    params: Dict[str, Any] = {
        "SOURCE": option_index(catalogue.SOURCES, choices.source, "source"),
        "MODEL": option_index(catalogue.MODELS, choices.model, "model"),
        "INPUT_PREP": option_index(catalogue.PREPARATIONS, choices.prep, tr("input preparation")),
        "OVERLAP": option_index(catalogue.TILE_OVERLAPS, choices.overlap, tr("tile overlap")),
        "GRID_COMPRESSION": option_index(catalogue.GRID_COMPRESSIONS, choices.grid_compression, tr("grid compression")),
        "DEVICE": option_index(catalogue.DEVICES, choices.device, "device"),
        "PCA_COMPONENTS": choices.pca_components,
        "BATCH_SIZE": 0,
    }
    if choices.aoi is not None:
        params["AOI"] = choices.aoi.extent()
        if choices.aoi.is_polygon and choices.aoi_polygon_path:
            params["AOI_LAYER"] = choices.aoi_polygon_path
    if choices.source == "raster":
        raster = choices.raster
        if raster is None:
            raise PanelError(tr("Choose a raster layer (or switch the imagery to Google Earth Engine)."))
        params["INPUT"] = raster.path
        params["SCALE"] = raster.scale
        if raster.bands:
            if 0 in raster.bands:
                raise PanelError(
                    tr("Choose a raster band for every model band in 'Band mapping' (or press 'Match by name again').")
                )
            params["BANDS"] = list(raster.bands)
        for sensor, path in raster.sensors.items():
            params[catalogue.SENSOR_PARAMETERS[sensor]] = path
    else:
        if choices.aoi is None:
            raise PanelError(
                tr(
                    "Earth Engine needs an area of interest: draw a rectangle or polygon, or use the "
                    "map view or a polygon layer."
                )
            )
        ee = choices.earthengine
        if ee.start >= ee.end:
            raise PanelError(tr("The start date must be before the end date."))
        if ee.periods.strip():
            try:
                check_series(parse_periods(ee.periods))
            except PeriodError as exc:
                raise PanelError(tr("Periods: %s") % exc) from None
            params["PERIODS"] = ee.periods.strip()
        params.update(
            {
                "START_DATE": ee.start,
                "END_DATE": ee.end,
                "EE_SCALE": ee.pixel_size,
                "MAX_CLOUD": ee.max_cloud,
                "CLOUD_MASK": option_index(catalogue.CLOUD_MASKS, ee.cloud_mask, tr("cloud mask")),
            }
        )
    return params


def prepare_output_folder(text: Optional[str]) -> str:
    """The output folder, absolute and created; PanelError when it cannot be used."""
    folder = (text or "").strip()
    if not folder:
        raise PanelError(tr("Choose an output folder."))
    folder = os.path.abspath(os.path.expanduser(folder))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise PanelError(tr("Cannot create the output folder %s (%s). Choose another folder.") % (folder, exc)) from exc
    if not os.access(folder, os.W_OK):
        raise PanelError(tr("The output folder %s is not writable. Choose another folder.") % folder)
    return folder
