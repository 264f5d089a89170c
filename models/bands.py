"""Band names: common aliases -> canonical names, and matching a raster's bands to a model's order.

Standard library only (no numpy, no torch): the QGIS side uses the same logic to pre-select bands.

Canonical names: Sentinel-2 'B1','B2','B3','B4','B5','B6','B7','B8','B8A','B9','B10','B11','B12';
Sentinel-1 'VV','VH'; elevation 'DEM'. Matching is case-insensitive and ignores spaces, '-', '_' and '.' differences
('b01', 'B 1', 'nir_narrow', 'NIR-NARROW' all work).
"""
import re

S2_BANDS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B11", "B12")
S1_BANDS = ("VV", "VH")
DEM_BANDS = ("DEM",)
# A sensor (the user's word for a modality) -> its canonical bands, in model order.
SENSOR_BANDS = {"S2": S2_BANDS, "S1": S1_BANDS, "DEM": DEM_BANDS}

# canonical -> aliases (any spelling/case; normalised by _norm). Sources: Sentinel-2 band numbers,
# the TerraMind/terratorch names, STAC (earth-search) asset names, common descriptive names.
_ALIASES = {
    "B1": ("B01", "B1", "COASTAL", "COASTAL_AEROSOL", "AEROSOL", "ULTRA_BLUE"),
    "B2": ("B02", "B2", "BLUE"),
    "B3": ("B03", "B3", "GREEN"),
    "B4": ("B04", "B4", "RED"),
    "B5": ("B05", "B5", "RED_EDGE_1", "REDEDGE1", "RE1", "RED_EDGE1", "VEGETATION_RED_EDGE_1"),
    "B6": ("B06", "B6", "RED_EDGE_2", "REDEDGE2", "RE2", "RED_EDGE2", "VEGETATION_RED_EDGE_2"),
    "B7": ("B07", "B7", "RED_EDGE_3", "REDEDGE3", "RE3", "RED_EDGE3", "VEGETATION_RED_EDGE_3"),
    "B8": ("B08", "B8", "NIR", "NIR_BROAD", "NIR08_BROAD", "NIR_1"),
    "B8A": ("B8A", "B08A", "NIR_NARROW", "NARROW_NIR", "NIR08", "NIRN", "RED_EDGE_4", "REDEDGE4",
            "RE4", "NIR_2"),
    "B9": ("B09", "B9", "WATER_VAPOR", "WATER_VAPOUR", "WATERVAPOR", "WV", "NIR09"),
    "B10": ("B10", "CIRRUS", "SWIR_CIRRUS"),
    "B11": ("B11", "SWIR1", "SWIR_1", "SWIR16", "SWIR_16"),
    "B12": ("B12", "SWIR2", "SWIR_2", "SWIR22", "SWIR_22"),
    "VV": ("VV", "SIGMA0_VV", "S1_VV", "VV_LINEAR", "GAMMA0_VV"),
    "VH": ("VH", "SIGMA0_VH", "S1_VH", "VH_LINEAR", "GAMMA0_VH"),
    "DEM": ("DEM", "ELEVATION", "HEIGHT", "ALTITUDE", "DTM", "COPERNICUS_DEM"),
}


def _norm(name):
    """Upper case, separators removed: 'nir_narrow' -> 'NIRNARROW', 'B 01' -> 'B01'."""
    return re.sub(r"[\s_\-.]+", "", str(name).strip().upper())


BAND_ALIASES = {}
for _canonical, _names in _ALIASES.items():
    for _alias in _names + (_canonical,):
        BAND_ALIASES[_norm(_alias)] = _canonical
del _canonical, _names, _alias


def canonical_band(name):
    """The canonical band name for `name` ('b02', 'Blue', 'NIR_NARROW' ...), or None.

    Tries the whole text first, then its first word ('B4 (red)', 'B8A: NIR narrow')."""
    if name is None:
        return None
    text = str(name).strip()
    if not text:
        return None
    hit = BAND_ALIASES.get(_norm(text))
    if hit:
        return hit
    first = re.split(r"[\s(:/,;\[]+", text, maxsplit=1)[0]
    if first and first != text:
        return BAND_ALIASES.get(_norm(first))
    return None


def match_bands(descriptions, spec_or_bands):
    """1-based indices of the raster bands to use, in the model's band order, or None.

    descriptions: the raster's band descriptions/names in raster order.
    spec_or_bands: a ModelSpec (anything with `.bands`) or a sequence of canonical band names.
    None when a model band is not found, or when two raster bands claim the same model band
    (ambiguous: let the user choose)."""
    bands = getattr(spec_or_bands, "bands", spec_or_bands)
    found = {}
    for i, desc in enumerate(descriptions or ()):
        canonical = canonical_band(desc)
        if canonical is None:
            continue
        if canonical in found:
            if canonical in bands:
                return None
            continue
        found[canonical] = i + 1
    try:
        return [found[b] for b in bands]
    except KeyError:
        return None
