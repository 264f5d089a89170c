"""Parameter checks that name what is wrong and what is valid, for every TerraEmbed algorithm (shell
side). QGIS's own check only says "Incorrect parameter value for X"; these run first
(TerraEmbedAlgorithm.checkParameterValues) and say which range, which choices, which file type.

- numbers: the range the parameter declares (declared from shared/limits.py, the engine checks the same);
- choices (enums): the valid option numbers and their meaning;
- raster inputs: a file that does not exist, or exists but is not a raster GDAL can read;
- file inputs: a folder where a file is expected (e.g. the weights file);
- band lists: "1,2,3" from the command line is a list of three bands;
- destinations: the file type must match what is written (GeoTIFF rasters, .gpkg/.geojson polygons,
  the file filter of a file output); a shapefile holds at most 255 fields.
"""

import os
import re
from collections.abc import Sequence
from typing import Any, Optional

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterBand,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsProcessingUtils,
    QgsProperty,
)

from ..shared import limits
from ..shell.i18n import tr
from . import compat

RASTER_EXTENSIONS = (".tif", ".tiff")  # the engine writes GeoTIFF, whatever the name says
POLYGON_EXTENSIONS = (".gpkg", ".geojson", ".json")  # engine/analysis/vectors.py DRIVERS
SHAPEFILE_MAX_FIELDS = 255  # the DBF limit


def label(definition: QgsProcessingParameterDefinition) -> str:
    return "'%s' (%s)" % (definition.description(), definition.name())  # no-i18n


def problem(definition: QgsProcessingParameterDefinition, value: Any, context: QgsProcessingContext) -> Optional[str]:
    """The message for one parameter's value, or None when it is fine (or for QGIS to judge)."""
    if value is None or isinstance(value, QgsProperty) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(definition, QgsProcessingParameterNumber):
        return number_problem(definition, value)
    if isinstance(definition, QgsProcessingParameterEnum):
        return enum_problem(definition, value)
    if isinstance(definition, QgsProcessingParameterBand) and definition.allowMultiple():
        try:
            band_numbers(value)
        except ValueError as exc:
            return tr("%s: %s") % (label(definition), exc)
        return None
    if isinstance(definition, QgsProcessingParameterRasterLayer):
        return raster_input_problem(definition, value, context)
    if isinstance(definition, QgsProcessingParameterFile) and definition.behavior() == compat.FILE_BEHAVIOR:
        return file_input_problem(definition, value)
    if isinstance(definition, QgsProcessingParameterRasterDestination):
        return extension_problem(definition, value, RASTER_EXTENSIONS, tr("a GeoTIFF"))
    if isinstance(definition, QgsProcessingParameterVectorDestination):
        return extension_problem(definition, value, POLYGON_EXTENSIONS, tr("a GeoPackage or GeoJSON file"))
    if isinstance(definition, QgsProcessingParameterFileDestination):
        wanted = tuple("." + e.lower() for e in re.findall(r"\*\.(\w+)", definition.fileFilter()))
        if wanted:
            return extension_problem(definition, value, wanted, tr("a %s file") % wanted[0][1:].upper())
    return None


def number_problem(definition: QgsProcessingParameterNumber, value: Any) -> Optional[str]:
    integer = definition.dataType() == compat.INTEGER
    declared = limits.Range(definition.minimum(), definition.maximum(), integer=integer)
    return declared.problem(label(definition), value, tr)


def enum_problem(definition: QgsProcessingParameterEnum, value: Any) -> Optional[str]:
    options = definition.options()
    values = (
        value if isinstance(value, (list, tuple)) else str(value).split(",") if definition.allowMultiple() else [value]
    )
    for item in values:
        try:
            index = int(str(item).strip())
        except ValueError:
            index = -1
        if not 0 <= index < len(options):
            return tr("%s must be one of %s; got %r.") % (
                label(definition),
                ", ".join("%d = %s" % (i, o) for i, o in enumerate(options)),
                item,
            )
    return None


