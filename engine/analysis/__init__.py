"""Analysis on embedding rasters, as engine jobs (see engine/jobs.py):

- "pca" (pca.py): k principal components of a multiband raster.
- "similarity" (similarity.py): cosine similarity to reference features or vectors; threshold mask
  and polygons.
- "cluster" (cluster.py): MiniBatchKMeans into a class raster with a palette; automatic k by
  silhouette.
- "classify" (classify.py): few-shot classification from labelled geometries; probabilities and a
  cross-validated accuracy report.
- "change" (change.py): per-cell cosine distance between two embedding rasters.
- "compare" (compare.py): embedding rasters ranked by how well a linear probe and k-NN separate the
  labelled classes, all validated on the same spatial blocks and folds (validation.py, which
  classify uses too).

All stream over the raster in blocks (blocks.py); tests/engine/synthetic.py makes rasters with
known structure for the tests.
"""
