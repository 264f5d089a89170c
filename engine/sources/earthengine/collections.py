"""The Earth Engine collections TerraEmbed reads (Sentinel-2 SR, Sentinel-1 GRD, the Copernicus DEM
GLO-30) and the ee expression of their composite (median; the DEM: a mosaic): filters, cloud masks,
the image count. `ee` is passed in, never imported here."""

from typing import Any, Optional

from ....shared import catalogue
from ....shared.errors import NoImagery
from ...context import JobContext
from ...i18n import tr
from .retry import with_retries

S2_BANDS = list(catalogue.S2_BANDS)
S1_BANDS = list(catalogue.S1_BANDS)
# one per catalogue.COLLECTIONS key
COLLECTIONS = {
    "S2": {"id": "COPERNICUS/S2_SR_HARMONIZED", "bands": S2_BANDS},
    "S1": {"id": "COPERNICUS/S1_GRD_FLOAT", "bands": S1_BANDS},
    "DEM": {"id": "COPERNICUS/DEM/GLO30", "bands": ["DEM"]},  # static tiles: a mosaic, no dates
}
# The DEM composite's fill where no tile covers (0 is a real elevation): its nodata value.
DEM_FILL = -32768.0
S2_CLOUD_PROBABILITY_ID = "COPERNICUS/S2_CLOUD_PROBABILITY"
# SCL classes masked by cloud_mask="scl": 3 cloud shadow, 8 cloud medium probability,
# 9 cloud high probability, 10 thin cirrus.
SCL_MASKED_CLASSES = [3, 8, 9, 10]
CLOUD_MASKS = catalogue.CLOUD_MASKS
UNITS = {
    "S2": "surface reflectance x 10000",
    "S1": "backscatter coefficient, linear power",
    "DEM": "elevation in metres (Copernicus DEM GLO-30)",
}


# ------------------------------------------------------------------------------------------------
# The Earth Engine expression
# ------------------------------------------------------------------------------------------------
def _region(ee: Any, grid: dict[str, Any]) -> Any:
    crs = grid["crs_for_ee"].get("crsCode") or grid["crs_for_ee"]["crsWkt"]
    sx, _, x0, _, sy, y0 = grid["transform"]
    x1, y1 = x0 + grid["width"] * sx, y0 + grid["height"] * sy
    return ee.Geometry.Rectangle([x0, min(y0, y1), x1, max(y0, y1)], ee.Projection(crs), False)


def s2_collection(ee: Any, request: dict[str, Any], region: Any) -> Any:
    f = request["filters"]
    col = (
        ee.ImageCollection(request["collection_id"])
        .filterBounds(region)
        .filterDate(request["start"], request["end"])
        .filter(ee.Filter.lte("CLOUDY_PIXEL_PERCENTAGE", f["max_cloud"]))
    )
    if f["cloud_mask"] == "scl":
        classes = f["scl_masked_classes"]

        def mask_scl(img: Any) -> Any:
            scl = img.select("SCL")
            keep = scl.neq(classes[0])
            for c in classes[1:]:
                keep = keep.And(scl.neq(c))
            return img.updateMask(keep)

        col = col.map(mask_scl)
    elif f["cloud_mask"] == "probability":
        probs = (
            ee.ImageCollection(S2_CLOUD_PROBABILITY_ID)
            .filterBounds(region)
            .filterDate(request["start"], request["end"])
        )
        joined = ee.Join.saveFirst("cloud_probability").apply(
            primary=col,
            secondary=probs,
            condition=ee.Filter.equals(leftField="system:index", rightField="system:index"),
        )
        threshold = f["cloud_probability_threshold"]

        def mask_prob(img: Any) -> Any:
            img = ee.Image(img)
            prob = ee.Image(img.get("cloud_probability")).select("probability")
            return img.updateMask(prob.lt(threshold))

        col = ee.ImageCollection(joined).map(mask_prob)
    return col


