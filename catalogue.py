"""Facts both processes need, in one place (standard library only: imported by the QGIS shell and by
the engine alike).
"""

# Tile-mode chip overlap: the name the user picks -> the chip stride in 16 px grid cells (a chip is
# 14 cells). "none" is the reference's abutting layout; see pipeline/tiling.py for the geometry and
# pipeline/stitch.py for the blending, and benchmarks/seams.py for what overlap buys.
TILE_OVERLAPS = {"none": 14, "25%": 10, "50%": 7}
TILE_OVERLAP_HELP = {
    "none": "none (abutting 224 px chips; reference-equivalent)",
    "25%": "25% (chip stride 160 px: about 2x the chips)",
    "50%": "50% (chip stride 112 px: about 4x the chips)",
}

# TerraMind on several sensors: the terraembed:embed raster parameter of each sensor that may come from its
# own raster (the first sensor, Sentinel-2, is INPUT). pipeline/sensors.py reads them.
SENSOR_PARAMETERS = {"S1": "INPUT_S1", "DEM": "INPUT_DEM"}
