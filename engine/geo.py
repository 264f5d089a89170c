"""Small geodesy helpers shared by the engine's packages (no heavy imports)."""
import math


def utm_epsg(lon, lat):
    """EPSG code of the WGS 84 / UTM zone containing lon, lat (zones 1..60; 326xx north, 327xx south)."""
    zone = min(60, max(1, int(math.floor((lon + 180.0) / 6.0)) + 1))
    return (32600 if lat >= 0 else 32700) + zone