def s1_collection(ee: Any, request: dict[str, Any], region: Any, iw: bool) -> Any:
    f = request["filters"]
    col = (
        ee.ImageCollection(request["collection_id"])
        .filterBounds(region)
        .filterDate(request["start"], request["end"])
        .filter(ee.Filter.listContains("transmitterReceiverPolarisation", "VV"))
        .filter(ee.Filter.listContains("transmitterReceiverPolarisation", "VH"))
    )
    if iw:
        col = col.filter(ee.Filter.eq("instrumentMode", "IW"))
    if f["orbit"]:
        col = col.filter(ee.Filter.eq("orbitProperties_pass", f["orbit"]))
    return col


def composite(ee: Any, col: Any, bands: list[str]) -> Any:
    """Median of the selected bands, gaps filled with 0, float32."""
    return col.select(bands).median().unmask(0).toFloat()


def dem_image(ee: Any, region: Any) -> tuple[Any, Any]:
    """(collection, image): the GLO-30 tiles over the region, resampled bilinearly (30 m tiles onto a
    finer grid) and mosaicked, the DEM band, gaps filled with DEM_FILL, float32."""
    col = ee.ImageCollection(COLLECTIONS["DEM"]["id"]).filterBounds(region).select(["DEM"])
    image = col.map(lambda img: img.resample("bilinear")).mosaic().unmask(DEM_FILL).toFloat()
    return col, image


def _count(ee: Any, col: Any, ctx: JobContext, limits: dict[str, Any], project: Optional[str]) -> int:
    return int(with_retries(lambda: col.size().getInfo(), ctx, limits, "the image count", project))


def build_image(
    ee: Any, request: dict[str, Any], ctx: JobContext, limits: dict[str, Any], project: Optional[str]
) -> tuple[Any, dict[str, Any]]:
    """(ee.Image, facts for the provenance). NoImagery (a UserError) when the collection is empty."""
    region = _region(ee, request["grid"])
    f = request["filters"]
    where = "between %s and %s (end exclusive) over the AOI" % (request["start"], request["end"])
    if request["collection"] == "DEM":
        col, image = dem_image(ee, region)
        n = _count(ee, col, ctx, limits, project)
        if n == 0:
            raise NoImagery(
                tr("No Copernicus DEM tile (%s) covers the AOI. Choose an area on land, or give a DEM raster.")
                % request["collection_id"]
            )
        return image, {"images": n}
    if request["collection"] == "S2":
        col = s2_collection(ee, request, region)
        n = _count(ee, col, ctx, limits, project)
        if n == 0:
            raise NoImagery(
                tr(
                    "No Sentinel-2 image (%s) %s has at most %g%% cloudy pixels%s. Raise the cloud limit "
                    "(max_cloud) or widen the dates."
                )
                % (
                    request["collection_id"],
                    where,
                    f["max_cloud"],
                    tr(" with a cloud-probability match") if f["cloud_mask"] == "probability" else "",
                )
            )
        facts: dict[str, Any] = {"images": n}
    else:
        col = s1_collection(ee, request, region, iw=True)
        n = _count(ee, col, ctx, limits, project)
        relaxed = False
        if n == 0 and f["relax_iw"]:
            ctx.log(tr("Earth Engine: no IW-mode Sentinel-1 image; retrying without the IW filter"))
            col = s1_collection(ee, request, region, iw=False)
            n = _count(ee, col, ctx, limits, project)
            relaxed = True
        if n == 0:
            raise NoImagery(
                tr("No Sentinel-1 image (%s) with both VV and VH %s%s%s. Widen the dates or the AOI%s.")
                % (
                    request["collection_id"],
                    where,
                    tr(" in %s orbits") % f["orbit"].lower() if f["orbit"] else "",
                    tr(", in IW mode or any other mode") if relaxed else tr(" in IW mode (relaxing the mode is off)"),
                    tr(", or drop the orbit filter") if f["orbit"] else "",
                )
            )
        facts = {"images": n, "iw_relaxed": relaxed, "instrument_mode": None if relaxed else "IW"}
    return composite(ee, col, request["bands"]), facts
