"""Reports of the embedding jobs: "embed" (grid of one area) and "embed_features" (one vector per
feature). Inputs, model and weights provenance (random weights in red), device and precision, the
work done and its speed, PCA explained variance, Earth Engine provenance."""

import json
import os
import re

from ...models.weights import RANDOM_INIT_DESCRIPTION
from ...shared.catalogue import FEATURE_VECTORS, PRECISION_DEFAULT
from . import charts, page
from .page import Cell, esc

EE_FIELDS = (
    ("collection_id", "Collection"),
    ("start", "First day"),
    ("end", "Until (exclusive)"),
    ("images", "Images in the composite"),
    ("composite", "Composite"),
    ("units", "Pixel values"),
    ("project", "Cloud project"),
    ("fetched_at", "Fetched at"),
    ("cache_hit", "From the imagery cache"),
    ("earthengine_api", "earthengine-api version"),
)


def crs_name(wkt):
    """The CRS's own name from its WKT (the first quoted string), or None."""
    match = re.search(r'^\s*\w+\["([^"]*)"', wkt or "")
    return match.group(1) if match else None


def is_random(job, result):
    return bool((job.get("weights") or {}).get("random_init")) or result.get("weights") == RANDOM_INIT_DESCRIPTION


def source_label(job):
    source = job.get("source") or {}
    if source.get("kind") == "earthengine":
        return "Earth Engine %s composite" % source.get("collection", "")
    return source.get("name") or os.path.basename(source.get("path") or "") or "raster"


def model_section(job, result):
    weights = result.get("weights")
    if is_random(job, result):
        weights_cell = Cell('<span class="alert">%s</span>' % esc(weights or RANDOM_INIT_DESCRIPTION))
    else:
        weights_cell = Cell(esc(weights), "code")
    rows = [
        ("Model", result.get("model")),
        ("Modality", result.get("modality")),
        ("Embedding dimension", result.get("dim")),
        ("Weights", weights_cell),
        ("Pooling", job.get("pooling") or "model default"),
        ("Device", "%s (asked: %s)" % (result.get("device"), job.get("device") or "auto")),
        ("Precision", "%s (asked: %s)" % (result.get("precision"), job.get("precision") or PRECISION_DEFAULT)),
        ("Batch size", job.get("batch_size") or "model default"),
    ]
    parts = [page.facts("The model that computed the embeddings", rows)]
    if is_random(job, result):
        parts.insert(
            0,
            page.paragraph(
                "These embeddings come from random weights, not a pretrained "
                "model: they carry no meaning. Use them for tests only.",
                "alert",
            ),
        )
    return page.section("Model and weights", *parts)


def earthengine_section(result):
    provenance = result.get("provenance")
    if not provenance:
        return ""
    rows = [(label, provenance.get(key)) for key, label in EE_FIELDS]
    bands = provenance.get("bands")
    if bands:
        rows.insert(1, ("Bands", ", ".join(str(b) for b in bands)))
    if provenance.get("filters"):
        rows.append(("Filters", Cell(esc(json.dumps(provenance["filters"], sort_keys=True)), "code")))
    grid = provenance.get("grid") or {}
    if grid:
        rows.append(
            (
                "Pixel grid",
                "%s x %s pixels of %s m, %s"
                % (
                    grid.get("width"),
                    grid.get("height"),
                    grid.get("scale"),
                    crs_name(grid.get("crs")) or grid.get("crs"),
                ),
            )
        )
    if provenance.get("cache_key"):
        rows.append(("Cache key", Cell(esc(provenance["cache_key"]), "code")))
    return page.section("Earth Engine imagery", page.facts("Where the imagery came from (Google Earth Engine)", rows))


def pca_section(ratios, heading="PCA of the embedding grid"):
    if not ratios:
        return ""
    labels = ["PC%d" % (i + 1) for i in range(len(ratios))]
    cumulative, total = [], 0.0
    for r in ratios:
        total += r
        cumulative.append(total)
    svg = charts.bars(
        labels,
        ratios,
        "Explained variance per principal component",
        "explained variance",
        cumulative=cumulative,
        percent=True,
    )
    table = page.table(
        "Explained variance ratio per component",
        ["Component", "Explained variance", "Cumulative"],
        [(name, page.percent(r), page.percent(c)) for name, r, c in zip(labels, ratios, cumulative)],
        row_headers=True,
    )
    return page.section(
        heading, page.figure(svg, "Bars: share of the variance each component explains; line: cumulative share."), table
    )


