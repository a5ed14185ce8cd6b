"""Times scikit-learn's SVC (libsvm inside) on data sent by modelbench.

argv: DATA_FILE ROWS COLS C KERNEL GAMMA REPEATS WARMUP. DATA_FILE holds float64 little-endian:
ROWS*COLS features (row-major) then ROWS labels in {-1, +1}. Prints one JSON object on stdout.
"""
import json
import sys
import time

import numpy as np

from peer_io import read_data, sklearn_or_unavailable


def main():
    path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    c, kernel, gamma = float(sys.argv[4]), sys.argv[5], float(sys.argv[6])
    repeats, warmup = int(sys.argv[7]), int(sys.argv[8])
    budget_ms = float(sys.argv[9]) if len(sys.argv) > 9 else float('inf')
    sklearn = sklearn_or_unavailable()
    if sklearn is None:
        return
    from sklearn.svm import SVC
    x, y = read_data(path, rows, cols)
    def fit():
        t0 = time.perf_counter()
        m = SVC(C=c, kernel=kernel, gamma=gamma if kernel == 'rbf' else 'scale', tol=1e-3, cache_size=500).fit(x, y)
        return m, (time.perf_counter() - t0) * 1000

    # As modelbench's own cells: fewer repeats (never under 3) when the first says they exceed the budget.
    model, first = fit()
    affordable = max(3, min(repeats, int(budget_ms // max(first, 1e-3)))) if budget_ms != float('inf') else repeats
    samples = [] if warmup > 0 else [first]
    for _ in range(max(0, warmup - 1) if affordable == repeats else 0):
        fit()
    while len(samples) < affordable:
        model, elapsed = fit()
        samples.append(elapsed)
    # sklearn orders classes ascending: decision > 0 means classes_[1] = +1, as ours.
    print(json.dumps({
        "version": sklearn.__version__,
        "samples_ms": samples,
        "support": model.support_.tolist(),
        "dual_coef": model.dual_coef_[0].tolist(),
        "bias": float(model.intercept_[0]),
        "iterations": int(np.sum(model.n_iter_)) if hasattr(model, "n_iter_") else None,
    }))


main()
