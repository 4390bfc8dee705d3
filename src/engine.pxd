# The block coordinate descent engine: design note.
#
# Three layers, composed at compile time (fused types and inline functions, nothing per
# coordinate that is not inlined):
#
# 1. storage (column_ops.pxd): dense Fortran / CSC / CSR primitives over the `floating` and
#    `index_t` fused types: column dot and axpy on a column store, full passes X^T theta,
#    the gather of a CSR matrix's working-set columns into a small CSC store. The engine
#    reads every column through a (data, indices, indptr) column store: X itself for dense
#    and CSC, the gathered store for CSR; full passes read X in its own layout.
# 2. datafit: the squared loss here (_group_cd.pyx: `sq_*` functions): the residual
#    rt = r + o (glmnet's offset, so centered columns are never formed), the block
#    gradient -X~_g^T (sw rt), its update after a block moves, the dual point
#    theta = t sw rhat and the dual value. The binary logistic loss drops in with the same
#    five functions (gradient from sw (sigma(-y z)) y, a prox-Newton block step on the
#    curvature-weighted store, the entropy dual): only the datafit functions change.
# 3. block penalty (block_penalty.pxd): per block value, prox, dual-constraint scale (the
#    exact Sparse-Group dual norm), conjugate and gap-safe screening test. A block is a slice
#    of coefficients given by (ptr, feat): size 1 is the Lasso / Elastic Net coordinate,
#    a group here, later T tasks or K classes.
#
# The outer loop (_group_cd.pyx: solve) is written once over these: full pass -> dual point
# and gap -> gap-safe elimination -> ranking by dual-norm violation -> working set of blocks
# -> inner block CD to a fraction of the outer gap. Moving the Lasso / Elastic Net onto it
# means giving scalar blocks the bounds of kernel_ops.pxd's penalty and keeping the current
# kernel's lazy passes, Anderson steps and strong-rule start as engine stages; the logistic
# kernel then swaps its datafit in. That refactor is a later session's.

cdef struct Blocks:
    Py_ssize_t count
    const Py_ssize_t* ptr       # block g holds the features feat[ptr[g]:ptr[g + 1]]
    const Py_ssize_t* feat
    const double* a             # per block: l1 weight alpha w_g l1_ratio
    const double* c             #            group weight alpha w_g (1 - l1_ratio)
    const double* gam           #            ridge (0 for unpenalized blocks)
    const unsigned char* free_  #            unpenalized (a = c = gam = 0)
    bint positive
    Py_ssize_t max_size
    const unsigned char* row    # per block: a multi-task row (one column, one coefficient per
                                # residual slot, in slot order 0..T-1); NULL with one slot
