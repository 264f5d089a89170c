"""Coordinate reference systems, shared by the engine's packages: the one CRS parser (user input to a
rasterio CRS, with a message naming what the CRS was for) and the one UTM zone function. rasterio is
imported only when they are called."""

import math

from ..shared.errors import UserError
from .i18n import tr


def parse_crs(value, what):
    """A rasterio CRS from what a user gives ('EPSG:32633', WKT, a PROJ string); UserError naming
    `what` (e.g. "AOI", "features") when it is not a CRS."""
    from rasterio.crs import CRS

    try:
        return CRS.from_user_input(value)
    except Exception as exc:  # rasterio raises CRSError; anything else is just as unusable
        raise UserError(
            tr("The %s CRS %r is not understood (%s). Give an EPSG code such as 'EPSG:32633' or a WKT string.")
            % (what, str(value)[:80], exc)
        ) from None


def utm_crs(lon, lat):
    """The WGS 84 / UTM zone CRS (a rasterio CRS) containing lon, lat: zones 1..60, EPSG 326xx north
    of the equator, 327xx south."""
    from rasterio.crs import CRS

    zone = min(60, max(1, int(math.floor((lon + 180.0) / 6.0)) + 1))
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)
