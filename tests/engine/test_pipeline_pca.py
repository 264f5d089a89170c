"""The streamed PCA fit equals a PCA on all cells at once (sklearn)."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from terraembed.engine.pipeline.pca import CovarianceAccumulator, fit_pca
from terraembed.shared.errors import UserError


def test_streamed_fit_matches_sklearn():
    rng = np.random.default_rng(0)
    scales = np.linspace(3.0, 0.1, 40)
    x = (rng.standard_normal((3000, 40)) * scales + rng.uniform(-100, 100, 40)).astype(np.float32)
    acc = CovarianceAccumulator(40)
    for i in range(0, len(x), 196):  # chip-sized batches
        acc.add(x[i : i + 196])
    fit = fit_pca(acc, 4)
    ref = PCA(n_components=4).fit(x.astype(np.float64))
    np.testing.assert_allclose(fit.mean, ref.mean_, atol=1e-4)
    np.testing.assert_allclose(fit.ratio, ref.explained_variance_ratio_, rtol=1e-4)
    np.testing.assert_allclose(fit.variance, ref.explained_variance_, rtol=1e-4)
    for mine, theirs in zip(fit.components, ref.components_):
        assert abs(abs(float(mine @ theirs)) - 1.0) < 1e-5
        assert mine[np.argmax(np.abs(mine))] > 0  # deterministic sign
    assert not fit.rank_limited and fit.n == 3000


def test_rank_limited_and_bad_k():
    acc = CovarianceAccumulator(5)
    acc.add(np.arange(15, dtype=np.float32).reshape(3, 5) ** 2)
    fit = fit_pca(acc, 4)  # 3 cells: rank 2
    assert fit.rank_limited and (fit.variance[2:] == 0).all() and (fit.components[2:] == 0).all()
    with pytest.raises(UserError):
        fit_pca(acc, 6)
    with pytest.raises(UserError):
        fit_pca(CovarianceAccumulator(5), 2)
