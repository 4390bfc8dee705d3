"""The per-partition work of a distributed fit: functions run as Dask tasks on one row block.

Each function receives one row block ``X_k`` (a dense ndarray or a scipy CSR/CSC matrix, as
the Dask array holds it) with the matching pieces of ``y`` and the sample weights ``s``
(``None``: unit weights) and returns only p-sized vectors and scalars (``gather_columns``:
the block's rows of a few columns). Products run in the compiled ``xt_dot`` (one pass over the
block in its own dtype, accumulating in double): ``X_k^T V`` directly and ``X_k w`` as
``(X_k^T)^T w`` (the transpose of a CSR block is a CSC view, of a C-ordered block a
Fortran-ordered view: no copy). Blocks that are not float32/float64 (integers) are converted
to float64, a copy of that block per task.
"""

import numpy as np
import scipy.sparse as sp

from .._design_ops import check_compressed_indices, xt_dot

__all__ = ["block_statistics", "squared_pass", "logistic_pass",
           "logistic_entropy", "gather_columns", "block_predict", "softmax",
           "multinomial_curvature", "multinomial_pass", "multinomial_entropy"]


def as_float_block(Xk):
    """The block as the kernels read it: float32/float64, CSR/CSC or C/F-contiguous."""
    if sp.issparse(Xk):
        if Xk.format not in ("csr", "csc"):
            Xk = Xk.tocsr()
        if Xk.dtype not in (np.float32, np.float64):
            Xk = Xk.astype(np.float64)
        return Xk
    Xk = np.asarray(Xk)
    if Xk.dtype not in (np.float32, np.float64):
        Xk = Xk.astype(np.float64)
    if not (Xk.flags.c_contiguous or Xk.flags.f_contiguous):
        Xk = np.ascontiguousarray(Xk)
    return Xk


def _weights(sk, n):
    return np.ones(n) if sk is None else np.asarray(sk, dtype=np.float64)


def matvec(Xk, w):
    """X_k w in double ((n_k,) for w (p,), (n_k, K) for w (p, K))."""
    if Xk.shape[0] == 0:
        return np.zeros((0,) + np.shape(w)[1:])
    return xt_dot(Xk.T, w)


def rmatvec(Xk, V):
    """X_k^T V in double ((p,) or (p, K))."""
    if Xk.shape[0] == 0:
        return np.zeros((Xk.shape[1],) + np.shape(V)[1:])
    return xt_dot(Xk, V)


def checked_block(Xk):
    """:func:`as_float_block`, checked finite, a sparse block's index arrays sound."""
    Xk = as_float_block(Xk)
    values = Xk.data if sp.issparse(Xk) else Xk
    if sp.issparse(Xk):
        check_compressed_indices(Xk, "X")
    if not np.isfinite(values).all():
        raise ValueError("Input X contains NaN or infinity.")
    return Xk


def block_statistics(Xk, tk, sk, unpenalized):
    """One pass of statistics: ``S_k = sum s``, ``sum s t``, ``sum s t^2``, ``X_k^T s``,
    ``X_k^T (s t)`` and, for the unpenalized columns U, ``X_k^T diag(s) X_k[:, U]`` (p, |U|)
    (the pieces of the projection off [1, X_U]). Checks that the block is finite (ValueError)
    and that a sparse block's index arrays are sound."""
    Xk = checked_block(Xk)
    n = Xk.shape[0]
    s = _weights(sk, n)
    t = np.asarray(tk, dtype=np.float64)
    V = np.column_stack([s, s * t])
    xs = rmatvec(Xk, V)
    out = {"S": s.sum(), "st": s @ t, "stt": s @ (t * t), "xs": xs[:, 0], "xst": xs[:, 1]}
    if len(unpenalized):
        XU = Xk[:, unpenalized]
        XU = XU.toarray() if sp.issparse(XU) else np.asarray(XU, dtype=np.float64)
        out["xsu"] = rmatvec(Xk, s[:, None] * XU)
    return out


def weighted_column_sums(Xk, sk):
    """``[sum s]`` and ``X_k^T s``."""
    Xk = as_float_block(Xk)
    s = _weights(sk, Xk.shape[0])
    return np.array([s.sum()]), rmatvec(Xk, s)


def centered_squares(Xk, sk, xbar):
    """``sum_i s_i (x_ij - xbar_j)^2`` per column (the unstored zeros of a sparse block
    count ``xbar_j^2``); temporaries the size of the block's values."""
    Xk = as_float_block(Xk)
    s = _weights(sk, Xk.shape[0])
    if sp.issparse(Xk):
        coo = Xk.tocoo()
        dev = coo.data - xbar[coo.col]
        sums = np.bincount(coo.col, weights=s[coo.row] * dev * dev, minlength=Xk.shape[1])
        stored = np.bincount(coo.col, weights=s[coo.row], minlength=Xk.shape[1])
        return sums + xbar * xbar * (s.sum() - stored)
    dev = np.subtract(Xk, xbar, dtype=np.float64)
    return s @ (dev * dev)


def squared_pass(Xk, yk, sk, w, b):
    """Residual r = y - X_k w - b; returns ``X_k^T (s r)`` and ``[sum s r, sum s r^2,
    sum s r y]``."""
    Xk = as_float_block(Xk)
    y = np.asarray(yk, dtype=np.float64)
    s = _weights(sk, y.shape[0])
    r = y - matvec(Xk, w) - b
    sr = s * r
    return rmatvec(Xk, sr), np.array([sr.sum(), sr @ r, sr @ y])


