"""Times scikit-learn's SVC (libsvm inside) on data sent by modelbench.

argv: DATA_FILE ROWS COLS C KERNEL GAMMA REPEATS WARMUP. DATA_FILE holds float64 little-endian:
ROWS*COLS features (row-major) then ROWS labels in {-1, +1}. Prints one JSON object on stdout.
"""
import json
import sys
import time

import numpy as np


def main():
    path, rows, cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    c, kernel, gamma = float(sys.argv[4]), sys.argv[5], float(sys.argv[6])
    repeats, warmup = int(sys.argv[7]), int(sys.argv[8])
    try:
        import sklearn
        from sklearn.svm import SVC
    except ImportError as e:
        print(json.dumps({"unavailable": f"scikit-learn is not importable by {sys.executable}: {e}"}))
        return
    raw = np.fromfile(path, dtype='<f8')
    x = raw[: rows * cols].reshape(rows, cols)
    y = raw[rows * cols:]
    samples = []
    model = None
    for k in range(warmup + repeats):
        t0 = time.perf_counter()
        model = SVC(C=c, kernel=kernel, gamma=gamma if kernel == 'rbf' else 'scale', tol=1e-3, cache_size=500).fit(x, y)
        elapsed = (time.perf_counter() - t0) * 1000
        if k >= warmup:
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
