"""Times scikit-learn's LogisticRegression(lbfgs) on data sent by modelbench.

argv: DATA_FILE ROWS COLS C REPEATS WARMUP. DATA_FILE holds float64 little-endian: ROWS*COLS
features (row-major) then ROWS labels in {0, 1}. Prints one JSON object on stdout.
"""
import json
import sys
import time

import numpy as np

from peer_io import read_data, sklearn_or_unavailable


def main():
    path, rows, cols, c, repeats, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    sklearn = sklearn_or_unavailable()
    if sklearn is None:
        return
    from sklearn.linear_model import LogisticRegression
    x, y = read_data(path, rows, cols)
    y = y.astype(int)
    threads = None
    try:
        from threadpoolctl import threadpool_info
        threads = ",".join(f"{i['internal_api']}={i['num_threads']}" for i in threadpool_info())
    except Exception:
        pass
    samples = []
    model = None
    for k in range(warmup + repeats):
        t0 = time.perf_counter()
        model = LogisticRegression(C=c, solver="lbfgs", max_iter=1000).fit(x, y)
        elapsed = (time.perf_counter() - t0) * 1000
        if k >= warmup:
            samples.append(elapsed)
    print(json.dumps({
        "version": sklearn.__version__,
        "numpy": np.__version__,
        "threads": threads,
        "samples_ms": samples,
        "weights": model.coef_[0].tolist(),
        "bias": float(model.intercept_[0]),
        "iterations": int(model.n_iter_[0]),
    }))


main()