def _signed(tk):
    """Labels +-1 from the 0/1 indicator of the positive class."""
    return 2.0 * np.asarray(tk, dtype=np.float64) - 1.0


def logistic_pass(Xk, zk, tk, sk):
    """With u = sigma(-y z) (y = +-1): ``X_k^T [s u 1(y=+1), s u 1(y=-1)]`` (p, 2) and
    ``[sum_{y=+1} s u, sum_{y=-1} s u, sum s log(1 + exp(-y z))]``."""
    Xk = as_float_block(Xk)
    y = _signed(tk)
    s = _weights(sk, y.shape[0])
    m = -y * zk
    u = 0.5 * (1.0 + np.tanh(0.5 * m))              # sigma(m), no overflow
    su = s * u
    pos = y > 0
    V = np.column_stack([np.where(pos, su, 0.0), np.where(pos, 0.0, su)])
    loss = s @ np.logaddexp(0.0, m)
    return rmatvec(Xk, V), np.array([V[:, 0].sum(), V[:, 1].sum(), loss])


def logistic_entropy(zk, tk, sk, f_pos, f_neg):
    """``sum_i s_i H(f_{class i} sigma(-y_i z_i))``, H the binary entropy in nats: the loss
    part of the dual at the point scaled by ``f_pos`` / ``f_neg`` per class."""
    y = _signed(tk)
    s = _weights(sk, y.shape[0])
    u = 0.5 * (1.0 + np.tanh(-0.5 * y * zk))
    v = np.clip(np.where(y > 0, f_pos, f_neg) * u, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(np.where(v > 0, v * np.log(v), 0.0) + np.where(v < 1, (1 - v) * np.log1p(-v), 0.0))
    return float(s @ h)


def gather_columns(Xk, columns):
    """The block's rows of the listed columns: CSR for a sparse block, dense otherwise."""
    Xk = as_float_block(Xk)
    if sp.issparse(Xk):
        return sp.csr_matrix(Xk[:, columns])
    return np.asarray(Xk[:, columns])


def block_predict(Xk, w, b):
    """X_k w + b in double."""
    return matvec(as_float_block(Xk), w) + b


# ------------------------------------------------------------------ multinomial (K classes)
# ck: the block's class codes in [0, K); zk: its decision values (n_k, K); Y the one-hot codes.


def softmax(zk):
    """Row-wise softmax of (n_k, K) scores."""
    e = np.exp(zk - zk.max(axis=1, keepdims=True)) if zk.shape[0] else np.zeros(zk.shape)
    return e / e.sum(axis=1, keepdims=True) if zk.shape[0] else e


def class_codes(yk, classes):
    """The block's labels as indices into the sorted ``classes``."""
    return np.searchsorted(classes, np.asarray(yk))


def _one_hot(ck, K):
    return np.eye(K)[np.asarray(ck, dtype=np.intp)]


def multinomial_curvature(zk, ck, sk):
    """``[sum s (logsumexp z - z_y)]``, ``G = sum_i s_i (diag p_i - p_i p_i^T)`` (K, K) and
    ``r = sum_i s_i (Y_i - p_i)`` (K): the loss and one Newton step of the intercepts."""
    K = zk.shape[1]
    s = _weights(sk, zk.shape[0])
    P = softmax(zk)
    Y = _one_hot(ck, K)
    zmax = zk.max(axis=1) if zk.shape[0] else np.zeros(0)
    lse = zmax + np.log(np.exp(zk - zmax[:, None]).sum(axis=1)) if zk.shape[0] else zmax
    loss = s @ (lse - np.sum(Y * zk, axis=1))
    sP = s[:, None] * P
    G = np.diag(sP.sum(axis=0)) - sP.T @ P
    return np.array([loss]), G, s @ (Y - P)


def _moved(zk, cvec):
    """p' = p (1 + c - p.c): the probabilities after the intercepts' Newton step c."""
    P = softmax(zk)
    return P * (1.0 + cvec - (P @ cvec)[:, None])


def multinomial_pass(Xk, zk, ck, sk, cvec, slack):
    """With p' the probabilities moved by the intercepts' step ``cvec``:
    ``X_k^T (s (Y - p'))`` (p, K) and ``[count of p' < -slack]`` (rows of positive weight;
    such a p' left the simplex)."""
    Xk = as_float_block(Xk)
    K = zk.shape[1]
    s = _weights(sk, zk.shape[0])
    Pm = _moved(zk, cvec)
    outside = np.count_nonzero(Pm[s > 0] < -slack)
    return rmatvec(Xk, s[:, None] * (_one_hot(ck, K) - Pm)), np.array([float(outside)])


def multinomial_entropy(zk, ck, sk, cvec, t):
    """``sum_i s_i Ent((1 - t) Y_i + t p'_i)``, Ent the Shannon entropy in nats: the loss
    part of the dual at the point ``t s (Y - p')``."""
    K = zk.shape[1]
    s = _weights(sk, zk.shape[0])
    pi = np.clip((1.0 - t) * _one_hot(ck, K) + t * _moved(zk, cvec), 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.sum(np.where(pi > 0, pi * np.log(pi), 0.0), axis=1)
    return float(s @ h)