def embed_report(job, result, seconds):
    sections = [
        page.columns(
            page.section("Input", page.facts("What was embedded", _embed_input_rows(job, result))),
            page.section("Work done", page.facts("Chips, cells and speed", _embed_work_rows(result, seconds), 2)),
        ),
        model_section(job, result),
        pca_section(result.get("explained_variance")),
        earthengine_section(result),
        page.run_section(
            [
                ("Embedding grid", result.get("grid")),
                ("PCA raster", result.get("pca")),
                ("Input copy", result.get("input_copy")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    return page.document(
        "Embeddings: %s" % result.get("model"),
        "%s, %s cells" % (source_label(job), page.number(result.get("cells"))),
        sections,
    )


def _embed_input_rows(job, result):
    """What was embedded: source, bands, area, preparation, grid."""
    source = job.get("source") or {}
    aoi = job.get("aoi") or {}
    bands = source.get("bands")
    return [
        ("Source", source_label(job)),
        (
            "File",
            Cell(esc(result.get("source") or source.get("path")), "code")
            if source.get("kind") != "earthengine"
            else None,
        ),
        ("Bands (model order)", ", ".join(str(b) for b in bands) if bands else "matched by name"),
        ("Scale factor", source.get("scale") if source.get("kind") != "earthengine" else None),
        (
            "Area of interest",
            "polygon"
            if aoi.get("geometry")
            else (
                "extent %s" % ", ".join("%.6g" % v for v in aoi["bounds"]) if aoi.get("bounds") else "the whole raster"
            ),
        ),
        ("Input preparation", result.get("prep")),
        (
            "Grid",
            "%d rows x %d columns of %.6g x %.6g map units"
            % (tuple(result["grid_shape"]) + tuple(result["cell_size"])),
        ),
        ("CRS", crs_name(result.get("crs"))),
    ]


def _embed_work_rows(result, seconds):
    """Chips, cells and speed."""
    chips, total = result.get("chips", 0), result.get("chips_total", result.get("chips", 0))
    infer = result.get("infer_seconds")
    return [
        ("Chips embedded", chips),
        ("Chips in the area", total),
        ("Chips skipped (all nodata)", total - chips),
        ("Valid grid cells", result.get("cells")),
        ("Inference time", "%.2f s" % infer if infer is not None else None),
        (
            "Throughput",
            "%.2f chips/s, %s cells/s" % (chips / infer, page.number(int(result.get("cells", 0) / infer)))
            if infer
            else None,
        ),
        ("Job time (all steps)", "%.1f s" % seconds),
    ]


def features_report(job, result, seconds):
    skipped = result.get("skipped") or {}
    total = len(result.get("vectors") or {}) or result.get("embedded", 0) + len(skipped)
    work_rows = [
        ("Features", total),
        ("Features embedded", result.get("embedded")),
        ("Features skipped", len(skipped)),
        ("Throughput", "%.2f features/s" % (result.get("embedded", 0) / seconds) if seconds > 0 else None),
    ]
    source = job.get("source") or {}
    parts = [page.facts("Features and speed", work_rows, 2)]
    if skipped:
        parts.append(
            page.table(
                "Features that were not embedded",
                ["Feature (# in the layer)", "Reason"],
                sorted(skipped.items(), key=lambda kv: int(kv[0]) if str(kv[0]).isdigit() else 0),
                row_headers=True,
            )
        )
    sections = [
        page.section(
            "Input",
            page.facts(
                "What was embedded",
                [
                    ("Source", source_label(job)),
                    ("File", Cell(esc(source.get("path")), "code") if source.get("path") else None),
                    (
                        "Bands (model order)",
                        ", ".join(str(b) for b in source["bands"]) if source.get("bands") else "matched by name",
                    ),
                    ("Feature vector", FEATURE_VECTORS.get(result.get("feature_vector") or "chip")),
                    ("Cells (grid cells in the features)", sum((result.get("cells") or {}).values()) or None),
                    (
                        "Saved as GeoParquet",
                        Cell(esc(result["vectors_output"]), "code") if result.get("vectors_output") else None,
                    ),
                ],
            ),
        ),
        model_section(job, result),
        page.section("Work done", *parts),
        earthengine_section(result),
        page.run_section([], seconds, result.get("warnings")),
    ]
    return page.document(
        "Embeddings for features: %s" % result.get("model"),
        "%s of %s features embedded" % (page.number(result.get("embedded")), page.number(total)),
        sections,
    )


BUILDERS = {"embed": embed_report, "embed_features": features_report}