def band_numbers(value: Any) -> list[int]:
    """1-based band numbers from a list, or from text such as "1,2,3" or "1 2 3" (the command line);
    ValueError naming the bad item."""
    items = value if isinstance(value, (list, tuple)) else [value]
    numbers = []
    for item in items:
        for token in re.split(r"[,;\s]+", str(item).strip()):
            if not token:
                continue
            try:
                numbers.append(int(token))
            except ValueError:
                raise ValueError(
                    "give band numbers separated by commas, e.g. BANDS=1,2,3; %r is not a band number." % token
                ) from None
    return numbers


def raster_input_problem(
    definition: QgsProcessingParameterDefinition, value: Any, context: QgsProcessingContext
) -> Optional[str]:
    if not isinstance(value, str) or QgsProcessingUtils.mapLayerFromString(value, context) is not None:
        return None
    path = value.split("|")[0]
    if not os.path.exists(path):
        return tr(
            "%s: the file %s does not exist. Check the path (a relative path is relative to the folder "
            "the command runs in)."
        ) % (label(definition), path)
    from osgeo import gdal  # QGIS's own GDAL bindings

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.ErrorReset()
        try:
            dataset = gdal.Open(path)
            reason = gdal.GetLastErrorMsg() or tr("it could not be opened")
        except RuntimeError as exc:  # GDAL bindings with exceptions on (QGIS 3.40's GDAL 3.10)
            dataset, reason = None, str(exc)
    finally:
        gdal.PopErrorHandler()
    if dataset is not None and dataset.RasterCount > 0:
        return None  # GDAL reads it: QGIS's own check will say what else is wrong
    if dataset is not None:
        reason = tr("it has no raster bands")
    return tr(
        "%s: the file %s is not a raster GDAL can read, or it is corrupt or truncated (GDAL: %s). Choose a "
        "GeoTIFF or another raster file, or export or download it again."
    ) % (label(definition), path, reason)


def file_input_problem(definition: QgsProcessingParameterDefinition, value: Any) -> Optional[str]:
    """A folder given where a file is expected (QGIS's own check says only "Incorrect parameter value")."""
    if isinstance(value, str) and os.path.isdir(value):
        return tr("%s: %s is a folder; a file is expected. Choose the file itself (e.g. the weights file in it).") % (
            label(definition),
            value,
        )
    return None


def destination_path(value: Any) -> str:
    """The file path of a destination value ('' for a temporary output or a non-file destination)."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink.staticValue()
    if not isinstance(value, str) or value == "TEMPORARY_OUTPUT":
        return ""
    if re.match(r"^[a-z]+:", value) and not re.match(r"^[A-Za-z]:[\\/]", value):
        return ""  # a provider URI (memory:, ogr:, postgres:...), not a file name
    return value


def extension_problem(
    definition: QgsProcessingParameterDefinition, value: Any, extensions: Sequence[str], kind: str
) -> Optional[str]:
    path = destination_path(value)
    ext = os.path.splitext(path)[1].lower()
    if not ext or ext in extensions:
        return None  # no extension: QGIS adds the default one
    return tr("%s is written as %s, so its file name must end in %s; got %s. Rename it, e.g. %s.") % (
        label(definition),
        kind,
        " or ".join(extensions),
        os.path.basename(path),
        os.path.splitext(os.path.basename(path))[0] + extensions[0],
    )


def shapefile_problem(what: str, value: Any, fields: int) -> Optional[str]:
    """A shapefile destination that would need more than 255 fields."""
    path = destination_path(value)
    if path.lower().endswith((".shp", ".dbf")) and fields > SHAPEFILE_MAX_FIELDS:
        return tr(
            "%s: a shapefile holds at most %d fields, and this output needs %d (one per embedding "
            "dimension). Save it as a GeoPackage instead (%s)."
        ) % (what, SHAPEFILE_MAX_FIELDS, fields, os.path.splitext(os.path.basename(path))[0] + ".gpkg")
    return None
