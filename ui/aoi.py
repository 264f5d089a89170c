"""The panel's area of interest as a small typed value: where it came from, its bounding rectangle in its
CRS and, for polygons, the polygon itself. No widgets: the panel's AOI part (aoi_box.py) makes one from
what the user drew or chose, the parameter builder (parameters.py) turns it into terraembed:embed's AOI
and AOI_LAYER, and tests build one by hand.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsGeometry,
    QgsRectangle,
    QgsReferencedRectangle,
)

from ..algorithms import compat
from ..shell.i18n import tr

# where an area of interest came from (the polygon kinds restrict the run to the polygon itself)
RECTANGLE = tr("drawn rectangle")
POLYGON = tr("drawn polygon")
MAP_VIEW = tr("map view")
LAYER = tr("polygon layer")
POLYGON_KINDS = (POLYGON, LAYER)


@dataclass(frozen=True)
class AreaOfInterest:
    kind: str  # RECTANGLE, POLYGON, MAP_VIEW or LAYER
    rect: QgsRectangle  # the bounding rectangle, in crs
    crs: QgsCoordinateReferenceSystem
    geometry: QgsGeometry  # the polygon (for the rectangle kinds: the rectangle)
    source: str = ""  # LAYER: e.g. "2 selected feature(s) of fields"

    @classmethod
    def rectangle(
        cls, rect: QgsRectangle, crs: QgsCoordinateReferenceSystem, kind: str = RECTANGLE
    ) -> "AreaOfInterest":
        return cls(kind, QgsRectangle(rect), QgsCoordinateReferenceSystem(crs), QgsGeometry.fromRect(rect))

    @classmethod
    def polygon(
        cls, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem, kind: str = POLYGON, source: str = ""
    ) -> "AreaOfInterest":
        geometry = QgsGeometry(geometry)
        return cls(kind, geometry.boundingBox(), QgsCoordinateReferenceSystem(crs), geometry, source)

    @property
    def is_polygon(self) -> bool:
        """True when pixels outside the polygon are to be ignored (drawn polygons, polygon layers)."""
        return self.kind in POLYGON_KINDS

    def extent(self) -> QgsReferencedRectangle:
        """The AOI parameter of terraembed:embed."""
        return QgsReferencedRectangle(self.rect, self.crs)

    def describe(self) -> str:
        """What the panel says about the area, e.g. 'Drawn rectangle: x 1.00 to 2.00, ... (EPSG:32633), 1 x 1 m'."""
        metres = self.crs.mapUnits() == compat.METERS
        digits = 2 if metres else 6
        r = self.rect
        what = self.source if self.kind == LAYER and self.source else self.kind
        text = tr("%s: x %.*f to %.*f, y %.*f to %.*f (%s)%s") % (
            what[:1].upper() + what[1:],
            digits,
            r.xMinimum(),
            digits,
            r.xMaximum(),
            digits,
            r.yMinimum(),
            digits,
            r.yMaximum(),
            self.crs.authid() or tr("custom CRS"),
            (tr(", %.0f x %.0f m") % (r.width(), r.height())) if metres else "",
        )
        return text + (tr(" - pixels outside the polygon are ignored.") if self.is_polygon else "")

    def geometry_in(
        self, crs: QgsCoordinateReferenceSystem, transform_context: QgsCoordinateTransformContext
    ) -> QgsGeometry:
        """The AOI's geometry in another CRS (a copy)."""
        geometry = QgsGeometry(self.geometry)
        target = QgsCoordinateReferenceSystem(crs)
        if self.crs.isValid() and target.isValid() and self.crs != target:
            geometry.transform(QgsCoordinateTransform(self.crs, target, transform_context))
        return geometry

    def write_polygon(self, transform_context: QgsCoordinateTransformContext, folder: Optional[str] = None) -> str:
        """The polygon as a GeoJSON file (EPSG:4326) for the algorithm's AOI_LAYER: a file, so the background
        task reads its own copy. Returns its path."""
        geometry = self.geometry_in(QgsCoordinateReferenceSystem("EPSG:4326"), transform_context)
        folder = folder or tempfile.mkdtemp(prefix="terraembed-aoi-")
        path = os.path.join(folder, "aoi.geojson")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": json.loads(geometry.asJson(9))}],
                },
                f,
            )
        return path
