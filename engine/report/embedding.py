"""Reports of the embedding jobs: "embed" (grid of one area) and "embed_features" (one vector per
feature). Inputs, model and weights provenance (random weights in red), device and precision, the
work done and its speed, PCA explained variance, Earth Engine provenance."""

import json
import os
import re

from ...models.weights import RANDOM_INIT_DESCRIPTION
from ...shared.catalogue import FEATURE_VECTORS, PRECISION_DEFAULT, PREPARATIONS
from ..i18n import tr, translatable
from . import charts, page
from .page import Cell, esc

EE_FIELDS = (
    ("collection_id", translatable("Collection")),
    ("start", translatable("First day")),
    ("end", translatable("Until (exclusive)")),
    ("images", translatable("Images in the composite")),
    ("composite", translatable("Composite")),
    ("units", translatable("Pixel values")),
    ("project", translatable("Cloud project")),
    ("fetched_at", translatable("Fetched at")),
    ("cache_hit", translatable("From the imagery cache")),
    ("earthengine_api", translatable("earthengine-api version")),
)


def crs_name(wkt):
    """The CRS's own name from its WKT (the first quoted string), or None."""
    match = re.search(r'^\s*\w+\["([^"]*)"', wkt or "")
    return match.group(1) if match else None


def is_random(job, result):
    return bool((job.get("weights") or {}).get("random_init")) or result.get("weights") == RANDOM_INIT_DESCRIPTION


def asked(value):
    """A device or precision the job asked for, in words ("auto" is a word; "cuda", "bf16" are names)."""
    return tr("auto", "Report") if value == "auto" else value


def preparation(prep):
    """The input preparation the run used ("tile", "resize") as the panel says it (the catalogue's label)."""
    return tr(PREPARATIONS[prep]) if prep in PREPARATIONS else prep


def source_label(job):
    source = job.get("source") or {}
    if source.get("kind") == "earthengine":
        return tr("Earth Engine %s composite") % source.get("collection", "")
    return source.get("name") or os.path.basename(source.get("path") or "") or tr("raster")


def model_section(job, result):
    weights = result.get("weights")
    if is_random(job, result):
        said = tr(RANDOM_INIT_DESCRIPTION) if weights in (None, RANDOM_INIT_DESCRIPTION) else weights
        weights_cell = Cell('<span class="alert">%s</span>' % esc(said))
    else:
        weights_cell = Cell(esc(weights), "code")
    rows = [
        (tr("Model"), result.get("model")),
        (tr("Modality"), result.get("modality")),
        (tr("Embedding dimension"), result.get("dim")),
        (tr("Weights"), weights_cell),
        (tr("Pooling"), job.get("pooling") or tr("model default")),
        (tr("Device"), tr("%s (asked: %s)") % (result.get("device"), asked(job.get("device") or "auto"))),
        (
            tr("Precision"),
            tr("%s (asked: %s)") % (result.get("precision"), asked(job.get("precision") or PRECISION_DEFAULT)),
        ),
        (tr("Batch size"), job.get("batch_size") or tr("model default")),
    ]
    parts = [page.facts(tr("The model that computed the embeddings"), rows)]
    if is_random(job, result):
        parts.insert(
            0,
            page.paragraph(
                tr(
                    "These embeddings come from random weights, not a pretrained "
                    "model: they carry no meaning. Use them for tests only."
                ),
                "alert",
            ),
        )
    return page.section(tr("Model and weights"), *parts)


def earthengine_section(result):
    provenance = result.get("provenance")
    if not provenance:
        return ""
    rows = [(tr(label), provenance.get(key)) for key, label in EE_FIELDS]
    bands = provenance.get("bands")
    if bands:
        rows.insert(1, (tr("Bands"), ", ".join(str(b) for b in bands)))
    if provenance.get("filters"):
        rows.append((tr("Filters"), Cell(esc(json.dumps(provenance["filters"], sort_keys=True)), "code")))
    grid = provenance.get("grid") or {}
    if grid:
        rows.append(
            (
                tr("Pixel grid"),
                tr("%s x %s pixels of %s m, %s")
                % (
                    grid.get("width"),
                    grid.get("height"),
                    grid.get("scale"),
                    crs_name(grid.get("crs")) or grid.get("crs"),
                ),
            )
        )
    if provenance.get("cache_key"):
        rows.append((tr("Cache key"), Cell(esc(provenance["cache_key"]), "code")))
    return page.section(
        tr("Earth Engine imagery"), page.facts(tr("Where the imagery came from (Google Earth Engine)"), rows)
    )


def pca_section(ratios, heading=None):
    """The explained variance chart and table, under `heading` (default: PCA of the embedding grid)."""
    if not ratios:
        return ""
    heading = tr("PCA of the embedding grid") if heading is None else heading
    labels = ["PC%d" % (i + 1) for i in range(len(ratios))]
    cumulative, total = [], 0.0
    for r in ratios:
        total += r
        cumulative.append(total)
    svg = charts.bars(
        labels,
        ratios,
        tr("Explained variance per principal component"),
        tr("explained variance"),
        cumulative=cumulative,
        percent=True,
    )
    table = page.table(
        tr("Explained variance ratio per component"),
        [tr("Component"), tr("Explained variance"), tr("Cumulative")],
        [(name, page.percent(r), page.percent(c)) for name, r, c in zip(labels, ratios, cumulative)],
        row_headers=True,
    )
    return page.section(
        heading,
        page.figure(svg, tr("Bars: share of the variance each component explains; line: cumulative share.")),
        table,
    )


