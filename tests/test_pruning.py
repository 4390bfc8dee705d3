"""Pruning a NumPy multilayer perceptron on scikit-learn's digits by proximal steps after each
SGD step (l1core.prox.prune_step): whole hidden units die at a small loss of accuracy, the
pruned network equals the smaller network with those units removed, and the same operators
on array_api_strict arrays give the NumPy weights."""

import numpy as np
import pytest

from l1core.prox import prune_step

datasets = pytest.importorskip("sklearn.datasets")

HIDDEN, EPOCHS, BATCH, LR = 48, 25, 32, 0.1


def _digits():
    X, y = datasets.load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(0)
    order = rng.permutation(y.size)
    X, y = X[order], y[order]
    return X[:1300], y[:1300], X[1300:], y[1300:]


def _forward(params, X):
    W1, b1, W2, b2 = params
    h = np.maximum(X @ W1 + b1, 0.0)
    return h, h @ W2 + b2


def _train(alpha, kind="neuron", seed=0):
    """Mini-batch SGD on the softmax cross-entropy; after each step, the prox of
    alpha * (group norm of each hidden unit's incoming weights) with step LR."""
    X, y, _, _ = _digits()
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal((64, HIDDEN)) * np.sqrt(2 / 64), np.zeros(HIDDEN),
              rng.standard_normal((HIDDEN, 10)) * np.sqrt(2 / HIDDEN), np.zeros(10)]
    onehot = np.eye(10)[y]
    for _ in range(EPOCHS):
        for start in range(0, y.size, BATCH):
            xb, tb = X[start:start + BATCH], onehot[start:start + BATCH]
            h, logits = _forward(params, xb)
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            g_logits = (p - tb) / xb.shape[0]
            g_h = (g_logits @ params[2].T) * (h > 0)
            grads = [xb.T @ g_h, g_h.sum(0), h.T @ g_logits, g_logits.sum(0)]
            for w, g in zip(params, grads):
                w -= LR * g
            if alpha > 0:
                prune_step([params[0]], alpha, LR, kind=kind)      # W1: (n_in, n_hidden)
    return params


def _accuracy(params, X, y):
    return float(np.mean(np.argmax(_forward(params, X)[1], axis=1) == y))


def test_neuron_pruning_removes_hidden_units_at_small_accuracy_loss():
    _, _, X_test, y_test = _digits()
    dense = _train(0.0)
    pruned = _train(0.02)
    dead = np.all(pruned[0] == 0, axis=0)                 # units with no incoming weight
    acc_dense, acc_pruned = _accuracy(dense, X_test, y_test), _accuracy(pruned, X_test,
                                                                         y_test)
    assert acc_dense > 0.93
    assert dead.sum() >= HIDDEN // 4                      # whole units pruned
    assert acc_pruned >= acc_dense - 0.04                 # at a small loss of accuracy
    # a dead unit outputs the constant relu(b1_j): fold it into b2 and drop the unit
    W1, b1, W2, b2 = pruned
    keep = ~dead
    small = [W1[:, keep], b1[keep], W2[keep], b2 + np.maximum(b1[dead], 0) @ W2[dead]]
    np.testing.assert_allclose(_forward(small, X_test)[1], _forward(pruned, X_test)[1],
                               atol=1e-10)


def test_l1_pruning_zeroes_single_weights():
    pruned = _train(0.01, kind="l1")
    assert np.mean(pruned[0] == 0) > 0.3
    assert not np.any(np.all(pruned[0] == 0, axis=0) & ~np.all(pruned[0] == 0, axis=0))


@pytest.mark.parametrize("kind, axis", [("l1", None), ("neuron", None), ("channel", None),
                                        ("sparse_group", None), ("neuron", 0)])
def test_prune_step_through_array_api_strict_equals_numpy(kind, axis):
    xp = pytest.importorskip("array_api_strict")
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal((6, 5)) * 0.2, rng.standard_normal((4, 3, 2)) * 0.3]
    strict = [xp.asarray(w.copy()) for w in weights]
    prune_step(weights, 0.5, 0.4, kind=kind, out_axis=axis)
    prune_step(strict, 0.5, 0.4, kind=kind, out_axis=axis)
    for w, s in zip(weights, strict):
        np.testing.assert_allclose(np.asarray(s), w, rtol=1e-14, atol=1e-16)


def test_prune_step_groups_by_the_output_axis():
    W = np.array([[0.5, 0.01, 1.0], [-0.4, 0.02, 0.0]])
    prune_step([W], 1.0, 0.1, kind="neuron")              # columns: output units
    assert np.all(W[:, 1] == 0) and np.all(np.any(W[:, [0, 2]] != 0, axis=0))
    V = np.array([[0.05, 0.01], [1.0, 2.0]])
    prune_step([V], 1.0, 0.1, kind="channel")             # rows: output channels
    assert np.all(V[0] == 0) and np.all(V[1] != 0)
    with pytest.raises(ValueError, match="kind"):
        prune_step([W], 1.0, 0.1, kind="filter")
    with pytest.raises(ValueError, match="ndim"):
        prune_step([np.ones(3)], 1.0, 0.1, kind="neuron")