def embed_report(job, result, seconds):
    sections = [
        page.columns(
            page.section(tr("Input"), page.facts(tr("What was embedded"), _embed_input_rows(job, result))),
            page.section(
                tr("Work done"), page.facts(tr("Chips, cells and speed"), _embed_work_rows(result, seconds), 2)
            ),
        ),
        model_section(job, result),
        pca_section(result.get("explained_variance")),
        earthengine_section(result),
        page.run_section(
            [
                (tr("Embedding grid"), result.get("grid")),
                (tr("PCA raster"), result.get("pca")),
                (tr("Input copy"), result.get("input_copy")),
            ],
            seconds,
            result.get("warnings"),
        ),
    ]
    return page.document(
        tr("Embeddings: %s") % result.get("model"),
        tr("%s, %s cells") % (source_label(job), page.number(result.get("cells"))),
        sections,
    )


def _embed_input_rows(job, result):
    """What was embedded: source, bands, area, preparation, grid."""
    source = job.get("source") or {}
    aoi = job.get("aoi") or {}
    bands = source.get("bands")
    return [
        (tr("Source"), source_label(job)),
        (
            tr("File"),
            Cell(esc(result.get("source") or source.get("path")), "code")
            if source.get("kind") != "earthengine"
            else None,
        ),
        (tr("Bands (model order)"), ", ".join(str(b) for b in bands) if bands else tr("matched by name")),
        (tr("Scale factor"), source.get("scale") if source.get("kind") != "earthengine" else None),
        (
            tr("Area of interest"),
            tr("polygon")
            if aoi.get("geometry")
            else (
                tr("extent %s") % ", ".join("%.6g" % v for v in aoi["bounds"])
                if aoi.get("bounds")
                else tr("the whole raster")
            ),
        ),
        (tr("Input preparation"), preparation(result.get("prep"))),
        (
            tr("Grid"),
            tr("%d rows x %d columns of %.6g x %.6g map units")
            % (tuple(result["grid_shape"]) + tuple(result["cell_size"])),
        ),
        (tr("CRS"), crs_name(result.get("crs"))),
    ]


def _embed_work_rows(result, seconds):
    """Chips, cells and speed."""
    chips, total = result.get("chips", 0), result.get("chips_total", result.get("chips", 0))
    infer = result.get("infer_seconds")
    return [
        (tr("Chips embedded"), chips),
        (tr("Chips in the area"), total),
        (tr("Chips skipped (all nodata)"), total - chips),
        (tr("Valid grid cells"), result.get("cells")),
        (tr("Inference time"), "%.2f s" % infer if infer is not None else None),
        (
            tr("Throughput"),
            tr("%.2f chips/s, %s cells/s") % (chips / infer, page.number(int(result.get("cells", 0) / infer)))
            if infer
            else None,
        ),
        (tr("Job time (all steps)"), "%.1f s" % seconds),
    ]


def features_report(job, result, seconds):
    skipped = result.get("skipped") or {}
    total = len(result.get("vectors") or {}) or result.get("embedded", 0) + len(skipped)
    work_rows = [
        (tr("Features"), total),
        (tr("Features embedded"), result.get("embedded")),
        (tr("Features skipped"), len(skipped)),
        (tr("Throughput"), tr("%.2f features/s") % (result.get("embedded", 0) / seconds) if seconds > 0 else None),
    ]
    source = job.get("source") or {}
    vector_label = FEATURE_VECTORS.get(result.get("feature_vector") or "chip")
    vector_label = tr(vector_label) if vector_label else None
    parts = [page.facts(tr("Features and speed"), work_rows, 2)]
    if skipped:
        parts.append(
            page.table(
                tr("Features that were not embedded"),
                [tr("Feature (# in the layer)"), tr("Reason")],
                sorted(skipped.items(), key=lambda kv: int(kv[0]) if str(kv[0]).isdigit() else 0),
                row_headers=True,
            )
        )
    sections = [
        page.section(
            tr("Input"),
            page.facts(
                tr("What was embedded"),
                [
                    (tr("Source"), source_label(job)),
                    (tr("File"), Cell(esc(source.get("path")), "code") if source.get("path") else None),
                    (
                        tr("Bands (model order)"),
                        ", ".join(str(b) for b in source["bands"]) if source.get("bands") else tr("matched by name"),
                    ),
                    (tr("Feature vector"), vector_label),
                    (tr("Cells (grid cells in the features)"), sum((result.get("cells") or {}).values()) or None),
                    (
                        tr("Saved as GeoParquet"),
                        Cell(esc(result["vectors_output"]), "code") if result.get("vectors_output") else None,
                    ),
                ],
            ),
        ),
        model_section(job, result),
        page.section(tr("Work done"), *parts),
        earthengine_section(result),
        page.run_section([], seconds, result.get("warnings")),
    ]
    return page.document(
        tr("Embeddings for features: %s") % result.get("model"),
        tr("%s of %s features embedded") % (page.number(result.get("embedded")), page.number(total)),
        sections,
    )


BUILDERS = {"embed": embed_report, "embed_features": features_report}
